"""Care-access portal generator: YAML records in, an accessible static site out.

The pipeline, one module per stage, data flowing one way:

    loader (YAML with line numbers) -> validate (typed records, problems)
    -> directory (the model and its indexes) -> render (Markdown per language)
    -> build (MkDocs per language, in parallel; atomic swap into site/)
"""

__version__ = "0.1.0"

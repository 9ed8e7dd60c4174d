"""Care-access portal generator: YAML records in, an accessible static site out.

The pipeline, one package per stage, data flowing one way (`pipeline` runs it):

    records (load YAML with positions -> validate -> model: `Directory`)
    -> render (the pages of one language, from a `RenderContext`)
    -> site (one MkDocs build per language, in parallel; search; swap into site/)

beside them: `opendata` (data/ files), `importing` (data·inclusion in),
`quality` (gates on a built site), `i18n` (catalogs and labels), `config`
(mkdocs.yml, typed), `routes` (every address of the site). docs/architecture.md
says where to add a page, a record field, a language or an export.
"""

__version__ = "0.1.0"

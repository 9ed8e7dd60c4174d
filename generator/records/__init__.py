"""Records stage: the YAML records of a territory in, a checked `Directory` out.

    records = validate_directory(Path("directory"), report, today)   # load + validate
    directory = build_directory(records, today)                       # model

`loader` reads YAML with the line of every key and value; `types` and `models`
are the typed records (pydantic), one model per record kind; `validate` checks
each file and the references between them, reporting `file:line` problems;
`directory` is the model the pages and exports read, with its indexes;
`schedule` is the one engine for opening hours and sessions; `freshness` finds
what is out of date; `subset` keeps part of a territory; `synth` writes
synthetic territories for the benchmarks; `new` writes a record to fill in.
"""

from .directory import Directory, Place, build_directory
from .validate import Records, validate_directory, validate_guides

__all__ = ["Directory", "Place", "Records", "build_directory", "validate_directory", "validate_guides"]

"""The web editor and the record schemas, for coordinators who do not use Git.

- `schema_files`: the JSON Schema of each record kind, published under data/schema/
  and written by `python -m generator schema`;
- `admin_files`: the Decap CMS editor at /admin/, when mkdocs.yml enables it.
"""

from .cms import admin_files
from .schema import record_schema, schema_files, schema_url

__all__ = ["admin_files", "record_schema", "schema_files", "schema_url"]

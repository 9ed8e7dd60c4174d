"""`new KIND ID`: a commented template record to fill in, never over an existing file."""

from __future__ import annotations

import os
from pathlib import Path

from ..guarded import FileRefused, write_target
from .types import ID_PATTERN, slugify

#: Each kind of record the command writes, and its folder in the records.
KINDS = {"service": "services", "permanence": "permanences", "dispositif": "dispositifs"}
#: One template per kind, with __ID__ where the id goes.
TEMPLATES = Path(__file__).parents[1] / "templates" / "new"


class NewRecordError(Exception):
    """The record cannot be written; the message says why and what to do."""


#: The template's first line: where editors find the record's JSON Schema (`editor/schema.py`).
SCHEMA_LINE = "# yaml-language-server: $schema=__SCHEMA__\n"


def write_new_record(records: Path, kind: str, rid: str, schema_url: str | None = None) -> Path:
    """Write `records/<kind>s/<rid>.yml` from the template; the file written.

    With `schema_url` (the published schema), VS Code's YAML extension checks the record
    as it is typed; without it (no site_url), the line is left out.
    """
    if not ID_PATTERN.fullmatch(rid):  # fullmatch: the pattern's `$` also matches before a final line break
        raise NewRecordError(
            f"« {rid} » n'est pas un identifiant valable : attendu des minuscules sans accent, des chiffres et des "
            f"tirets, comme '{slugify(rid) or 'maison-de-sante'}'"
        )
    if schema_url is not None and (not schema_url.isprintable() or any(c.isspace() for c in schema_url)):
        # it goes into the first line, a comment: a line break would start a line of YAML
        raise NewRecordError(
            f"l'adresse du schéma {schema_url!r} (tirée de site_url dans mkdocs.yml) contient une espace, un retour "
            "à la ligne ou un caractère de contrôle : écrivez site_url comme une simple adresse, "
            "comme https://sante.example.org/"
        )
    target = records / KINDS[kind] / f"{rid}.yml"
    if os.path.lexists(target):  # a link to nothing too: it would be written through
        raise NewRecordError(f"{target} existe déjà : choisissez un autre identifiant, ou modifiez ce fichier")
    try:
        where = write_target(target, records)
    except FileRefused as refused:
        raise NewRecordError(f"{refused.path} : rien n'a été écrit : {refused.reason}") from None
    where.parent.mkdir(parents=True, exist_ok=True)
    text = (TEMPLATES / f"{kind}.yml").read_text(encoding="utf-8")
    text = text.replace(SCHEMA_LINE, "") if schema_url is None else text.replace("__SCHEMA__", schema_url)
    with where.open("x", encoding="utf-8") as out:  # "x": never over a file that appeared meanwhile
        out.write(text.replace("__ID__", rid))
    return target

"""The import's two edges: reading data·inclusion files, writing our YAML records.

A written record starts with a comment naming where it comes from and a
fingerprint of what the import wrote. A later import rewrites the file only
while the fingerprint still matches: once someone edits the record, it is
theirs, and the import reports it instead of overwriting it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from data_inclusion.schema import v1 as di
from pydantic import ValidationError

from ..problems import Report
from .datainclusion import Imported, Unmapped

FINGERPRINT = re.compile(r"^# empreinte de l'import : sha256:([0-9a-f]{64})$", re.MULTILINE)


# --- reading ---------------------------------------------------------------


def _list_fields(model: type) -> set[str]:
    return {name for name, info in model.model_fields.items() if re.search(r"\b(set|list)\[", str(info.annotation))}


LIST_FIELDS = {di.Service: _list_fields(di.Service), di.Structure: _list_fields(di.Structure)}


def _cell_list(text: str) -> list[str]:
    """A list in a CSV cell: a JSON array, a PostgreSQL array {a,b}, or values between commas or '|'."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except json.JSONDecodeError:
            text = text.strip("[]").replace("'", "")
    text = text.strip("{}")
    return [part.strip().strip('"') for part in re.split(r"[,|]", text) if part.strip()]


def _from_csv(path: Path, report: Report) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    rows = []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    for row in reader:  # line_num: the line the row ends on (a cell may hold several lines)
        rows.append((reader.line_num, {key: value for key, value in row.items() if key and value not in (None, "")}))
    if not rows:
        report.warning(path, 1, "no rows: expected a header line, then one data·inclusion object per line")
    return rows


def _from_json(path: Path, report: Report) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.error(path, error.lineno, f"not valid JSON: {error.msg}")
        return []
    if isinstance(data, dict) and isinstance(data.get("items"), list):  # the data·inclusion API's pages
        data = data["items"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        report.error(path, 1, "expected a list of data·inclusion structures or services (JSON objects)")
        return []
    lines = []
    for item in data:  # the line of each object: where its id is written
        found = text.find(json.dumps(str(item.get("id", "")), ensure_ascii=False)) if item.get("id") else -1
        lines.append(text.count("\n", 0, found) + 1 if found >= 0 else 1)
    return list(zip(lines, data))


def read_data_inclusion(files: list[Path], report: Report) -> tuple[list[di.Service], list[di.Structure]]:
    """The services and structures of `files`; an object the official models refuse is reported and left out."""
    services: list[di.Service] = []
    structures: list[di.Structure] = []
    for path in files:
        if not path.is_file():
            report.error(path, 0, "no such file")
            continue
        reader = _from_csv if path.suffix.lower() == ".csv" else _from_json
        for line, raw in reader(path, report):
            model = di.Service if "structure_id" in raw else di.Structure
            if path.suffix.lower() == ".csv":
                raw = {k: (_cell_list(v) if k in LIST_FIELDS[model] else v) for k, v in raw.items()}
            try:
                record = model.model_validate(raw)
            except ValidationError as failure:
                for error in failure.errors(include_url=False):
                    where = ".".join(str(part) for part in error["loc"]) or "the record"
                    report.error(path, line, f"{raw.get('id', '?')}: {where}: {error['msg']} "
                                 f"(data·inclusion {model.__name__.lower()} schema v1)")
                continue
            (services if model is di.Service else structures).append(record)
    return services, structures


# --- writing ---------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # paragraphs stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _body(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _header(origin: str, today: dt.date, body: str) -> str:
    return (
        f"# Importé de data·inclusion ({origin}) le {today.isoformat()} par « python -m generator import ».\n"
        "# Un nouvel import met cette fiche à jour tant qu'elle n'est pas modifiée à la main ;\n"
        "# une fois modifiée, il la laisse telle quelle et le signale.\n"
        f"# empreinte de l'import : sha256:{_fingerprint(body)}\n"
    )


def _split(text: str) -> tuple[str | None, str]:
    """The fingerprint written by the import, and the rest of the file (what it covers)."""
    match = FINGERPRINT.search(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end() + 1:]


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by hand since: not overwritten
    clashes: list[tuple[str, str]] = field(default_factory=list)  # two inputs, one id
    unmapped: list[tuple[Path, Unmapped]] = field(default_factory=list)


def write_records(records: list[Imported], folder: Path, today: dt.date) -> ImportResult:
    result = ImportResult()
    folder.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    for record in records:
        if record.rid in seen:
            result.clashes.append((seen[record.rid], record.origin))
            continue
        seen[record.rid] = record.origin
        path = folder / f"{record.rid}.yml"
        body = _body(record.data)
        if path.exists():
            written, current = _split(path.read_text(encoding="utf-8"))
            if written is None or written != _fingerprint(current):
                result.kept.append(path)
                continue
            result.unmapped.extend((path, item) for item in record.unmapped)
            if current == body:
                result.unchanged.append(path)
                continue
            result.updated.append(path)
        else:
            result.unmapped.extend((path, item) for item in record.unmapped)
            result.created.append(path)
        path.write_text(_header(record.origin, today, body) + body, encoding="utf-8")
    return result

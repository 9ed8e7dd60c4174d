"""`verified`: say that records were checked, changing only their `verified` (and `source`) lines.

Every id is found before anything is written: an unknown id writes nothing. Each
file is changed through `editing.RecordText`, which keeps every other byte and
refuses to write over a file changed since it was read.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..editing import EditConflict, RecordText

#: The folders of the records `verified` can mark, in the order it looks in.
FOLDERS = ("services", "permanences", "dispositifs", "pathways")


class VerifiedError(Exception):
    """Nothing could be marked; the message says why and what to do."""


@dataclass(frozen=True)
class Marked:
    path: Path
    rid: str
    before: str | None  # the `verified` it had
    after: str
    changed: bool  # False: it already said so


def record_files(directory: Path) -> dict[str, list[Path]]:
    """Every record file by id (the file stem); an id may name records of two kinds."""
    found: dict[str, list[Path]] = {}
    for folder in FOLDERS:
        for path in sorted((directory / folder).glob("*.yml")):
            found.setdefault(path.stem, []).append(path)
            found.setdefault(f"{folder}/{path.stem}", []).append(path)
    return found


def find(directory: Path, ids: Sequence[str]) -> list[tuple[str, Path]]:
    """The file of each id (`msp-redon` or `services/msp-redon`); every unknown or doubtful id in one error."""
    files = record_files(directory)
    problems: list[str] = []
    chosen: list[tuple[str, Path]] = []
    for rid in ids:
        key = rid.strip().removesuffix(".yml")
        paths = files.get(key, [])
        if len(paths) == 1:
            chosen.append((key, paths[0]))
        elif paths:
            kinds = " ou ".join(f"{p.parent.name}/{p.stem}" for p in paths)
            problems.append(f"« {rid} » désigne plus d'une fiche : écrivez {kinds}")
        else:
            close = difflib.get_close_matches(key, [k for k in files if "/" not in k], n=3, cutoff=0.6)
            hint = (
                f" : vouliez-vous dire {', '.join(close)} ?"
                if close
                else f" : aucun fichier de ce nom dans {directory}/{{{','.join(FOLDERS)}}}"
            )
            problems.append(f"pas de fiche « {rid} »{hint}")
    if problems:
        raise VerifiedError("; ".join(problems))
    return chosen


def mark_verified(
    directory: Path, ids: Sequence[str], on: dt.date, today: dt.date, source: str | None = None
) -> list[Marked]:
    """Set `verified: on` (and `source`) in each record named; raise VerifiedError or EditConflict."""
    if on > today:
        raise VerifiedError(
            f"--on {on.isoformat()} est dans le futur (nous sommes le {today.isoformat()}) : rien n'a été écrit"
        )
    if source is not None and not source.strip():
        raise VerifiedError("--source est vide : dites comment l'information a été vérifiée, comme 'Appel à l'accueil'")
    texts = []
    for rid, path in find(directory, ids):
        try:
            texts.append((rid, RecordText.read(path, directory)))
        except (OSError, UnicodeDecodeError) as error:
            raise VerifiedError(f"{path} : n'a pas pu être lu ({error}) : rien n'a été écrit") from None
    marked: list[Marked] = []
    for rid, text in texts:
        before = text.get(("verified",))
        text.set(("verified",), on)
        if source is not None:
            text.set(("source",), source.strip())
        changed = text.changed
        try:
            text.save()
        except EditConflict as error:
            done = ", ".join(str(m.path) for m in marked if m.changed) or "aucune"
            raise EditConflict(f"{error} (déjà marquées : {done})") from None
        marked.append(Marked(text.path, rid, None if before is None else str(before), on.isoformat(), changed))
    return marked

"""What is not translated yet, per language: interface strings and record texts.

Untranslated text is shown in French, marked as such, so nothing here is an
error: `check` reports it as warnings so that translators know what to do.
By default each language gets one summary line per kind; with `detailed`,
every record text missing a translation is listed at its ``file:line``.

`offer` says the other way round what exists in a language, for the home page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from pydantic import BaseModel

from .. import i18n
from ..problems import Report
from ..records.directory import Directory
from ..records.loader import PathKey
from ..records.types import LocalizedText
from ..records.validate import Records


def _texts(value: Any, where: PathKey = ()) -> Iterator[tuple[PathKey, LocalizedText]]:
    """Every translatable text in a record, with its path in the YAML file."""
    if isinstance(value, LocalizedText):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*where, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, (*where, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*where, _Key(key)))


class _Key(str):
    """A mapping key in a path (a taxonomy id), as opposed to a field name."""


def _field(where: PathKey) -> str:
    """'steps', 'notices.message': the field a text belongs to, without indexes and ids."""
    return ".".join(p for p in where if isinstance(p, str) and not isinstance(p, _Key)) or "texte"


def untranslated_interface(language: str) -> list[str]:
    """Message ids of the interface that this language's catalog does not translate."""
    with i18n.TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    wanted = {str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id) for m in template if m.id}
    return sorted(wanted - i18n.translated_ids(language))


def _s(count: int) -> str:
    return "s" if count > 1 else ""


def _some(count: int, noun: str) -> str:
    """'1 texte', '106 textes'."""
    return f"{count} {noun}{_s(count)}"


def report_translations(
    records: Records, languages: tuple[str, ...], report: Report, *, detailed: bool = False
) -> None:
    for language in languages:
        if language == i18n.SOURCE_LANGUAGE:
            continue
        name = i18n.language_name(language, i18n.SOURCE_LANGUAGE)
        missing = untranslated_interface(language)
        if missing:
            shown = "; ".join(f"'{m}'" for m in missing[:3]) + (" ..." if len(missing) > 3 else "")
            report.warning(
                i18n.catalog_path(language),
                0,
                f"{language} ({name}) : {_some(len(missing), 'texte')} de l'interface pas encore "
                f"traduit{_s(len(missing))}, affiché{_s(len(missing))} en français : {shown}",
            )
        note = records.territory.translations_to_review.get(language)
        if note is not None:
            territory = records.documents.get(("territory", ""))
            report.warning(
                territory.path if territory else records.directory / "territory.yml",
                territory.line_of(("translations_to_review", language)) if territory else 0,
                f"{language} ({name}) : les traductions des fiches sont à relire par une personne dont c'est "
                f"la langue : {note}",
            )
        counts: Counter[str] = Counter()
        for document, record in _sources(records):
            for where, text in _texts(record):
                if language in text.values:
                    continue
                counts[_field(where)] += 1
                if detailed:
                    report.warning(
                        document[0],
                        document[1](where),
                        f"{'.'.join(map(str, where))} : pas de traduction en {name} ({language}: ...), "
                        "le texte en français est affiché",
                    )
        if counts and not detailed:
            total = sum(counts.values())
            fields = ", ".join(f"{field}: {n}" for field, n in counts.most_common(5))
            report.warning(
                records.directory,
                0,
                f"{language} ({name}) : {_some(total, 'texte')} des fiches sans traduction pour l'instant, "
                f"affiché{_s(total)} en français ({fields}...). `check --translations` les liste",
            )


def _sources(records: Records) -> Iterator[tuple[tuple[Path, Any], BaseModel]]:
    """Each record with its file and a function from path to line."""
    for (kind, rid), document in sorted(records.documents.items()):
        record = records.record(kind, rid)
        if record is not None:
            yield (document.path, document.line_of), record


@dataclass(frozen=True)
class Share:
    """How many of a kind of thing are in a language: `done` of `total`."""

    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class Offer:
    """What exists in one language, for its readers (the home page says it)."""

    interface: Share  # interface strings
    services: Share  # records every text of which is in the language
    permanences: Share
    dispositifs: Share
    pathways: Share
    guides: Share  # hand-written guides written in the language

    @property
    def complete(self) -> bool:
        return all(
            share.complete
            for share in (self.interface, self.services, self.permanences, self.dispositifs, self.pathways, self.guides)
        )


def _in_language(record: BaseModel, language: str) -> bool:
    """Every text of the record has a translation: its page shows no French."""
    return all(language in text.values for _, text in _texts(record))


def _share(records: Iterable[BaseModel], language: str) -> Share:
    found = [_in_language(record, language) for record in records]
    return Share(sum(found), len(found))


def offer(directory: Directory, language: str, guide_languages: Iterable[str]) -> Offer:
    """What a reader of `language` finds in it: the interface, the records whose every text is
    translated, the guides written in it (`guide_languages`: the language each guide is in)."""
    with i18n.TEMPLATE.open("rb") as handle:
        wanted = sum(1 for message in read_po(handle) if message.id)
    guides = list(guide_languages)
    return Offer(
        interface=Share(wanted - len(untranslated_interface(language)), wanted),
        services=_share(directory.services.values(), language),
        permanences=_share(directory.permanences.values(), language),
        dispositifs=_share(directory.dispositifs.values(), language),
        pathways=_share(directory.pathways.values(), language),
        guides=Share(sum(guide == language for guide in guides), len(guides)),
    )

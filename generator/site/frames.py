"""Record pages filled into a frame the theme renders once, instead of one by one.

Most of a territory's pages are generated pages outside the navigation (a
service, a permanence, a pathway's outcome in a commune...): the theme puts
the same frame around all those of a group (header, menu, footer, the same
links up to the assets and the menu entries), and differs from one to the
next only by a few texts: the title, the description, the page's address
(canonical link, language switcher), its table of contents and its article.

So, before the engine (`FramePlanner`, while the language's pages are
written), the generated pages are grouped by what their frame depends on:
how their address reaches the menu's entries (`layout_cache.layout_key`),
their front matter (but the title and description), whether they have a
description and a title heading, and the shape of their table of contents. In
a group of two pages or more, the first page's file gets, in place of its
own, a *frame page*: the same front matter with marked texts (slots) for the
title, description and headings, and one marked line for the article; the
other pages are *stubs*, which the engine renders with an empty template (so
it writes nothing for them, but still lists them: sitemap, links from
hand-written pages). After the engine and `finish`, `fill_language` reads each
frame as the engine wrote it, learns from the marked texts how the theme
printed each of them (as it is, escaped, without tags...: `TRANSFORMS`), and
writes every page of the group by putting its own texts in the slots. The
result is byte for byte what the engine makes of each page
(`tests/test_frames.py` builds the demo both ways, every language).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from .. import routes
from ..render import HTML_PAGE, yaml_value
from ..render.headings import toc_tokens
from .layout_cache import Key, entry_prefixes, layout_key
from .search import write_search_document
from .theme_html import without_indentation

#: Front matter of a page filled after the engine: "frame" (rendered with slots) or "stub".
FRAME = "portal_frame"
#: The template of a stub: empty, so the engine writes no file for it (`plugin.on_env`).
STUB_TEMPLATE = "portal-frame-stub.html"
#: Where a language's plan and the frame pages' own files go, in its work folder.
PLAN_FILE = "frames.json"
FRAMED_FOLDER = "framed"

_START, _PROBE, _END = "\ue000", "\ue002", "\ue001"
#: Text marked in a frame: its slot's name, then a sample of HTML whose printed form tells
#: how the theme prints the slot (as it is, escaped, tags stripped...).
_SAMPLE = '<bdi>A</bdi>  <span lang="fr" dir="ltr">B</span>&#39;'
_SLOT = re.compile(f"{_START}([a-z]+[0-9]*)(?:{_PROBE}([^{_END}]*))?{_END}")
#: What is left of a slot the theme printed in a way not in `TRANSFORMS` (cut, URL-encoded...).
_MARKS = (_START, _PROBE, _END, "%EE%80%8", "%ee%80%8")
#: The front matter of a generated page: `key: <JSON>` lines (`render._front_matter`).
_META_LINE = re.compile(r"^([A-Za-z_]+): (.*)$")
#: Front matter that is the page's own text, in slots; the rest decides the frame.
_SLOT_META = ("title", "description")


def _plain(text: str) -> str:
    # overrides/main.html's `plain_title`: isolates for <bdi>, tags stripped, escaped
    return str(escape(Markup(text.replace("<bdi>", "\u2068").replace("</bdi>", "\u2069")).striptags()))


#: How a theme prints a text (Jinja without autoescape): the candidates a frame's samples are matched against.
TRANSFORMS: dict[str, Callable[[str], str]] = {
    "raw": lambda text: text,
    "escaped": lambda text: str(escape(text)),
    "stripped": lambda text: Markup(text).striptags(),
    "stripped-escaped": lambda text: str(escape(Markup(text).striptags())),
    "plain": _plain,
}


#: The end of a message about a frame: a coordinator cannot mend the theme alone.
_ASK = "signalez-le aux personnes qui maintiennent le portail"

#: The slots, as a message names them.
_SLOT_NAMES = {
    "title": "le titre",
    "description": "la description",
    "name": "un titre de section",
    "id": "un lien de section",
}


class FrameError(Exception):
    """A frame that cannot be filled (the theme printed a slot in an unknown way); the message says which."""


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """A generated page's front matter (as data) and body (see `render.render_page`)."""
    head, body = text.split("\n---\n\n", 1)
    meta: dict[str, Any] = {}
    for line in head.split("\n")[1:]:
        match = _META_LINE.match(line)
        if match:
            meta[match.group(1)] = json.loads(match.group(2))
    return meta, body


def _front_matter(meta: dict[str, Any]) -> str:
    return "---\n" + "".join(f"{key}: {yaml_value(value)}\n" for key, value in meta.items()) + "---\n\n"


def finished_body(body: str) -> str:
    """A generated page's body as the theme's pass after the engine leaves it inside a page
    (`theme_html.without_indentation`, and no blank line at its ends), so that the same text
    goes into a frame as it is."""
    return without_indentation(body).strip("\n").lstrip().rstrip(" \t")


def _shape(tokens: list[dict[str, Any]]) -> list[Any]:
    return [[token["level"], _shape(token["children"])] for token in tokens]


def _flat(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for token in tokens for item in (token, *_flat(token["children"]))]


def _sentinel(name: str, sample: bool = True) -> str:
    return f"{_START}{name}{_PROBE}{_SAMPLE}{_END}" if sample else f"{_START}{name}{_END}"


def frame_text(meta: dict[str, Any], body: str) -> str:
    """The frame page of a group whose first page is `meta` and `body`: its front matter with
    slots for the texts, and as body one line holding the slots of its headings."""
    framed = dict(meta)
    framed["title"] = _sentinel("title")
    if "description" in meta:
        framed["description"] = _sentinel("description")
    framed[FRAME] = "frame"
    headings = []
    for index, token in enumerate(_flat(toc_tokens(body))):
        level = token["level"]
        headings.append(f'<h{level} id="{_sentinel(f"id{index}", False)}">{_sentinel(f"name{index}")}</h{level}>')
    return _front_matter(framed) + f"{_START}article{''.join(headings)}{_END}"


def stub_text(meta: dict[str, Any], body: str) -> str:
    """A page the engine lists but does not render (its template is empty)."""
    return _front_matter({**meta, "template": STUB_TEMPLATE, FRAME: "stub"}) + body


@dataclass
class _Group:
    first: str
    first_text: str
    members: list[str] = field(default_factory=list)
    check: str | None = None  # the second page: rendered by the engine too, compared with its fill


def _kept_as_is(text: str) -> bool:
    """Whether a text keeps its white space in the theme's pass after the engine, which removes
    it at the start and end of lines (`theme_html.without_indentation`): a slot's text that
    would lose some there cannot be put into a frame that has lost it already."""
    return not text or ("\n" not in text and "\r" not in text and not text[0].isspace() and text[-1] not in " \t")


class FramePlanner:
    """Groups a language's generated pages as they are written (`page`), then writes the plan (`close`)."""

    def __init__(self, docs: Path, work: Path, entry_urls: Iterable[str], in_navigation: Iterable[str]) -> None:
        self._docs, self._work = docs, work
        self._prefixes = entry_prefixes(entry_urls)
        self._in_navigation = frozenset(in_navigation)
        self._groups: dict[str, _Group] = {}

    def _key(self, path: str, meta: dict[str, Any], body: str) -> str | None:
        if not meta.get(HTML_PAGE) or path in self._in_navigation:
            return None
        tokens = toc_tokens(body)
        texts = [str(meta.get(key, "")) for key in _SLOT_META] + [token["name"] for token in _flat(tokens)]
        if not all(_kept_as_is(text) for text in texts):
            return None
        where: Key = layout_key(file_url(path), self._prefixes)
        rest = {key: value for key, value in meta.items() if key not in _SLOT_META}
        return json.dumps([where, rest, "description" in meta, "<h1" in body, _shape(tokens)], sort_keys=True)

    def page(self, path: str, text: str) -> str:
        """What to write in the docs folder for the generated page `path` whose file is `text`."""
        if not path.endswith(".md") or not text.startswith("---\n"):
            return text  # a calendar, a sheet... not a page
        meta, body = split_page(text)
        key = self._key(path, meta, body)
        if key is None:
            return text
        body = finished_body(body)
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = _Group(path, _front_matter(meta) + body, [path])
            return _front_matter(meta) + body
        if len(group.members) == 1:  # a second page: the first becomes the group's frame
            saved = self._work / FRAMED_FOLDER / group.first
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_text(group.first_text, encoding="utf-8")
            first_meta, first_body = split_page(group.first_text)
            (self._docs / group.first).write_text(frame_text(first_meta, first_body), encoding="utf-8")
        group.first_text = ""  # no longer needed in memory
        group.members.append(path)
        if group.check is None:
            # The engine renders the second page too: its fill must give the same bytes, or the
            # theme prints on each page something its frame does not have (an "edit" link...).
            group.check = path
            return _front_matter(meta) + body
        return stub_text(meta, body)

    def close(self) -> None:
        plan = [
            {"frame": g.first, "check": g.check, "pages": g.members}
            for g in self._groups.values()
            if len(g.members) > 1
        ]
        (self._work / PLAN_FILE).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")


# --- after the engine ------------------------------------------------------


def file_url(path: str) -> str:
    """A file's address in its language's site, as MkDocs gives it (`File.url`)."""
    if path.endswith(".md"):
        return quote(routes.folder_url(path) or "./")
    return quote(path)


def _parts(url: str) -> list[str]:
    normal = posixpath.normpath(url if url.startswith("/") else "/" + url)[1:]
    return normal.split("/") if normal else []


def relative_url(url: str, base: str) -> str:
    """`url` relative to the page at `base` (both site addresses), as MkDocs writes links."""
    folder, _, last = base.rpartition("/")
    if "." in last:
        base = folder
    from_parts, to_parts = _parts(base), _parts(url)
    common = 0
    for a, b in zip(from_parts, to_parts, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


#: A link of a generated page to a file of the site, written from the docs folder's root.
_SITE_LINK = re.compile(r'(href|src)="/([^"#?]*)((?:#[^"]*)?)"')


@functools.lru_cache(maxsize=65536)
def _link(target: str, here: str) -> str:
    # a territory's pages link to the same few hundred pages, from a few dozen folders
    return relative_url(file_url(target), here)


def resolved_links(body: str, path: str, files: frozenset[str], missing: list[str]) -> str:
    """`body`'s '/x.md' links made relative to the page `path`; those to no file are added to `missing`."""
    here = file_url(path)
    parent, _, last = here.rpartition("/")
    folder = parent if "." in last else here  # what a relative link starts from (`relative_url`)

    def resolve(match: re.Match[str]) -> str:
        attribute, target, fragment = match.groups()
        if target not in files:
            missing.append(target)
            return match.group()
        return f'{attribute}="{_link(target, folder)}{fragment}"'

    return _SITE_LINK.sub(resolve, body)


@dataclass(frozen=True)
class Frame:
    """A frame as the engine wrote it, cut at its slots: text, slot, text, slot... text."""

    texts: list[str]
    slots: list[tuple[str, Callable[[str], str]]]

    @classmethod
    def read(cls, html: str, article: str, frame_url: str, toc_names: dict[int, str]) -> Frame:
        """Cut a frame page's HTML around its `article` (the frame page's body, as written);
        `frame_url` is its own address (in its links, a slot too)."""
        start = html.find(article)
        end = start + len(article)
        if start < 0 or html.find(article, end) >= 0:
            raise FrameError("le contenu de la page modèle est introuvable dans ce que le thème a écrit")
        texts: list[str] = []
        slots: list[tuple[str, Callable[[str], str]]] = []
        for index, part in enumerate((html[:start], html[end:])):
            if index:
                slots.append(("article", TRANSFORMS["raw"]))
            cls._cut(part, frame_url, toc_names, texts, slots)
        if any(mark in text for text in texts for mark in _MARKS):
            raise FrameError("un repère de la page modèle est resté dans ce que le thème a écrit (coupé ou transformé)")
        return cls(texts, slots)

    @staticmethod
    def _cut(
        html: str,
        frame_url: str,
        toc_names: dict[int, str],
        texts: list[str],
        slots: list[tuple[str, Callable[[str], str]]],
    ) -> None:
        # The page's own address ends a link (canonical, alternates, the language switcher).
        address = re.compile(f'(?<=/){re.escape(frame_url)}(?=")') if frame_url != "./" else None
        position = 0
        pieces: list[tuple[int, int, str, str | None]] = [
            (m.start(), m.end(), m.group(1), m.group(2)) for m in _SLOT.finditer(html)
        ]
        if address is not None:
            pieces += [(m.start(), m.end(), "url", None) for m in address.finditer(html)]
        for start, end, name, printed in sorted(pieces):
            texts.append(html[position:start])
            slots.append((name, _transform(name, printed, toc_names)))
            position = end
        texts.append(html[position:])

    def fill(self, values: dict[str, str]) -> str:
        out = [self.texts[0]]
        for (name, transform), text in zip(self.slots, self.texts[1:], strict=True):
            out.append(transform(values[name]))
            out.append(text)
        return "".join(out)


def _transform(name: str, printed: str | None, toc_names: dict[int, str]) -> Callable[[str], str]:
    if printed is None:
        return TRANSFORMS["raw"]
    given = toc_names[int(name[4:])] if name.startswith("name") else _SAMPLE
    for transform in TRANSFORMS.values():
        if transform(given) == printed:
            return transform
    what = _SLOT_NAMES.get(name.rstrip("0123456789"), name)
    raise FrameError(f"le thème écrit {what} ({name}) d'une façon que le portail ne sait pas reproduire : {printed!r}")


def _given_sample(name: str) -> str:
    match = _SLOT.fullmatch(name)
    if match is None or match.group(2) is None:
        raise FrameError(f"un titre de section de la page modèle a été changé : {name!r}")
    return match.group(2)


def _page_values(meta: dict[str, Any], body: str, url: str) -> dict[str, str]:
    values = {"title": str(meta["title"]), "description": str(meta.get("description", "")), "url": url}
    values["article"] = body
    for index, token in enumerate(_flat(toc_tokens(body))):
        values[f"id{index}"] = token["id"]
        values[f"name{index}"] = token["name"]
    return values


def _docs_files(docs: Path) -> frozenset[str]:
    return frozenset(path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file())


def _dest(path: str) -> str:
    url = routes.folder_url(path)
    return f"{url}index.html" if not url or url.endswith("/") else url


def fill_language(work: Path, docs: Path, site: Path, search_sources: Path | None, language: str) -> list[str]:
    """Write every framed page of a language's built `site`; return what went wrong (in French)."""
    plan_file = work / PLAN_FILE
    if not plan_file.is_file():
        return []
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    files = _docs_files(docs)
    problems: list[str] = []
    made: set[Path] = set()  # folders made already (a mkdir is slow on some disks)
    for group in plan:
        frame_path: str = group["frame"]
        try:
            frame_html = (site / _dest(frame_path)).read_bytes().decode("utf-8")
        except OSError:
            problems.append(f"erreur : {frame_path} : le moteur n'a pas écrit cette page, qui sert de modèle : {_ASK}")
            continue
        _, frame_body = split_page((docs / frame_path).read_text(encoding="utf-8"))
        # A heading's sample as the table of contents gives it to the theme (`headings.toc_name`)
        try:
            names = {index: _given_sample(t["name"]) for index, t in enumerate(_flat(toc_tokens(frame_body)))}
            frame = Frame.read(frame_html, frame_body, file_url(frame_path), names)
        except FrameError as error:
            problems.append(
                f"erreur : {frame_path} : {error}. Les modifications du thème (dossier overrides/ ou theme.custom_dir) "
                f"en sont sans doute la cause : {_ASK}"
            )
            continue
        for path in group["pages"]:
            source = work / FRAMED_FOLDER / path if path == frame_path else docs / path
            meta, body = split_page(source.read_text(encoding="utf-8"))
            missing: list[str] = []
            body = resolved_links(body, path, files, missing)
            problems += [
                f"avertissement : la page « {path} » contient un lien vers « /{m} », qui n'existe pas." for m in missing
            ]
            target = site / _dest(path)
            filled = frame.fill(_page_values(meta, body, file_url(path))).encode("utf-8")
            if path == group["check"]:
                if not target.is_file() or target.read_bytes() != filled:
                    problems.append(
                        f"erreur : {path} : le thème y écrit autre chose que dans les pages de même forme "
                        f"(comme {frame_path}), par exemple un lien « modifier la page » (réglage edit_uri) ou la "
                        "date d'un module ajouté à plugins: dans mkdocs.yml ; retirez ce réglage ou ce module, ou "
                        f"{_ASK}"
                    )
                continue  # written by the engine, with its search document
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(filled)
            search = meta.get("search")
            if search_sources is not None and not (isinstance(search, dict) and search.get("exclude")):
                write_search_document(search_sources, _dest(path), body, str(meta["title"]), language)
    return problems

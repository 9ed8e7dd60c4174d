"""Search: a Pagefind index of each language's pages, next to them.

Pagefind splits the index in small pieces: a search downloads the pieces its
words need (a few dozen kilobytes), where the theme's search loaded one index of
the whole site (megabytes for a département). Each language's index is in its
own folder (``<lang>/pagefind/``), so that languages built apart (a CI matrix)
put together need nothing more. Only the article of a page is indexed
(``data-pagefind-body``, see ``overrides/main.html``).

Pagefind does not read the built pages: it holds what it reads in memory,
about five times the HTML, and a département's pages are hundreds of
megabytes. During each language's MkDocs build, the ``portal`` plugin writes
the article of each searchable page, alone, to a sources folder laid out as
the site (`search_document`); once every language's MkDocs process is done,
Pagefind indexes these sources one language at a time (`index_language`).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

#: Where the index goes, inside a language's site.
BUNDLE = "pagefind"


class SearchIndexError(Exception):
    """Pagefind could not index a language's pages; the message says why."""


#: Drawings (maps, QR codes): nothing to search in, and most of a record page's bytes.
_DRAWING = re.compile(r"<svg\b.*?</svg>", re.S)


def search_document(article: str, title: str, language: str) -> str:
    """What Pagefind reads of a page: its article (HTML) without drawings, and its title."""
    article = _DRAWING.sub("", article)
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title></title></head>'
        f'<body><div data-pagefind-body data-pagefind-meta="title:{html.escape(title)}">{article}</div></body></html>'
    )


def write_search_document(sources: Path, dest_path: str, article: str, title: str, language: str) -> None:
    """Write a page's search document at the page's place in the sources folder."""
    target = sources / dest_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(search_document(article, title, language), encoding="utf-8")


def index_language(sources: Path, site: Path, language: str) -> None:
    """Index one language's search documents (`sources`) into its built site (`site`)."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(sources),
        "--output-path",
        str(site / BUNDLE),
        # one index in the language of the site, stemmed where Pagefind knows the language
        "--force-language",
        language.split("-")[0],
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(
            f"l'index de recherche de « {language} » a échoué : {(result.stderr or result.stdout).strip()}"
        )
    # Pagefind's ready-made interfaces: the portal has its own search page (portal-search.js).
    for unused in (site / BUNDLE).glob("pagefind-*ui.*"):
        unused.unlink()
    (site / BUNDLE / "pagefind-highlight.js").unlink(missing_ok=True)

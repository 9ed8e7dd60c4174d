"""Parts of the theme's layout rendered once for many pages.

The theme renders the whole navigation (side menu and tabs) on every page:
that was a fifth of MkDocs' time on a territory's record pages. A page
outside the navigation (a service, a permanence...) activates none of its
entries, so its menu differs from another such page's only by the relative
links to the entries: pages whose addresses share what matters to these
links (the part they have in common with some entry, and their depth) get the
same menu, rendered once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup

Key = tuple[tuple[str, ...], int]


def _parts(url: str) -> tuple[str, ...]:
    return tuple(part for part in url.split("/") if part)


def _folders(page_url: str) -> tuple[str, ...]:
    """The folders a relative link starts from: a last part with a dot is a file (as MkDocs has it)."""
    folder, _, last = page_url.rpartition("/")
    return _parts(folder if "." in last else page_url)


def entry_prefixes(entry_urls: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """Every leading run of folders of the navigation's entries."""
    prefixes: set[tuple[str, ...]] = set()
    for url in entry_urls:
        parts = _parts(url)
        prefixes.update(parts[:n] for n in range(1, len(parts) + 1))
    return frozenset(prefixes)


def layout_key(url: str, prefixes: frozenset[tuple[str, ...]]) -> Key:
    """What a relative link from the page at `url` to an entry depends on.

    A link from `a/b/c/` to an entry is `../` for each folder of the page after
    the longest run it shares with the entry, then the rest of the entry's path:
    the page's folders matter as far as they begin an entry's path; after that,
    only their number.
    """
    parts = _folders(url)
    shared = 0
    while shared < len(parts) and parts[: shared + 1] in prefixes:
        shared += 1
    return parts[:shared], len(parts)


class LayoutCache:
    """Rendered parts of the layout, by part and page key; a page in the navigation gets none."""

    def __init__(self, entry_urls: Iterable[str]) -> None:
        self._prefixes = entry_prefixes(entry_urls)
        self._parts: dict[tuple[str, Key], Markup] = {}
        self._key: Key | None = None

    def enter(self, url: str, in_navigation: bool) -> None:
        """The page about to be rendered."""
        self._key = None if in_navigation else layout_key(url, self._prefixes)

    def __call__(self, name: str, render: Callable[[], str]) -> Markup:
        if self._key is None:
            return Markup(render())
        key = (name, self._key)
        if key not in self._parts:
            self._parts[key] = Markup(render())
        return self._parts[key]

"""What every page of one language is made from: `RenderContext`.

A page function takes the context and the id of what it shows, and returns a
`Page`; it reads nothing else. The context is made once per language and
never changes, but for a memo of the views that many pages share (a record's
card): see `remember`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from ..config import Edition, SiteSettings
from ..records.directory import Directory
from ..records.models import EasyStep
from .geo import SpatialIndex
from .localize import Localizer

if TYPE_CHECKING:
    from .pages.base import Page

T = TypeVar("T")


@dataclass(frozen=True)
class Guide:
    """A hand-written guide (content/<lang>/guides/), as record pages link to it."""

    title: str
    language: str  # the language the title is really in: French when the guide is not translated
    easy: tuple[EasyStep, ...] = ()  # its easy-read text (front matter `easy:`), in that language


@dataclass(frozen=True)
class RenderContext:
    """One language's site: the records, the localizer, the site's settings, the guides."""

    directory: Directory
    loc: Localizer
    site: SiteSettings
    guides: Mapping[str, Guide] = field(default_factory=dict)
    # Views shown on many pages, by key: each with how many texts it showed in French.
    _memo: dict[Hashable, tuple[Any, int]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def for_language(
        cls, directory: Directory, language: str, site: SiteSettings, guides: Mapping[str, Guide] | None = None
    ) -> RenderContext:
        # The public site is made from records without their `professional:` parts: no page
        # function can show what it is not given.
        if site.edition is not Edition.PRO:
            directory = directory.without_professional()
        return cls(directory, Localizer(language), site, dict(guides or {}))

    @property
    def professional(self) -> bool:
        """Whether these pages are the professionals' edition's."""
        return self.site.edition is Edition.PRO

    @property
    def language(self) -> str:
        return self.loc.language

    @property
    def today(self) -> dt.date:
        return self.directory.today

    @property
    def site_name(self) -> str:
        """The site's name in this language."""
        return self.site.name_in(self.language)

    @cached_property
    def spatial(self) -> SpatialIndex:
        """The services by place, for the maps: made once for all the maps of the site."""
        return SpatialIndex(self.directory)

    def page(self, make: Callable[..., Page], *args: Any) -> Page:
        """`make(self, *args)`: a page, which says so when some of its text is shown in French."""
        page, fallbacks = self.loc.counting_fallbacks(lambda: make(self, *args))
        return replace(page, fallback=True) if fallbacks else page

    def remember(self, key: Hashable, make: Callable[[], T]) -> T:
        """A view the same on every page that shows it (a record's card), made once.

        Each page that shows it again counts the texts it shows in French, as if it
        had been made for that page: its notice does not depend on the pages before it.
        """
        if key in self._memo:
            remembered, fallbacks = self._memo[key]
            self.loc.add_fallbacks(fallbacks)
            return remembered  # type: ignore[no-any-return]  # made by `make`: a T
        value, fallbacks = self.loc.counting_fallbacks(make)
        self._memo[key] = (value, fallbacks)
        return value

"""Site stage: the rendered pages in, a built site out (MkDocs + mkdocs-material).

    build_site(config, directory, Path("site"))

`build` writes each language's work folder (generated pages, hand-written pages
from `content`, a small mkdocs.yml that inherits the territory's), runs one
MkDocs build per language in parallel processes, indexes the search
(`search`), writes the shared files (data/) and swaps the result into place;
`engines` runs the engine (MkDocs, ProperDocs) and `finish` corrects what it wrote;
`plugin` is the `portal` MkDocs plugin (theme data, links between languages,
the layout cache of `layout_cache`);
`preview` is the live preview of `serve`; `region` the page of a regional portal.
"""

from .build import SITE_MARKER, BuildError, build_site
from .engines import LanguageResult

__all__ = ["SITE_MARKER", "BuildError", "LanguageResult", "build_site"]

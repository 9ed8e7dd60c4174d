"""The theme's templates that the portal overrides, wraps or corrects, as pinned.

`overrides/` replaces or extends some of mkdocs-material's templates, and
`site/finish.py` (`theme_html.corrected`) corrects markup written by others. A new
theme release (or another theme, docs/adr/0001-theme-after-security-support.md)
that changes one of them may break the pages silently: this test names the file
that changed, so that someone compares it with what we rely on before moving the
pin, then writes its new fingerprint here.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import material.templates

THEME = Path(material.templates.__path__[0])
PINNED_VERSION = "9.8.1"

#: sha256 of each theme template we depend on, and what depends on it.
PINNED = {
    # overrides/main.html extends it: blocks htmltitle, extrahead, content, tabs, announce,
    # config, scripts; the drawer checkbox and skip link that theme_html moves and names
    "base.html": "8536d352b0093623df9e0032894f321cbe264b15a9b48cdd962583772455dadb",
    # overrides/main.html stands in for it (it only extends base.html)
    "main.html": "9948b55a7bc979c35825df99baba9e6971fca4eb298dea3cdde61e990a2de5e0",
    "404.html": "80c93494b5432b1bcdf292caeb67a0653c45b37372f49e08ad4a70ca695a7495",
    # overridden whole: the language switcher, the footer, the theme's words, the side menu's cache
    "partials/alternate.html": "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    "partials/copyright.html": "bc86bca3bf75070fe5d72e2a3463bdddf87c10f4d6459c945fe81c5d384e35ea",
    "partials/language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
    # wrapped (rendered once per group of pages: site/layout_cache.py)
    "partials/nav.html": "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f",
    "partials/tabs.html": "d2c82916569e645a6b6dc5a36a2beddfaca5a66c8738c5b3e13b7d100ac2e8b7",
    # corrected after the build (theme_html): autocomplete on checkboxes, autocorrect, the toc label
    "partials/nav-item.html": "89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7",
    "partials/search.html": "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
    "partials/toc.html": "fde48f583563364b0e0e6865a5ab1e7060ec1826161f69f5cbee653e621b0f84",
    # the header holds the language switcher and the search field
    "partials/header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
}


def test_the_pinned_theme_is_installed():
    assert version("mkdocs-material") == PINNED_VERSION


def test_the_theme_templates_we_override_or_correct_are_as_pinned():
    changed = [
        name
        for name, fingerprint in PINNED.items()
        if hashlib.sha256((THEME / name).read_bytes()).hexdigest() != fingerprint
    ]
    assert changed == [], (
        f"mkdocs-material's {', '.join(changed)} changed: compare with overrides/ and site/theme_html.py, "
        "then write the new fingerprints in tests/test_theme_pin.py"
    )


def test_every_template_of_our_overrides_is_pinned():
    overrides = Path(__file__).parent.parent / "overrides"
    ours = {path.relative_to(overrides).as_posix() for path in overrides.rglob("*.html")}
    assert ours <= set(PINNED), sorted(ours - set(PINNED))

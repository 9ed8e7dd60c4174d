"""The corrections made to every page the theme writes (`generator.site.theme_html`)."""

from __future__ import annotations

import random
import re

from generator.site.theme_html import corrected, without_indentation

INDENTATION = re.compile(r"[ \t]*\n\s*")


def test_indentation_is_collapsed_exactly_as_the_regular_expression_would():
    # The line-by-line version replaced this substitution for speed: same result on
    # any text, spaces of every kind included.
    alphabet = ["a", "<b>", " ", "\t", "\n", "\xa0", "\r", "\u2028", "\x0b"]
    generator = random.Random(0)
    for _ in range(20000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 14)))
        assert without_indentation(text) == INDENTATION.sub("\n", text), repr(text)


def test_preformatted_text_keeps_its_spaces():
    page = "<div>\n    <p>a</p>\n</div>\n<pre>  x\n    y</pre>\n  <textarea>\n  z</textarea>"
    assert without_indentation(page) == "<div>\n<p>a</p>\n</div>\n<pre>  x\n    y</pre>\n<textarea>\n  z</textarea>"


def test_theme_markup_is_made_valid():
    page = (
        '<html lang="ar">\n  <input type="checkbox" autocomplete="off" id="__drawer">\n'
        '  <input type="text" autocorrect="off" name="q">\n  <label class="md-nav__title" for="__toc">'
    )
    fixed = corrected(page, "rtl")
    assert fixed.startswith('<html lang="ar" dir="rtl">')
    assert "autocomplete" not in fixed and "autocorrect" not in fixed and 'for="__toc"' not in fixed


def test_the_menu_checkbox_is_named_and_comes_after_the_skip_link():
    # As mkdocs-material 9.8 writes the start of <body>: the menu's checkbox, which the
    # style sheet lets take focus, then the skip link.
    page = (
        '<body dir="ltr">\n<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">\n'
        '<label class="md-overlay" for="__drawer"></label>\n'
        '<div data-md-component="skip">\n<a href="#titre" class="md-skip">\nAller au contenu\n</a>\n</div>\n'
        '<div data-md-component="announce">'
    )
    fixed = corrected(page, "ltr", 'Menu "principal"')
    assert fixed.index('class="md-skip"') < fixed.index('id="__drawer"') < fixed.index('id="__search"')
    assert fixed.count('data-md-component="skip"') == 1
    assert 'data-md-toggle="drawer" aria-label="Menu &#34;principal&#34;" type="checkbox"' in fixed
    assert fixed.endswith('<label class="md-overlay" for="__drawer"></label>\n<div data-md-component="announce">')
    # a page without the theme's menu (a fragment, a redirect) is left as it is
    assert corrected("<p>x</p>", "ltr", "Menu") == "<p>x</p>"


def test_pages_with_the_same_layout_key_get_the_same_links_to_every_entry():
    from mkdocs.utils import get_relative_url

    from generator.site.layout_cache import entry_prefixes, layout_key

    entries = ["", "services/", "guides/ame/", "guides/css/", "parcours/", "a-propos/", "assets/images/logo.svg"]
    prefixes = entry_prefixes(entries)
    folders = ["services", "guides", "ame", "parcours", "x", "communes", "assets", "index.html", "404.html"]
    generator = random.Random(0)
    pages = {"/".join(generator.choice(folders) for _ in range(generator.randint(0, 4))) + "/" for _ in range(3000)}
    pages |= {"404.html", "", "guides/404.html"}
    by_key: dict = {}
    for url in pages:
        links = tuple(get_relative_url(entry, url) for entry in entries)
        assert by_key.setdefault(layout_key(url, prefixes), links) == links, url
    assert len(by_key) < len(pages) / 10  # and the key does group pages


def test_the_pass_after_the_engine_corrects_only_the_pages_it_wrote(tmp_path):
    from generator.site.finish import finish_language, menu_name, snapshot

    site, docs = tmp_path / "site", tmp_path / "docs"
    page = (
        '<html lang="fr">\n<body>\n<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
        '<div data-md-component="skip">\n<a href="#t" class="md-skip">Aller</a>\n</div>\n</body>\r\n'
    )
    for relative, text in {
        "index.html": page,
        "services/a/index.html": page,
        "404.html": page,
        "media/copie.html": page,  # copied from the docs folder as it was: not a page of the theme
        "assets/javascripts/bundle.123.min.js": "x",
        "assets/javascripts/workers/search.js": "x",
        "assets/javascripts/portal-now.js": "x",
        "assets/stylesheets/main.css.map": "x",
    }.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(text.encode())
    (docs / "media").mkdir(parents=True)
    (docs / "media" / "copie.html").write_bytes(page.encode())

    menu = menu_name("fr", None)
    assert menu == "Navigation"  # the theme's own French word
    assert finish_language(site, docs, "ltr", menu) == 3
    home = (site / "index.html").read_bytes().decode()
    assert home.startswith('<html lang="fr" dir="ltr">') and home.count('aria-label="Navigation"') == 1
    assert home.endswith("</body>\r\n")  # line endings as the engine wrote them
    assert (site / "media" / "copie.html").read_bytes() == page.encode()
    assert not (site / "assets" / "javascripts" / "workers").exists()
    left = sorted(p.relative_to(site).as_posix() for p in (site / "assets").rglob("*"))
    assert left == ["assets/javascripts", "assets/javascripts/portal-now.js", "assets/stylesheets"]

    # A dirty build wrote one page again: only that one is corrected, the others not twice.
    before = snapshot(site)
    (site / "services" / "a" / "index.html").write_text(page, encoding="utf-8")
    assert finish_language(site, docs, "ltr", menu, before) == 1
    for relative in ("index.html", "services/a/index.html"):
        assert (site / relative).read_text(encoding="utf-8").count('aria-label="Navigation"') == 1

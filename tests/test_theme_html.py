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

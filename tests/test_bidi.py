"""Left-to-right fragments in right-to-left text: isolated, and shown in the right order."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from generator.i18n.bidi import FSI, PDI, isolate_html, isolate_plain
from generator.records.types import LocalizedText
from generator.render.localize import Localizer

from helpers import make_browser

QUESTION = {
    "ar": "هل لديك التأمين الصحي (Assurance Maladie)؟",
    "ps": "ایا تاسو روغتیايي بیمه (Assurance Maladie) لرئ؟",
}
PHONE = {
    "ar": "اتصلوا بالرقم 01 99 00 12 34 من الإثنين إلى الجمعة.",
    "ps": "د دوشنبې نه تر جمعې 01 99 00 12 34 ته زنګ ووهئ.",
}


def test_latin_fragments_are_isolated_in_plain_text() -> None:
    assert isolate_plain(QUESTION["ar"]) == f"هل لديك التأمين الصحي ({FSI}Assurance Maladie{PDI})؟"
    assert isolate_plain("اتصلوا بـ 01 99 00 12 34.") == f"اتصلوا بـ {FSI}01 99 00 12 34{PDI}."
    assert isolate_plain("مركز C.C.A.S. de Redon، 9h30") == f"مركز {FSI}C.C.A.S. de Redon{PDI}، {FSI}9h30{PDI}"
    assert isolate_plain("من 9 إلى 12") == "من 9 إلى 12"  # numbers alone keep the sentence's order


def test_html_isolates_text_only_and_leaves_marked_elements() -> None:
    html = '<p>هل (<a href="/x">Assurance &amp; Maladie</a>)؟ <span lang="fr" dir="ltr">Bonjour <b>toi</b></span></p>'
    assert isolate_html(html) == (
        '<p>هل (<a href="/x"><bdi>Assurance &amp; Maladie</bdi></a>)؟ <span lang="fr" dir="ltr">Bonjour <b>toi</b></span></p>'
    )


@pytest.mark.parametrize("language", ["ar", "ps"])
def test_localizer_isolates_record_text_and_placeholders(language: str) -> None:
    loc = Localizer(language)
    assert "(<bdi>Assurance Maladie</bdi>)" in loc.text(LocalizedText({"fr": "x", language: QUESTION[language]}))
    assert "<bdi>Redon</bdi>" in loc.gettext("Places in %(commune)s", commune="Redon")
    block = loc.block(LocalizedText({"fr": "x", language: PHONE[language]}), under=2)
    assert "<bdi>01 99 00 12 34</bdi>" in block
    # left-to-right pages are left alone
    assert "<bdi>" not in Localizer("en").gettext("Places in %(commune)s", commune="Redon")


# In the page: where each character is on screen, and in which line.
_RECTS = """
const p = document.getElementById(arguments[0]);
const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
const rects = [];
let node;
while ((node = walker.nextNode())) {
  for (let i = 0; i < node.data.length; i++) {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    const r = range.getClientRects()[0];
    rects.push(r ? [node.data[i], r.left, r.right, Math.round(r.top)] : [node.data[i], null, null, null]);
  }
}
return rects;
"""


def _reading_order(rects: list[list[object]]) -> list[int]:
    """The indexes of the characters as a right-to-left reader meets them: line by line, right to left."""
    shown = [(i, r) for i, r in enumerate(rects) if r[1] is not None and str(r[0]).strip()]
    return [i for i, r in sorted(shown, key=lambda item: (item[1][3], -float(item[1][2])))]  # type: ignore[arg-type]


def _page(language: str) -> str:
    loc = Localizer(language)
    question = loc.text(LocalizedText({"fr": "x", language: QUESTION[language]}))
    phone = loc.text(LocalizedText({"fr": "x", language: PHONE[language]}))
    style = "font: 22px sans-serif; width: 230px; margin: 0 8px"
    return (
        f'<!DOCTYPE html><html lang="{language}" dir="rtl"><head><meta charset="utf-8"><title>t</title></head><body>'
        f'<p id="question" style="{style}">{question}</p><p id="phone" style="{style}; width: 340px; font-size: 15px">{phone}</p></body></html>'
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ar", "ps"])
def test_mixed_directions_on_screen(language: str) -> None:
    browser = make_browser(language)
    try:
        browser.set_window_size(360, 640)
        browser.get("data:text/html;charset=utf-8," + quote(_page(language)))
        # The question: "(" before the French term, ")" after it, then the question mark, in reading order;
        # the French term itself left to right.
        rects = browser.execute_script(_RECTS, "question")
        text = "".join(str(r[0]) for r in rects)
        order = _reading_order(rects)
        opening, closing = text.index("("), text.index(")")
        mark = max(text.index(q) for q in "؟?" if q in text)
        term = [text.index("Assurance"), text.index("Maladie")]
        lines = {rects[i][3] for i in range(len(text)) if rects[i][1] is not None}
        assert len(lines) > 1, "the sentence must wrap for the test to mean something"
        assert order.index(opening) < order.index(term[0]) < order.index(closing), (text, order)
        assert order.index(closing) < order.index(mark), (text, order)
        assert order.index(opening) < order.index(term[1]) < order.index(closing)
        if rects[term[0]][3] == rects[term[1]][3]:  # same line: "Assurance" left of "Maladie"
            assert rects[term[0]][1] < rects[term[1]][1]
        # The phone number: its groups left to right, as it is dialled.
        rects = browser.execute_script(_RECTS, "phone")
        text = "".join(str(r[0]) for r in rects)
        first, last = text.index("01"), text.index("34")
        assert rects[first][3] == rects[last][3], "the number is on one line"
        assert rects[first][1] < rects[last][1], f"the groups of {text!r} are shown in reverse order"
    finally:
        browser.quit()

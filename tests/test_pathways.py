"""Orientation pathways: walked through link by link in the built site, and bounded in size."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from helpers import DEMO, load_directory, render_pages

ANSWERS = re.compile(r'<ul class="portal-answers"[^>]*>(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


def page_file(site: Path, language: str, url: str) -> Path:
    return site / language / url / "index.html" if url.endswith("/") or not url else site / language / url


def answer_links(page: Path) -> list[str]:
    block = ANSWERS.search(page.read_text(encoding="utf-8"))
    return HREF.findall(block.group(1)) if block else []


def walk(site: Path, language: str, start: str) -> set[str]:
    """Every page reached from a pathway's first question by following answers."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        page = page_file(site, language, url)
        assert page.is_file(), f"{language}/{url} is linked but does not exist"
        todo.extend(posixpath.normpath(posixpath.join(url, href)) + "/" for href in answer_links(page))
    return seen


@pytest.mark.build
@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_pathway_can_be_walked_through_without_javascript(demo_site, language):
    directory = load_directory(DEMO)
    assert len(directory.pathways) >= 8
    for pid, pathway in directory.pathways.items():
        reached = walk(demo_site, language, f"parcours/{pid}/")
        expected = {f"parcours/{pid}/"} | {
            f"parcours/{pid}/{node}/" for node in [*pathway.questions, *pathway.outcomes] if node != pathway.start
        }
        assert reached == expected, (pid, expected ^ reached)
        for oid, outcome in pathway.outcomes.items():
            html = page_file(demo_site, language, f"parcours/{pid}/{oid}/").read_text(encoding="utf-8")
            assert 'class="portal-moves__restart"' in html  # "start again"
            if outcome.categories:  # the reader chooses a commune: a page per commune, plain links
                for slug in directory.commune_slugs.values():
                    assert f'href="{slug}/"' in html
                    assert page_file(demo_site, language, f"parcours/{pid}/{oid}/{slug}/").is_file()


def test_the_demo_pathways_are_translated_in_english_and_arabic():
    directory = load_directory(DEMO)
    for pid, pathway in directory.pathways.items():
        texts = [
            pathway.label,
            *(q.question for q in pathway.questions.values()),
            *(a.label for q in pathway.questions.values() for a in q.answers),
            *(o.title for o in pathway.outcomes.values()),
            *(o.advice for o in pathway.outcomes.values()),
        ]
        for text in texts:
            assert {"en", "ar"} <= set(text.values), (pid, text.source)


@pytest.mark.build
def test_question_pages_show_the_answers_given_so_far_and_how_to_go_back(demo_site_fr):
    directory = load_directory(DEMO)
    pid, pathway = next((pid, p) for pid, p in directory.pathways.items() if len(p.questions) > 1)
    second = pathway.questions[pathway.start].answers
    qid = next(a.next for a in second if a.next in pathway.questions)
    html = page_file(demo_site_fr, "fr", f"parcours/{pid}/{qid}/").read_text(encoding="utf-8")
    first = pathway.questions[pathway.start]
    answer = next(a for a in first.answers if a.next == qid)
    assert "Vos réponses" in html and answer.label.source in html
    assert 'class="portal-moves__back"' in html and 'class="portal-moves__restart"' in html


def count(pages: dict[str, str]) -> int:
    return sum(1 for path in pages if path.startswith("parcours/") and path != "parcours/index.md")


def test_pathway_pages_grow_with_nodes_and_outcomes_times_communes(minimal):
    # minimal: 2 questions, 3 outcomes of which 2 show places, 3 communes
    directory = load_directory(minimal)
    assert count(render_pages(directory, "fr", "Test", demo=False)) == 2 + 3 + 2 * 3
    territory = minimal / "territory.yml"
    extra = "".join(
        f'  - insee: "3500{n}"\n    name: Commune {n}\n    postcodes: ["35100"]\n    latitude: 47.6\n    longitude: -2.0\n'
        for n in range(3, 7)
    )
    territory.write_text(territory.read_text() + extra)
    directory = load_directory(minimal)
    # four more communes: four more pages per outcome that shows places, nothing else
    assert count(render_pages(directory, "fr", "Test", demo=False)) == 2 + 3 + 2 * 7

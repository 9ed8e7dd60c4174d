"""Record pages filled into frames (generator/site/frames.py) are what the engine makes of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator.site.frames import (
    FRAME,
    Frame,
    FrameError,
    FramePlanner,
    file_url,
    frame_text,
    relative_url,
    split_page,
)

from helpers import demo_config


def _files(site: Path) -> set[Path]:
    return {path.relative_to(site) for path in site.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def unframed_site(tmp_path_factory, demo_directory) -> Path:
    """The demo, every language, each page rendered by the engine (no frames)."""
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("unframed") / "site"
    build_site(demo_config(), demo_directory, site, frames=False)
    return site


@pytest.mark.build
def test_the_framed_demo_is_byte_for_byte_the_engines_in_every_language(demo_site, unframed_site):
    framed, unframed = _files(demo_site), _files(unframed_site)
    assert framed == unframed, sorted(framed ^ unframed)[:10]
    different = [str(p) for p in sorted(framed) if (demo_site / p).read_bytes() != (unframed_site / p).read_bytes()]
    assert len([p for p in framed if p.suffix == ".html"]) > 9000
    assert different == [], different[:10]


@pytest.mark.build
def test_most_generated_pages_are_filled_into_a_frame(tmp_path, demo_directory):
    from generator.site.build import prepare_language

    config_path = prepare_language(demo_config(), demo_directory, "ar", tmp_path / "work", tmp_path / "site")
    kinds: dict[str, int] = {}
    for page in (config_path.parent / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        kind = split_page(text)[0].get(FRAME, "engine") if text.startswith("---\n") else "engine"
        kinds[kind] = kinds.get(kind, 0) + 1
    # services, permanences, pathway outcomes...: all but the first two pages of each group
    # (the frame, and the page rendered to check the fill) are stubs
    assert kinds["stub"] > 0.55 * sum(kinds.values()), kinds
    assert kinds["frame"] < 200, kinds


PAGE = (
    '---\ntitle: "Caf&#39;&eacute; <bdi>L&amp;A</bdi>"\ndescription: "Un &quot;lieu&quot;"\nportal_html: true\n---\n\n'
)
BODY = '<h1 id="cafe">Café</h1>\n<h2 id="horaires">Horaires <span lang="fr" dir="ltr">(fr)</span></h2>\n<p>x</p>'


def _frame_html(article: str) -> str:
    """A frame the way a theme could print one: the title's text in <title>, its HTML in the header."""
    meta, _ = split_page(frame_text(*split_page(PAGE + BODY)))
    title = meta["title"]
    plain = Markup(title).striptags()
    return (
        f'<title>{plain}</title><link rel="canonical" href="https://x.example.org/fr/services/a/">'
        f'<header>{title}</header><a href="../../../en/services/a/">English</a><main>{article}</main>'
    )


def test_a_frame_is_filled_with_each_pages_own_texts():
    _, body = split_page(frame_text(*split_page(PAGE + BODY)))
    html = _frame_html(body)
    frame = Frame.read(html, body, "services/a/", {0: "Café", 1: 'Horaires <span lang="fr" dir="ltr">(fr)</span>'})
    page_meta, page_body = split_page(PAGE + BODY)
    values = {"title": page_meta["title"], "description": "", "url": "services/b/", "article": page_body}
    filled = frame.fill(values)
    assert '<link rel="canonical" href="https://x.example.org/fr/services/b/">' in filled
    assert '<a href="../../../en/services/b/">' in filled
    assert f"<header>{page_meta['title']}</header>" in filled
    assert f"<title>{Markup(page_meta['title']).striptags()}</title>" in filled
    assert f"<main>{page_body}</main>" in filled


def test_a_slot_printed_in_an_unknown_way_stops_the_fill():
    _, body = split_page(frame_text(*split_page(PAGE + BODY)))
    html = _frame_html(body).replace("\ue002<bdi>", "\ue002<i>", 1)
    with pytest.raises(FrameError, match="title"):
        Frame.read(html, body, "services/a/", {})


def test_the_planner_keeps_one_frame_per_group_and_stubs(tmp_path):
    docs = tmp_path / "docs"
    (docs / "services").mkdir(parents=True)
    planner = FramePlanner(docs, tmp_path, ["./", "guides/"], ["index.md"])
    for name in ("a", "b", "c"):
        path = f"services/{name}.md"
        (docs / path).write_text(planner.page(path, PAGE + BODY), encoding="utf-8")
    lonely = PAGE + "<p>no heading</p>"
    (docs / "services/d.md").write_text(planner.page("services/d.md", lonely), encoding="utf-8")
    planner.close()
    kinds = [split_page((docs / f"services/{n}.md").read_text(encoding="utf-8"))[0].get(FRAME) for n in "abcd"]
    # b: rendered by the engine too, to check its fill; d: alone in its group (no heading), rendered as it is
    assert kinds == ["frame", None, "stub", None]
    assert json.loads((tmp_path / "frames.json").read_text(encoding="utf-8")) == [
        {
            "frame": "services/a.md",
            "check": "services/b.md",
            "pages": ["services/a.md", "services/b.md", "services/c.md"],
        }
    ]
    assert (tmp_path / "framed" / "services/a.md").read_text(encoding="utf-8").endswith(BODY)


@pytest.mark.parametrize("title", [" Café", "Café ", "Café\nBar", "Café\t"])
def test_a_title_whose_white_space_the_theme_would_change_is_not_framed(tmp_path, title):
    docs = tmp_path / "docs"
    (docs / "services").mkdir(parents=True)
    planner = FramePlanner(docs, tmp_path, ["./"], ["index.md"])
    page = PAGE.replace("Caf&#39;&eacute; <bdi>L&amp;A</bdi>", title.replace("\n", "\\n").replace("\t", "\\t"))
    for name in ("a", "b", "c"):
        text = planner.page(f"services/{name}.md", page + BODY)
        assert FRAME not in split_page(text)[0]


def test_a_slot_the_theme_cut_stops_the_fill():
    _, body = split_page(frame_text(*split_page(PAGE + BODY)))
    html = _frame_html(body).replace("\ue001</header>", "</header>", 1)  # its end cut off (truncated)
    with pytest.raises(FrameError):
        Frame.read(html, body, "services/a/", {})


_segment = st.sampled_from(["a", "b", "index", "x.md", "..", ".", "img.png", "é"])
_path = st.lists(_segment, min_size=0, max_size=4).map("/".join)


@given(_path, _path, st.booleans())
def test_relative_links_are_mkdocs_own(url, base, folder):
    from mkdocs.utils import get_relative_url

    url = url + "/" if folder else url
    assert relative_url(url, base) == get_relative_url(url, base)


def test_file_addresses_are_mkdocs_own():
    from mkdocs.structure.files import File

    for path in ("index.md", "services/x.md", "guides/index.md", "calendrier/a.ics", "é/x.md", "a b/c.md"):
        assert file_url(path) == File(path, "/docs", "/site", use_directory_urls=True).url


def test_a_page_the_theme_prints_differently_from_its_frame_stops_the_build(tmp_path):
    """The second page of each group is rendered by the engine too: a theme that writes something
    of its own on each page (an "edit this page" link...) is caught there."""
    from generator.site.frames import fill_language

    work, docs, site = tmp_path, tmp_path / "docs", tmp_path / "site"
    (docs / "services").mkdir(parents=True)
    planner = FramePlanner(docs, work, ["./"], ["index.md"])
    for name in ("a", "b", "c"):
        (docs / f"services/{name}.md").write_text(planner.page(f"services/{name}.md", PAGE + BODY), encoding="utf-8")
    planner.close()
    _, frame_body = split_page((docs / "services/a.md").read_text(encoding="utf-8"))
    frame = _frame_html(frame_body)
    for name, edit in (("a", "a"), ("b", "b")):  # what an engine writes, with each page's own edit link
        (site / f"services/{name}").mkdir(parents=True)
        html = frame if name == "a" else _filled_like_the_engine(frame, frame_body, "b")
        (site / f"services/{name}/index.html").write_text(html + f'<a href="edit/{edit}.md">', encoding="utf-8")
    problems = fill_language(work, docs, site, None, "fr")
    assert len(problems) == 1 and problems[0].startswith("erreur : services/b.md : le thème y écrit autre chose")


def _filled_like_the_engine(frame_html: str, frame_body: str, name: str) -> str:
    names = {0: "Café", 1: 'Horaires <span lang="fr" dir="ltr">(fr)</span>'}
    meta, body = split_page(PAGE + BODY)
    values = {"title": meta["title"], "description": meta["description"], "url": f"services/{name}/", "article": body}
    values |= {"id0": "cafe", "id1": "horaires", "name0": names[0], "name1": names[1]}
    return Frame.read(frame_html, frame_body, "services/a/", names).fill(values)

"""How the site grows with the records (issue 10), without timing anything.

Three synthetic territories with the same communes and 90, 180 and 270
services: the pages must grow by the same number each step (one page per
record, nothing in the square of the records), the navigation must not change,
and only the explicit listings (by category, by commune) may list more records
as the territory grows; every other page keeps the same number of links to
records.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest

from generator import routes
from generator.config import MapSettings
from generator.records.synth import Settings, write_territory
from generator.render.localize import Localizer
from generator.site.build import _nav
from generator.site.content import content_pages

from helpers import DEMO, found, load_directory, render_pages

SIZES = (90, 180, 270)
COMMUNES = 5
MAP_LIMIT = 100  # the map page's `list_limit`: between the smallest and the largest
RECORD_LINK = re.compile(r'href="/(?:services|permanences)/[^"/]+\.md"')


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[int, dict[str, str]]:
    sites = {}
    for size in SIZES:
        folder = tmp_path_factory.mktemp(f"scale-{size}") / "directory"
        write_territory(Settings(services=size, communes=COMMUNES, seed=3, languages=("fr",)), folder)
        directory = load_directory(folder)
        pages = render_pages(directory, "fr", "Portail", demo=True, map=MapSettings(list_limit=MAP_LIMIT))
        sites[size] = {path: text for path, text in pages.items() if path.endswith(".md")}
        sites[size]["records"] = str(len(directory.services) + len(directory.permanences))
    return sites


def test_pages_grow_by_one_per_record(rendered):
    pages = {size: len(site) - 1 for size, site in rendered.items()}
    records = {size: int(site["records"]) for size, site in rendered.items()}
    steps = [(pages[b] - pages[a], records[b] - records[a]) for a, b in itertools.pairwise(SIZES)]
    # 90 more services (and their 30 permanences) each step: 120 more pages, no more
    assert steps == [(120, 120), (120, 120)]


def test_the_navigation_is_the_same_whatever_the_records():
    loc = Localizer("fr")
    content = content_pages(DEMO.parent / "content", "fr")
    nav = _nav(loc, content)
    targets = [next(iter(entry.values())) if isinstance(entry, dict) else entry for entry in nav]
    # the navigation names index pages only: no record, whatever the territory
    for target in targets:
        folder = target.split("/")[0]
        assert folder not in routes.NOT_IN_NAVIGATION or target == f"{folder}/index.md", target
    assert not any(t.startswith(("services/", "permanences/")) for t in targets)


#: Pages that list records by category or by commune: they grow with the territory.
LISTINGS = re.compile(
    r"categories/[^/]+\.md|communes/[^/]+\.md|calendrier/[^/]+\.md|imprimer/[^/]+\.md"
    r"|parcours/[^/]+/[^/]+/[^/]+\.md"  # an outcome in one commune: the places serving it
    r"|dispositifs/[^/]+\.md"  # who helps with a right, commune by commune
    r"|rapport/index\.md"  # the coordinator's list of records to check, by source
    r"|observatoire/index\.md"  # one row per commune
    r"|nouveaux-patients/[^/]+\.md"  # the practices serving a commune; the territory's up to CARD_LIMIT
)


def test_only_the_listings_list_more_records_as_the_territory_grows(rendered):
    small, large = rendered[SIZES[0]], rendered[SIZES[-1]]
    grown = []
    for path, text in small.items():
        if path == "records" or path.startswith(("services/", "permanences/")) or LISTINGS.fullmatch(path):
            continue
        if path == "carte/index.md":
            continue  # see the next test
        before, after = len(RECORD_LINK.findall(text)), len(RECORD_LINK.findall(large[path]))
        if after > before:
            grown.append((path, before, after))
    assert grown == []
    # the listings do grow: the check above could fail
    assert len(RECORD_LINK.findall(large["categories/index.md"])) == 0
    commune = next(p for p in small if p.startswith("communes/") and p != "communes/index.md")
    assert len(RECORD_LINK.findall(large[commune])) > len(RECORD_LINK.findall(small[commune]))


def test_the_map_page_lists_communes_beyond_its_limit(rendered):
    small, large = rendered[SIZES[0]]["carte/index.md"], rendered[SIZES[-1]]["carte/index.md"]
    # the list, not the drawing (whose symbols link to their places too)
    small_list, large_list = (re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S) for page in (small, large))
    # below `map.list_limit` (here MAP_LIMIT) every place; beyond, the communes and no place
    assert len(RECORD_LINK.findall(small_list)) == SIZES[0]
    assert len(RECORD_LINK.findall(large_list)) == 0
    assert len(re.findall(r'href="/communes/[^"/]+\.md"', large_list)) == COMMUNES
    # the interactive map is told where each commune's places are, not given them
    settings = json.loads(found(r'id="portal-map-settings">(.*?)</script>', large, re.S).group(1))
    assert len(settings["communes"]) == COMMUNES and sum(c[3] for c in settings["communes"]) == SIZES[-1]
    assert all(c[4].startswith("../../data/communes/") and c[4].endswith(".geojson") for c in settings["communes"])
    assert "communes" not in json.loads(found(r'id="portal-map-settings">(.*?)</script>', small, re.S).group(1))


def test_record_pages_stay_the_same_size(rendered):
    def median_size(site: dict[str, str], folder: str) -> float:
        sizes = sorted(
            len(text) for path, text in site.items() if path.startswith(folder + "/") and path != f"{folder}/index.md"
        )
        return sizes[len(sizes) // 2]

    for folder in ("services", "permanences"):
        small, large = median_size(rendered[SIZES[0]], folder), median_size(rendered[SIZES[-1]], folder)
        assert large < small * 1.15, (folder, small, large)

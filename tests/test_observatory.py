"""The observatory: figures per commune for the CLS and CPTS, its page and its CSV."""

from __future__ import annotations

import csv
import html
import io
import math
import re

import pytest

from generator import routes
from generator.opendata import csv_files
from generator.opendata.tables import OBSERVATORY_COLUMNS
from generator.records.indicators import observatory
from generator.records.models import NewPatients

from helpers import check, found, front_matter, load_directory, render_pages

PAGE = "observatoire/index.md"
#: The CSV's columns, in order, and those the page's table does not show.
OBSERVATORY_CSV_COLUMNS = [column.name for column in OBSERVATORY_COLUMNS]
NOT_SHOWN = ("population_year", "population_source", "gp_accepting", "as_of")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine, written again here: the test does not trust the function it checks."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_two_indicators_recomputed_from_the_records(demo_directory):
    """GP practices per 10,000 inhabitants and the nearest dentist, worked out here from the records."""
    d = demo_directory
    figures = {c.insee: c for c in observatory(d, ()).communes}
    gp_categories = {cid for cid, c in d.taxonomy.categories.items() if c.regular_doctor}
    dentists = [s for s in d.services.values() if "dentiste" in (s.category, *s.other_categories)]
    dentists += [
        d.place_of_permanence(pid)
        for pid, p in d.permanences.items()
        if "dentiste" in p.categories and not d.has_ended(pid)
    ]
    assert dentists
    for insee, commune in d.communes.items():
        assert commune.population is not None
        gps = [
            s
            for s in d.services.values()
            if s.address.commune == insee and {s.category, *s.other_categories} & gp_categories
        ]
        assert figures[insee].gp_practices == len(gps)
        assert figures[insee].gp_per_10000 == round(len(gps) * 10000 / commune.population.count, 1)

        nearest = min(_km(commune.latitude, commune.longitude, p.latitude, p.longitude) for p in dentists)
        assert figures[insee].nearest_km["dentiste"] == round(nearest, 1)
    # Redon has a practice taking new patients; the count is of current 'accepting' answers only.
    redon = figures["35236"]
    accepting = [
        s
        for s in d.services.values()
        if s.address.commune == "35236"
        and {s.category, *s.other_categories} & gp_categories
        and s.accepts_new_patients is not None
        and s.accepts_new_patients.status is NewPatients.ACCEPTING
        and s.accepts_new_patients.checked >= d.today.replace(month=d.today.month - 3)
    ]
    assert redon.gp_accepting == len(accepting) >= 1
    assert redon.nearest_gp_accepting_km is not None and redon.nearest_gp_accepting_km < 2


def test_same_inputs_same_figures(demo_directory):
    assert observatory(demo_directory, ("en", "ar")) == observatory(demo_directory, ("en", "ar"))


def test_the_page_in_french_and_arabic(demo_pages, demo_directory):
    fr = demo_pages["fr"][PAGE]
    assert front_matter(fr)["search"] == {"exclude": True}  # out of the search, like the report
    assert "observatoire" in routes.NOT_IN_NAVIGATION
    assert "<caption>Indicateurs par commune</caption>" in fr
    for commune in demo_directory.communes.values():
        assert f'<th scope="row">{html.escape(commune.name)}</th>' in fr
    assert 'scope="col">Population</th>' in fr
    assert "<dt>Cabinets de médecine générale pour 10 000 habitants</dt>" in fr
    assert "valeurs de démonstration arrondies" in fr  # the population's source, on the page
    assert "Source : Les fiches du portail (lieux et permanences), au lundi 23 novembre 2026." in fr
    assert "data/observatoire.csv" in fr
    assert f'href="{routes.href(routes.OBSERVATORY)}"' in demo_pages["fr"]["rapport/index.md"]
    # the map: one dot per commune, named, shaded by a grey the legend explains
    svg = found(r'<svg viewBox[^>]*role="img" aria-labelledby="observatory-map-title".*?</svg>', fr, re.S).group(0)
    assert svg.count("<g><title>") == len(demo_directory.communes)
    assert "<title>Redon : 0,6 km</title>" in svg and 'fill="#ffffff"' in svg
    assert "De 0 à 5 km" in fr and "15 km ou plus" in fr
    ar = demo_pages["ar"][PAGE]
    assert "<caption>المؤشرات حسب البلدة</caption>" in ar
    assert "Indicators by commune" not in ar and "GP practices" not in ar
    # the French source of the population is marked as French
    found(r'<span lang="fr"[^>]*>INSEE, recensement 2021', ar)


def _number(text: str) -> str:
    return re.sub(r"\s", "", text).replace(",", ".").replace("\u202f", "")


def test_the_csv_matches_the_page(demo_directory, demo_pages):
    data = csv_files(demo_directory, base_url=None)[routes.OBSERVATORY_CSV].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data), delimiter=";"))
    assert len(rows) == len(demo_directory.communes)
    page = demo_pages["fr"][PAGE]
    for row in rows:
        cells = found(rf'<th scope="row">{re.escape(html.escape(row["commune"]))}</th>(.*?)</tr>', page).group(1)
        shown = [_number(html.unescape(cell)) for cell in re.findall(r"<td>(.*?)</td>", cells)]
        columns = [
            k
            for k in row
            if k not in ("insee", "commune", "population_year", "population_source", "gp_accepting", "as_of")
        ]
        expected = [row[k] if row[k] != "" else "aucun" for k in columns]
        assert [float(x) if x != "aucun" else x for x in shown] == [
            float(x) if x != "aucun" else x for x in expected
        ], row["commune"]
        assert row["as_of"] == demo_directory.today.isoformat()


def test_a_population_must_be_a_positive_count(minimal):
    territory = minimal / "territory.yml"
    text = territory.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("longitude:"))
    indent = line[: len(line) - len(line.lstrip())]
    territory.write_text(
        text.replace(line, f"{line}\n{indent}population: {{count: 0, year: 2021, source: INSEE}}", 1), encoding="utf-8"
    )
    records, report = check(minimal)
    assert records is None or report.errors
    assert any("population" in str(p) for p in report.problems)


def test_a_taxonomy_without_some_categories_still_has_its_page(minimal):
    """The minimal territory has no CMP nor population: the page leaves their columns and figures out."""
    page = render_pages(load_directory(minimal), "fr", "Test", demo=False)[PAGE]
    assert "<caption>Indicateurs par commune</caption>" in page
    assert "(km)</th>" in page and "Santé mentale (CMP)" not in page


# --- the map, shaded by the indicator mkdocs.yml chooses ---------------------------------------

#: The classes the page should use, written again here: (limits, fewer is darker).
CLASSES = {
    "gp_per_10000": ((1, 3, 5), True),
    "sessions_30_days": ((1, 3, 5), True),
    "nearest_dentiste_km": ((5, 10, 15), False),
    "nearest_gp_accepting_km": ((5, 10, 15), False),
}
GREYS = ("#ffffff", "#bdbdbd", "#757575", "#2b2b2b")


def _observatory(directory, indicator: str | None, language: str = "fr") -> str:
    from generator.config import ObservatorySettings
    from generator.render.pages.statements import observatory_page

    from helpers import context, render_one

    settings = {} if indicator is None else {"observatory": ObservatorySettings(map=indicator)}
    return render_one(context(directory, language, "Test", **settings), observatory_page)


@pytest.mark.parametrize("indicator", sorted(CLASSES))
def test_the_chosen_indicator_shades_the_map_as_the_table_says(demo_directory, indicator):
    page = _observatory(demo_directory, indicator)
    headers = re.findall(r'<th scope="col">(.*?)</th>', page)[1:]  # after "Commune"
    column = [k for k in OBSERVATORY_CSV_COLUMNS if k not in ("insee", "commune", *NOT_SHOWN)].index(indicator)
    title = headers[column]
    figure = found(r'<figure class="portal-observatory-map">.*?</figure>', page, re.S).group(0)
    assert f'<title id="observatory-map-title">{title}</title>' in figure
    assert f"<figcaption>{title}. " in figure
    limits, fewer_darker = CLASSES[indicator]
    for commune in demo_directory.communes.values():
        name = html.escape(commune.name)
        cells = found(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', page).group(1)
        shown = re.findall(r"<td>(.*?)</td>", cells)[column]
        dot = found(rf"<g><title>{re.escape(name)}\s?: (.*?)</title>(.*?)</g>", figure)
        assert dot.group(1).removesuffix(" km") == shown, commune.name
        if shown == "aucun":
            assert "<path" in dot.group(2)  # a cross, not a shade
            continue
        value = float(_number(html.unescape(shown)))
        above = sum(value >= limit for limit in limits)
        grey = GREYS[len(limits) - above if fewer_darker else above]
        assert f'fill="{grey}"' in dot.group(2), (commune.name, value)
    legend = figure.split('<ul class="portal-observatory-legend">', 1)[1]
    keys = re.findall(r'fill="(#[0-9a-f]{6})"[^<]*</svg> (.*?)</li>', legend)
    assert [grey for grey, _ in keys] == list(GREYS)  # light to dark
    if fewer_darker:
        assert keys[0][1] == f"{limits[-1]} ou plus" and keys[-1][1] == f"moins de {limits[0]}"
        assert "plus le chiffre est bas" in figure
    else:
        assert keys[0][1] == f"De 0 à {limits[0]} km" and keys[-1][1] == f"{limits[-1]} km ou plus"
    assert "Chaque classe comprend sa limite basse, pas sa limite haute." in figure


def test_the_default_map_is_the_one_before(demo_directory):
    assert _observatory(demo_directory, None) == _observatory(demo_directory, "nearest_gp_accepting_km")
    assert "Plus le point de la mairie est foncé, plus le cabinet est loin" in _observatory(demo_directory, None)


def test_another_indicator_changes_the_map_only(demo_directory):
    default, other = _observatory(demo_directory, None), _observatory(demo_directory, "gp_per_10000")
    assert default != other
    table = r'<table class="portal-report">.*?</table>'
    assert found(table, default, re.S).group(0) == found(table, other, re.S).group(0)
    ar = _observatory(demo_directory, "gp_per_10000", "ar")
    assert "population not given" not in ar and "less than" not in ar


def test_a_wrong_indicator_is_a_french_error_at_its_line(tmp_path):
    from generator.config import load_config
    from generator.problems import Report

    from helpers import MINIMAL

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Test\nplugins:\n  - portal:\n      languages: [fr]\n      observatory:\n        map: medecins\n",
        encoding="utf-8",
    )
    report = Report()
    assert load_config(config, report, MINIMAL) is None
    [problem] = report.errors
    assert (problem.path.name, problem.line) == ("mkdocs.yml", 6)
    assert problem.message.startswith(
        "option 'observatory.map' du plugin portal : « medecins » n'est pas une valeur possible ; attendu l'une de : "
        "'nearest_gp_accepting_km', 'gp_per_10000', "
    )
    assert "'sessions_30_days'" in problem.message

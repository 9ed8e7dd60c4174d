"""Addresses: every page and file of the site is named in `routes`, and links follow from that."""

from __future__ import annotations

from generator import routes

SITE = "https://sante-pays-de-redon.example.org/"


def test_relative_links_between_generated_pages():
    assert routes.relative_url("carte/index.md", "services/x.md") == "../services/x/"
    assert routes.relative_url("services/y.md", "services/x.md") == "../x/"
    assert routes.relative_url("index.md", "services/x.md") == "services/x/"
    assert routes.relative_url("services/x.md", "index.md") == "../../"
    assert routes.relative_url("carte/index.md", "carte/index.md") == "./"
    assert routes.site_root(routes.MAP) == "../../"


def test_public_addresses():
    assert routes.public_url(SITE, "fr", routes.service("msp-redon")) == SITE + "fr/services/msp-redon/"
    assert routes.public_url(SITE.rstrip("/"), "ar", routes.booklet("redon")) == SITE + "ar/imprimer/redon/"
    assert routes.public_url(SITE, "en", routes.CALENDAR) == SITE + "en/calendrier/"
    assert routes.public_url(SITE, "fr", routes.HOME) == SITE + "fr/"
    assert routes.public_url(None, "fr", routes.service("msp-redon")) == ""


def test_pathway_pages_have_one_address_each():
    assert routes.pathway_start("p") == "parcours/p/index.md"
    assert routes.pathway_question("p", "q") == "parcours/p/q.md"
    assert routes.pathway_outcome("p", "o") == "parcours/p/o/index.md"
    assert routes.pathway_outcome("p", "o", "redon") == "parcours/p/o/redon.md"


def test_the_navigation_names_index_pages_only_and_record_folders_stay_out_of_it():
    for _label, path in routes.NAVIGATION:
        assert path == routes.HOME or path.endswith("/index.md"), path
    record_pages = [
        routes.service("x"),
        routes.permanence("x"),
        routes.dispositif("x"),
        routes.category("x"),
        routes.commune("x"),
        routes.booklet("x"),
        routes.commune_calendar("x"),
        routes.pathway_start("x"),
    ]
    for path in record_pages:
        assert path.split("/")[0] in routes.NOT_IN_NAVIGATION, path

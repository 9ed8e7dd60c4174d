"""The demo shows a territory's whole offer, and pathway outcomes put the places one can reach today first."""

from __future__ import annotations

import re

import pytest

from generator.importing.datainclusion import Imported, Mapper
from generator.records.freshness import is_current
from generator.records.models import Service
from generator.render.pages.pathways import open_door_first, outcome_page

from helpers import DEMO, body, context, load_directory, render_one

#: The kinds of places issue 23 asks the demo to have, beyond the first ones.
NEW_CATEGORIES = {
    "dentiste",
    "kinesitherapeute",
    "sage-femme",
    "pharmacie",
    "psychologue",
    "garde",
    "clic",
    "ssiad",
    "repit",
    "accueil-de-jour",
    "domiciliation",
    "empp",
    "lhss",
    "mdph",
}


@pytest.fixture(scope="module")
def demo():
    return load_directory(DEMO)


def test_the_demo_has_the_whole_offer_of_a_territory(demo):
    used = {s.category for s in demo.services.values()}
    assert len(demo.services) >= 80
    assert len(used) >= 26
    assert used >= NEW_CATEGORIES
    assert set(demo.taxonomy.categories) == used  # no category without a place to show
    assert any("handicap" in s.publics for s in demo.services.values())
    assert "mon-soutien-psy" in demo.dispositifs
    # the on-duty pharmacy: a Sunday rota between pharmacies, with the national 3237
    rota = [p for p in demo.permanences.values() if "pharmacie" in p.categories]
    assert len(rota) >= 2
    assert all(any(phone.number == "3237" for phone in p.phones) for p in rota)


@pytest.mark.parametrize("pid", ["proche-aidant", "sans-logement"])
def test_the_two_new_pathways_are_in_french_english_and_arabic_with_easy_read(demo, pid):
    pathway = demo.pathways[pid]
    texts = [
        pathway.label,
        *(q.question for q in pathway.questions.values()),
        *(a.label for q in pathway.questions.values() for a in q.answers),
        *(o.title for o in pathway.outcomes.values()),
        *(o.advice for o in pathway.outcomes.values()),
    ]
    for text in texts:
        assert {"fr", "en", "ar"} <= set(text.values), text.source
    for node in [*pathway.questions.values(), *pathway.outcomes.values()]:
        assert node.easy, node
        for step in node.easy:
            assert {"fr", "en"} <= set(step.text.values), step.text.source


def _service(cost: list[str], policy: str | None) -> Service:
    data = {
        "name": "Lieu",
        "category": "ccas",
        "description": "Un lieu.",
        "address": {"street": "1 rue A", "postcode": "35600", "commune": "35236"},
        "latitude": 47.65,
        "longitude": -2.08,
        "cost": cost,
        "verified": "2026-11-01",
        "source": "test",
    }
    if policy:
        data["appointment"] = {"policy": policy}
    return Service.model_validate(data)


def test_free_places_without_appointment_come_first():
    services = {
        "paid-walk-in": _service(["sector_1"], "not_needed"),
        "free-required": _service(["free"], "required"),
        "unsaid": _service([], None),
        "free-advised": _service(["free"], "recommended"),
        "free-walk-in": _service(["free"], "not_needed"),
        "free-unsaid": _service(["free"], None),
    }
    assert open_door_first(services, list(services)) == [
        "free-walk-in",
        "free-advised",
        "free-required",
        "free-unsaid",
        "paid-walk-in",
        "unsaid",
    ]
    # stable: among equals, the order given (the commune's own places first) is kept
    assert open_door_first(services, ["unsaid", "free-walk-in", "paid-walk-in"]) == [
        "free-walk-in",
        "paid-walk-in",
        "unsaid",
    ]


def _places_in_order(page: str, sids: list[str]) -> list[str]:
    at = {sid: m.start() for sid in sids if (m := re.search(rf"/services/{re.escape(sid)}\.md", page))}
    return sorted(at, key=at.__getitem__)


WALK_IN = {"not_needed": 0, "recommended": 1, "required": 2}


def test_an_outcome_page_lists_free_walk_in_places_first(demo):
    # "Me soigner" on the street: the mobile team (free, no appointment) before the PASS
    # (free, appointment advised), the care beds (free, on referral), then the places one pays.
    page = body(render_one(context(demo, "fr"), outcome_page, "sans-logement", "se-soigner"))
    order = _places_in_order(page, list(demo.services))
    free = [sid for sid in order if "free" in [c.value for c in demo.services[sid].cost]]
    assert free and order[: len(free)] == free, order
    walk_in = [WALK_IN[demo.services[sid].appointment.policy.value] for sid in free]
    assert walk_in == sorted(walk_in), list(zip(free, walk_in, strict=True))
    assert order.index("empp-redon") < order.index("pass-trois-rivieres") < order.index("lhss-redon")
    assert order.index("lhss-redon") < min(order.index(s) for s in order if demo.services[s].category == "centre-sante")


def _taking(service: Service, today) -> bool:
    """The practice said recently that it takes new patients: an answer older than three
    months, or a "some only", ranks after it (see `test_new_patients`)."""
    said = service.accepts_new_patients
    return said is not None and said.status.value == "accepting" and is_current(said.checked, today)


def test_practices_taking_new_patients_still_come_first_among_the_places_one_pays(demo):
    page = body(render_one(context(demo, "fr"), outcome_page, "pas-de-medecin-traitant", "trouver-un-medecin-traitant"))
    order = _places_in_order(page, list(demo.services))
    for category in ("msp", "centre-sante", "cabinet-medical"):  # each kind of practice, a group of its own
        group = [sid for sid in order if demo.services[sid].category == category]
        taking = [_taking(demo.services[sid], demo.today) for sid in group]
        assert taking == sorted(taking, reverse=True), list(zip(group, taking, strict=True))


def test_the_import_maps_the_new_thematiques_back_to_the_new_categories(demo):
    mapper = Mapper(demo.territory, demo.taxonomy)

    def category(thematiques: list[str]) -> object:
        out = Imported("test", "test", {})
        mapper.categories_of(out, thematiques)
        return out.data["category"]

    assert category(["sante--constituer-un-dossier-mdph-invalidite"]) == "mdph"
    assert category(["famille--soutien-aidants"]) == "repit"
    assert category(["sante--sante-mentale", "sante--acces-aux-soins"]) == "empp"
    assert (
        category(["sante--acces-aux-soins", "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"])
        == "lhss"
    )
    assert (
        category(
            [
                "famille--prise-en-charge-personne-dependante",
                "famille--soutien-aidants",
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
            ]
        )
        == "clic"
    )
    assert (
        category(["difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"])
        == "domiciliation"
    )

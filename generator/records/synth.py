"""A synthetic territory, to measure and test the portal at scale (`python -m generator synth`).

Everything is fictional and deterministic: the same arguments (seed included) give
byte-identical files. The records have the shape of the demo's (directory/): the demo's
taxonomy, dispositifs and pathways are copied as they are; the territory, services and
permanences are generated:

- communes named like "Saint-Exemple-12", with INSEE codes that no real commune has
  (départements 35, 56 and 44, commune numbers from 501 up), spread over a box around
  Redon (47.6, -2.0);
- services spread over the communes and the demo's categories, with fictional phone
  numbers (01 99 00 xx xx), e-mails at example.org, opening hours from a few common rules,
  and dates checked within the 6 months before `today`;
- about one permanence for every 3 services;
- for 2 services (and permanences) out of 3, the texts in every requested language,
  written from short templates in that language (never French text under another
  language); the others in French only.

Generating is pure (plain data in, `{relative path: file text}` out); only
`write_territory` touches the disk.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Where the taxonomy, dispositifs and pathways are copied from.
DEMO = Path(__file__).resolve().parents[2] / "directory"
DEFAULT_TODAY = dt.date(2026, 11, 23)
#: Départements of the codes, as in the demo; real commune numbers there stay below 400.
DEPARTEMENTS = ("35", "56", "44")
FIRST_NUMBER = 501
MAX_COMMUNES = len(DEPARTEMENTS) * (1000 - FIRST_NUMBER)
MAX_SERVICES = 100_000
#: Languages the sentence templates below are written in.
SUPPORTED_LANGUAGES = ("fr", "en", "ar")
#: The box the communes are spread over: about 55 km by 60 km around Redon.
SOUTH, NORTH, WEST, EAST = 47.35, 47.85, -2.40, -1.60
NAME_STEMS = ("Saint-Exemple", "Val-Fictif", "Bourg-Démo", "Lande-Modèle", "Pont-Exemple", "Mont-Fictif")

OPENING_HOURS = (
    "Mo-Fr 08:30-12:30,13:30-17:30; PH off",
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Mo-Fr 08:00-12:30,13:30-19:00; Sa 08:30-12:00; PH off",
    "Mo,Tu,Th,Fr 09:00-12:30,13:30-17:00; We 09:00-12:30; PH off",
    "Tu,Fr 09:00-12:00,13:30-16:30; PH off",
    "Mo-Th 08:45-12:15,13:45-17:30; Fr 08:45-12:15; PH off",
)
SCHEDULES = (
    "Tu[2] 09:00-12:00; PH off",
    "Th[1,3] 14:00-16:30; PH off",
    "We 09:00-12:00; PH off",
    "Mo[1] 13:30-16:30; PH off",
    "Fr[-1] 09:30-12:00; PH off",
)
#: Categories where care is paid at Social Security rates; elsewhere it is free.
MEDICAL = frozenset({"msp", "centre-sante", "cabinet-medical", "hopital"})
LANGUAGE_SETS = (["fr"], ["fr"], ["fr", "en"], ["fr", "ar"], ["fr", "en", "ar"])
SOURCES = (
    "Appel à l'accueil (données synthétiques)",
    "Site web de la structure (données synthétiques)",
    "Réunion du réseau local (données synthétiques)",
)
HEADER = (
    "# Fiche synthétique écrite par `python -m generator synth` (graine {seed}) : la commune,\n"
    "# la structure, l'adresse, les téléphones (plage 01 99 00 xx xx réservée à la fiction)\n"
    "# et l'e-mail sont fictifs.\n"
)

#: Sentence templates, by language. `{name}`, `{commune}`, `{label}`, `{held_by}` are filled in.
TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "service_name": "{label} de {commune}",
        "intro": "Ce lieu accueille les habitants de {commune} et des communes voisines.",
        "generic": "Des professionnels vous accueillent, vous écoutent et vous orientent.",
        "required": "On y est reçu sur rendez-vous : appelez avant de venir.",
        "recommended": "Il vaut mieux prendre rendez-vous, mais vous pouvez aussi passer à l'accueil.",
        "not_needed": "Vous pouvez venir sans rendez-vous aux heures d'ouverture.",
        "free": "C'est gratuit.",
        "sector_1": "Les tarifs sont ceux de la Sécurité sociale et vous n'avancez pas les frais.",
        "documents": "Apportez votre carte Vitale ou votre attestation de droits si vous en avez une.",
        "permanence_name": "Permanence « {label} » à {commune}",
        "permanence_description": "Un professionnel de « {held_by} » reçoit les habitants à {commune}.",
        "host": "Mairie de {commune} – salle des permanences",
        "drop_in": "Vous pouvez venir sans rendez-vous pendant la permanence.",
    },
    "en": {
        "service_name": "{label} in {commune}",
        "intro": "This place welcomes people living in {commune} and nearby communes.",
        "generic": "Professionals welcome you, listen to you and guide you.",
        "required": "You are seen by appointment: call before you come.",
        "recommended": "It is best to book, but you can also come to the front desk.",
        "not_needed": "You can come without an appointment during opening hours.",
        "free": "It is free.",
        "sector_1": "Fees are the Social Security rates and you do not pay upfront.",
        "documents": "Bring your Carte Vitale or your certificate of health cover if you have one.",
        "permanence_name": "{label} drop-in session in {commune}",
        "permanence_description": "Someone from “{held_by}” sees residents in {commune}.",
        "host": "{commune} town hall – meeting room",
        "drop_in": "You can come without an appointment during the session.",
    },
    "ar": {
        "service_name": "{label} في {commune}",
        "intro": "يستقبل هذا المكان سكان {commune} والبلديات المجاورة.",
        "generic": "يستقبلك مختصون ويستمعون إليك ويوجهونك.",
        "required": "الاستقبال بموعد: اتصل قبل أن تأتي.",
        "recommended": "من الأفضل حجز موعد، ويمكنك أيضًا المجيء إلى الاستقبال.",
        "not_needed": "يمكنك المجيء بدون موعد خلال ساعات العمل.",
        "free": "الخدمة مجانية.",
        "sector_1": "الأسعار هي أسعار الضمان الاجتماعي ولا تدفع المصاريف مسبقًا.",
        "documents": "أحضر بطاقة فيتال أو شهادة الحقوق إن كانت لديك.",
        "permanence_name": "استقبال {label} في {commune}",
        "permanence_description": "يستقبل مختص من «{held_by}» السكان في {commune}.",
        "host": "بلدية {commune} – قاعة الاستقبال",
        "drop_in": "يمكنك المجيء بدون موعد خلال وقت الاستقبال.",
    },
}


class SynthError(ValueError):
    """A bad argument: the message says what is expected."""


@dataclass(frozen=True)
class Settings:
    services: int
    communes: int
    seed: int = 0
    languages: tuple[str, ...] = SUPPORTED_LANGUAGES
    today: dt.date = DEFAULT_TODAY


def parse_languages(text: str) -> tuple[str, ...]:
    """`fr,en,ar` → ('fr', 'en', 'ar'); French first and always there."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if code not in SUPPORTED_LANGUAGES]
    if unknown:
        raise SynthError(
            f"--languages : pas de modèles de phrases pour {', '.join(repr(c) for c in unknown)} : "
            f"choisissez parmi {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return ("fr", *dict.fromkeys(code for code in codes if code != "fr"))


def check_settings(settings: Settings) -> None:
    if not 1 <= settings.services <= MAX_SERVICES:
        raise SynthError(f"--services {settings.services} : attendu un nombre de services de 1 à {MAX_SERVICES}")
    if not 1 <= settings.communes <= MAX_COMMUNES:
        raise SynthError(f"--communes {settings.communes} : attendu un nombre de communes de 1 à {MAX_COMMUNES}")


# --- pure generation ---------------------------------------------------------


def _text(values: Mapping[str, str], translated: bool) -> str | dict[str, str]:
    """French only, or the mapping by language."""
    return dict(values) if translated and len(values) > 1 else values["fr"]


def _in(languages: tuple[str, ...], key: str, **fields: str) -> dict[str, str]:
    return {lang: TEXT[lang][key].format(**fields) for lang in languages}


def make_communes(count: int, rng: random.Random) -> list[dict[str, Any]]:
    communes = []
    for index in range(count):
        departement = DEPARTEMENTS[index % len(DEPARTEMENTS)]
        number = FIRST_NUMBER + index // len(DEPARTEMENTS)
        communes.append(
            {
                "insee": f"{departement}{number:03d}",
                "name": f"{NAME_STEMS[index % len(NAME_STEMS)]}-{index + 1}",
                "postcodes": [f"{departement}9{number % 100:02d}"],
                "latitude": round(rng.uniform(SOUTH, NORTH), 4),
                "longitude": round(rng.uniform(WEST, EAST), 4),
            }
        )
    return communes


def commune_index(insee: str) -> int:
    """The position in `make_communes`'s list of the commune with this code."""
    return (int(insee[2:]) - FIRST_NUMBER) * len(DEPARTEMENTS) + DEPARTEMENTS.index(insee[:2])


def make_territory(settings: Settings, communes: list[dict[str, Any]]) -> dict[str, Any]:
    names = {
        "fr": f"Territoire synthétique ({settings.services} lieux, {settings.communes} communes)",
        "en": f"Synthetic territory ({settings.services} places, {settings.communes} communes)",
        "ar": f"إقليم اصطناعي (الأماكن: {settings.services}، البلديات: {settings.communes})",
    }
    descriptions = {
        "fr": "Un territoire fictif, écrit par un programme pour tester le portail. Tout y est fictif.",
        "en": "A fictional territory, written by a program to test the portal. Everything in it is fictional.",
        "ar": "إقليم وهمي كتبه برنامج لاختبار البوابة. كل ما فيه وهمي.",
    }
    publishers = {
        "fr": "Territoire synthétique (démo)",
        "en": "Synthetic territory (demo)",
        "ar": "إقليم اصطناعي (تجريبي)",
    }
    pick = settings.languages
    return {
        "name": _text({lang: names[lang] for lang in pick}, True),
        "description": _text({lang: descriptions[lang] for lang in pick}, True),
        "publisher": {
            "name": _text({lang: publishers[lang] for lang in pick}, True),
            "email": "sante@example.org",
            "website": "https://example.org/",
        },
        "holidays": "metropole",
        "communes": communes,
    }


def _label(category: Mapping[str, Any], field: str, lang: str) -> str | None:
    value = category.get(field)
    if isinstance(value, dict):
        return value.get(lang)
    return value if lang == "fr" else None


def _phone(rng: random.Random) -> str:
    return f"01 99 00 {rng.randrange(100):02d} {rng.randrange(100):02d}"


def _near(rng: random.Random, commune: Mapping[str, Any]) -> tuple[float, float]:
    """A point within about 2 km of the commune's centre."""
    return (
        round(commune["latitude"] + rng.uniform(-0.015, 0.015), 4),
        round(commune["longitude"] + rng.uniform(-0.02, 0.02), 4),
    )


def _address(rng: random.Random, commune: Mapping[str, Any]) -> dict[str, str]:
    street = rng.choice(
        ("rue de la Mairie", "place de l'Église", "rue des Écoles", "avenue de la Gare", "rue du Stade")
    )
    return {
        "street": f"{rng.randrange(1, 60)} {street}",
        "postcode": commune["postcodes"][0],
        "commune": commune["insee"],
    }


def make_service(
    index: int,
    settings: Settings,
    rng: random.Random,
    categories: Mapping[str, Mapping[str, Any]],
    communes: list[dict[str, Any]],
) -> tuple[str, dict[str, Any]]:
    languages = settings.languages
    translated = index % 3 != 2
    cid = list(categories)[index % len(categories)]
    category = categories[cid]
    commune = communes[rng.randrange(len(communes))]
    sid = f"{cid}-{index + 1:05d}"
    policy = rng.choice(("required", "recommended", "not_needed"))
    cost = ["sector_1", "tiers_payant"] if cid in MEDICAL else ["free"]
    names, summaries, descriptions = {}, {}, {}
    for lang in languages:
        words = TEXT[lang]
        label = _label(category, "label", lang) or _label(category, "label", "fr")
        explained = _label(category, "description", lang) or words["generic"]
        names[lang] = words["service_name"].format(label=label, commune=commune["name"])
        summaries[lang] = explained
        sentences = [
            words["intro"].format(commune=commune["name"]),
            explained,
            words[policy],
            words["sector_1" if cid in MEDICAL else "free"],
            words["documents"],
        ]
        descriptions[lang] = " ".join(sentences)
    latitude, longitude = _near(rng, commune)
    service: dict[str, Any] = {
        "name": _text(names, translated),
        "category": cid,
        "summary": _text(summaries, translated),
        "description": _text(descriptions, translated),
        "address": _address(rng, commune),
        "latitude": latitude,
        "longitude": longitude,
        "phones": [{"number": _phone(rng)}],
        "email": f"{sid}@example.org",
        "opening_hours": rng.choice(OPENING_HOURS),
        "appointment": {"policy": policy},
        "cost": cost,
        "languages": list(rng.choice(LANGUAGE_SETS)),
        "accessibility": {"wheelchair": rng.choice(("full", "full", "partial", "none"))},
        "verified": settings.today - dt.timedelta(days=rng.randrange(183)),
        "source": rng.choice(SOURCES),
    }
    return sid, service


def make_permanence(
    index: int,
    settings: Settings,
    rng: random.Random,
    categories: Mapping[str, Mapping[str, Any]],
    communes: list[dict[str, Any]],
    services: Mapping[str, Mapping[str, Any]],
    ids: list[str],
) -> tuple[str, dict[str, Any]]:
    """Held by a service, at another service's place or at the town hall of a commune."""
    languages = settings.languages
    translated = index % 3 != 2
    held_by = ids[rng.randrange(len(ids))]
    holder = services[held_by]
    holder_name = holder["name"] if isinstance(holder["name"], dict) else dict.fromkeys(languages, holder["name"])
    category = categories[holder["category"]]
    host = ids[rng.randrange(len(ids))]
    at_service = host != held_by and rng.random() < 0.5
    if at_service:
        code = services[host]["address"]["commune"]
        commune = communes[commune_index(code)]
        location: dict[str, Any] = {"service": host}
    else:
        commune = communes[rng.randrange(len(communes))]
        latitude, longitude = _near(rng, commune)
        location = {
            "name": _text(_in(languages, "host", commune=commune["name"]), translated),
            "address": _address(rng, commune),
            "latitude": latitude,
            "longitude": longitude,
        }
    names, descriptions = {}, {}
    for lang in languages:
        label = _label(category, "label", lang) or _label(category, "label", "fr")
        names[lang] = TEXT[lang]["permanence_name"].format(label=label, commune=commune["name"])
        descriptions[lang] = " ".join(
            (
                TEXT[lang]["permanence_description"].format(
                    held_by=holder_name.get(lang, holder_name["fr"]), commune=commune["name"]
                ),
                _label(category, "description", lang) or TEXT[lang]["generic"],
                TEXT[lang]["drop_in"],
            )
        )
    permanence = {
        "name": _text(names, translated),
        "held_by": {"service": held_by},
        "location": location,
        "description": _text(descriptions, translated),
        "categories": [holder["category"]],
        "schedule": rng.choice(SCHEDULES),
        "appointment": {"policy": "not_needed"},
        "cost": ["free"],
        "phones": [{"number": _phone(rng)}],
        "verified": settings.today - dt.timedelta(days=rng.randrange(183)),
        "source": rng.choice(SOURCES),
    }
    return f"permanence-{index + 1:05d}", permanence


#: libyaml's emitter when PyYAML has it: 8 times faster, and the same text as `yaml.safe_dump`
#: for these records (tests/test_synth.py checks it), so the files do not depend on it.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Mapping[str, Any], seed: int) -> str:
    return HEADER.format(seed=seed) + yaml.dump(dict(data), Dumper=DUMPER, allow_unicode=True, sort_keys=False)


def generate(settings: Settings, taxonomy: Mapping[str, Any]) -> dict[str, str]:
    """The generated files, `{path relative to the records folder: text}`."""
    check_settings(settings)
    rng = random.Random(settings.seed)
    categories = taxonomy["categories"]
    communes = make_communes(settings.communes, rng)
    files = {"territory.yml": _dump(make_territory(settings, communes), settings.seed)}
    services: dict[str, dict[str, Any]] = {}
    for index in range(settings.services):
        sid, service = make_service(index, settings, rng, categories, communes)
        services[sid] = service
        files[f"services/{sid}.yml"] = _dump(service, settings.seed)
    ids = list(services)
    for index in range(settings.services // 3):
        pid, permanence = make_permanence(index, settings, rng, categories, communes, services, ids)
        files[f"permanences/{pid}.yml"] = _dump(permanence, settings.seed)
    return files


# --- the edge: files --------------------------------------------------------


def write_territory(settings: Settings, out: Path, demo: Path = DEMO) -> int:
    """Write a complete records folder into `out` (new or empty); the number of files written."""
    check_settings(settings)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SynthError(
            f"{out} existe déjà et n'est pas un dossier vide : choisissez un nouveau dossier, ou supprimez-le"
        )
    taxonomy_path = demo / "taxonomy.yml"
    if not taxonomy_path.is_file():
        raise SynthError(
            f"les fiches de démonstration manquent ({taxonomy_path}) : synth copie leur taxonomie, leurs dispositifs "
            "et leurs parcours"
        )
    files = generate(settings, yaml.safe_load(taxonomy_path.read_text(encoding="utf-8")))
    for folder in ("services", "permanences"):
        (out / folder).mkdir(parents=True)
    for relative, text in files.items():
        (out / relative).write_text(text, encoding="utf-8")
    shutil.copyfile(taxonomy_path, out / "taxonomy.yml")
    copied = 1
    for folder in ("dispositifs", "pathways"):
        (out / folder).mkdir()
        for source in sorted((demo / folder).glob("*.yml")):
            shutil.copyfile(source, out / folder / source.name)
            copied += 1
    return len(files) + copied

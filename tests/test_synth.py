"""`python -m generator synth`: a synthetic territory that passes `check`, deterministic from its seed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.cli import main

from helpers import DEMO, check


def synth(out: Path, *extra: str, services: int = 30, communes: int = 5) -> int:
    return main(["synth", "--services", str(services), "--communes", str(communes), "--out", str(out), *extra])


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def territory(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "directory"
    assert synth(out, "--seed", "7") == 0
    return out


def test_the_synthetic_territory_passes_check(territory: Path):
    records, report = check(territory)
    assert records is not None
    assert [p.format() for p in report.errors] == []
    assert len(records.services) == 30
    assert len(records.permanences) == 10
    assert len(records.territory.communes) == 5
    # the demo's reference records, copied as they are
    assert (territory / "taxonomy.yml").read_bytes() == (DEMO / "taxonomy.yml").read_bytes()
    for folder in ("dispositifs", "pathways"):
        assert files(territory / folder) == files(DEMO / folder)


def test_two_services_out_of_three_are_translated(territory: Path):
    translated = 0
    for path in sorted((territory / "services").glob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = [record[field] for field in ("name", "summary", "description")]
        if all(isinstance(text, dict) for text in texts):
            translated += 1
            for text in texts:
                assert sorted(text) == ["ar", "en", "fr"]
                assert len(set(text.values())) == 3  # each language its own text, not French copied
        else:
            assert all(isinstance(text, str) for text in texts)
    assert translated == 20


def test_the_records_look_real_and_fictional(territory: Path):
    record = yaml.safe_load((territory / "services" / "msp-00001.yml").read_text(encoding="utf-8"))
    assert record["email"].endswith("@example.org")
    assert record["phones"][0]["number"].startswith("01 99 00 ")
    assert record["description"]["fr"].count(". ") >= 3  # a few sentences
    records = check(territory)[0]
    assert records is not None
    codes = {c.insee for c in records.territory.communes}
    assert codes == {"35501", "56501", "44501", "35502", "56502"}


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path):
    assert synth(tmp_path / "a", "--seed", "3") == 0
    assert synth(tmp_path / "b", "--seed", "3") == 0
    assert synth(tmp_path / "c", "--seed", "4") == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_french_only(tmp_path: Path):
    assert synth(tmp_path / "fr", "--languages", "fr", services=6, communes=2) == 0
    _records, report = check(tmp_path / "fr")
    assert report.errors == []
    record = yaml.safe_load((tmp_path / "fr" / "services" / "msp-00001.yml").read_text(encoding="utf-8"))
    assert isinstance(record["name"], str)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--services", "0", "--communes", "5"], "--services 0 : attendu un nombre de services de 1"),
        (["--services", "10", "--communes", "0"], "--communes 0 : attendu un nombre de communes de 1"),
        (["--services", "10", "--communes", "5000"], "--communes 5000 : attendu un nombre de communes de 1"),
        (["--services", "10", "--communes", "2", "--languages", "fr,uk"], "pas de modèles de phrases pour 'uk'"),
    ],
)
def test_a_bad_argument_is_a_clear_error(tmp_path: Path, capsys, arguments, message):
    assert main(["synth", *arguments, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("erreur : ") and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_existing_folder_is_not_overwritten(tmp_path: Path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine", encoding="utf-8")
    assert synth(tmp_path / "out") == 1
    assert "n'est pas un dossier vide" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_libyaml_writes_the_same_text_as_safe_dump():
    """The generator uses libyaml's emitter when it is there, for speed: the files must not depend on it."""
    from generator.records import synth as module

    if module.DUMPER is yaml.SafeDumper:
        pytest.skip("PyYAML without libyaml")
    taxonomy = yaml.safe_load((DEMO / "taxonomy.yml").read_text(encoding="utf-8"))
    settings = module.Settings(services=60, communes=7, seed=11)
    fast = module.generate(settings, taxonomy)
    original, module.DUMPER = module.DUMPER, yaml.SafeDumper
    try:
        slow = module.generate(settings, taxonomy)
    finally:
        module.DUMPER = original
    assert fast == slow


def test_commune_index_finds_each_commune():
    import random

    from generator.records.synth import commune_index, make_communes

    communes = make_communes(40, random.Random(0))
    assert [commune_index(c["insee"]) for c in communes] == list(range(40))

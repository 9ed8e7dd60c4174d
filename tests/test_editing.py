"""Writing tools change only what they mean to change, and never over someone else's work."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from generator.editing import EditConflict, RecordText, write_new
from generator.problems import Report
from generator.records.loader import load_yaml

from helpers import DEMO, check

RECORDS = sorted(p for kind in ("services", "permanences", "dispositifs") for p in (DEMO / kind).glob("*.yml"))


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _data(path: Path) -> object:
    document = load_yaml(path, Report())
    assert document is not None
    return document.data


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_changing_the_date_changes_that_line_only(path: Path, tmp_path: Path) -> None:
    target = tmp_path / path.name
    shutil.copy(path, target)
    before = target.read_text(encoding="utf-8")
    record = RecordText.read(target)
    assert record.set(("verified",), dt.date(2027, 1, 15))
    assert record.save()
    after = target.read_text(encoding="utf-8")
    old = next(line for line in before.splitlines() if line.startswith("verified:"))
    assert _changed_lines(before, after) == [f"-{old}", "+verified: 2027-01-15"]


def test_text_wrapped_by_hand_stays_wrapped_next_to_a_change(tmp_path: Path) -> None:
    """ruamel joins a long text wrapped over two lines; only the changed line may move."""
    target = tmp_path / "r.yml"
    target.write_text(
        "name: Lieu\nsummary:\n  fr: Une phrase assez longue\n    qui continue ici.\nverified: 2026-01-01\n",
        encoding="utf-8",
    )
    record = RecordText.read(target)
    record.set(("verified",), dt.date(2026, 2, 2))
    record.set(("summary", "en"), "A sentence")
    record.save()
    assert target.read_text(encoding="utf-8") == (
        "name: Lieu\nsummary:\n  fr: Une phrase assez longue\n    qui continue ici.\n  en: A sentence\nverified: 2026-02-02\n"
    )


def test_comments_quotes_and_order_are_kept(tmp_path: Path) -> None:
    """A comment stays on its line (pushed right when the value grows)."""
    target = tmp_path / "r.yml"
    text = (
        "# Fiche relue avec l'accueil\n"
        'name: "Maison de santé"   # le nom affiché\n'
        "cost: [free]\n"
        "address:\n"
        '  postcode: "35600"\n'
        "  commune: '35236'\n"
        "\n"
        "verified: 2026-01-01\n"
    )
    target.write_text(text, encoding="utf-8")
    record = RecordText.read(target)
    record.set(("name",), "Maison de santé du Canal")
    record.set(("cost",), ["free", "tiers_payant"])
    record.save()
    assert target.read_text(encoding="utf-8") == text.replace(
        '"Maison de santé"   #', '"Maison de santé du Canal" #'
    ).replace("[free]", "[free, tiers_payant]")


def test_a_list_changes_item_by_item(tmp_path: Path) -> None:
    """The items that stay keep their quotes and their translations; only changed lines move."""
    target = tmp_path / "r.yml"
    text = (
        "phones:\n"
        '  - number: "01 99 00 19 50"\n'
        "    label:\n"
        "      fr: Secrétariat\n"
        "      en: Reception desk\n"
        '  - number: "01 99 00 19 51"  # infirmiers\n'
        'service_area: ["35236", "35013"]\n'
    )
    target.write_text(text, encoding="utf-8")
    record = RecordText.read(target)
    record.set(("phones",), [{"number": "01 99 00 19 50", "label": "Accueil"}, {"number": "01 99 00 19 51"}, "3646"])
    record.set(("service_area",), ["35236"])
    record.save()
    assert target.read_text(encoding="utf-8") == (
        "phones:\n"
        '  - number: "01 99 00 19 50"\n'
        "    label: Accueil\n"
        '  - number: "01 99 00 19 51"  # infirmiers\n'
        "  - '3646'\n"
        'service_area: ["35236"]\n'
    )


@pytest.mark.parametrize("value", ["1e5", "1.0e5", "-.5", "5e-3", "no", "true", "null", "01000", "09:00", "- a", "#x"])
def test_texts_that_look_like_other_things_are_read_back_as_texts(tmp_path: Path, value: str) -> None:
    target = tmp_path / "r.yml"
    target.write_text("name: Lieu\nverified: 2026-01-01\n", encoding="utf-8")
    record = RecordText.read(target)
    record.set(("name",), value)
    record.set(("new",), value)
    record.save()
    assert _data(target) == {"name": value, "verified": "2026-01-01", "new": value}


def test_a_text_of_several_lines_becomes_a_block(tmp_path: Path) -> None:
    target = tmp_path / "r.yml"
    target.write_text("name: Lieu\ndescription: Court.\nverified: 2026-01-01\n", encoding="utf-8")
    record = RecordText.read(target)
    record.set(("description",), "Premier paragraphe.\n\n- un point\n- un autre")
    record.save()
    # `|-`: the text as given, without a line end added after its last line
    assert "description: |-\n  Premier paragraphe.\n\n  - un point\n" in target.read_text(encoding="utf-8")
    assert _data(target)["description"] == "Premier paragraphe.\n\n- un point\n- un autre"  # type: ignore[index]


def test_nothing_to_change_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "r.yml"
    shutil.copy(DEMO / "services" / "msp-redon.yml", target)
    stamp = target.stat().st_mtime_ns
    record = RecordText.read(target)
    assert not record.set(("verified",), record.get(("verified",)))
    assert not record.set(("address",), record.get(("address",)))
    assert not record.changed
    assert not record.save()
    assert target.stat().st_mtime_ns == stamp


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "r.yml"
    target.write_text("name: Lieu\nverified: 2026-01-01\n", encoding="utf-8")
    record = RecordText.read(target)
    record.set(("verified",), dt.date(2026, 2, 2))
    target.write_text("name: Lieu renommé\nverified: 2026-01-01\n", encoding="utf-8")  # someone else, meanwhile
    with pytest.raises(EditConflict, match="modifié par quelqu'un d'autre"):
        record.save()
    assert target.read_text(encoding="utf-8") == "name: Lieu renommé\nverified: 2026-01-01\n"


def test_a_new_record_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "services" / "lieu.yml"
    write_new(target, {"name": "Lieu", "cost": ["free"], "verified": dt.date(2026, 1, 1)}, header=["Créée par un test"])
    assert target.read_text(encoding="utf-8") == "# Créée par un test\nname: Lieu\ncost: [free]\nverified: 2026-01-01\n"
    with pytest.raises(EditConflict, match="existe déjà"):
        write_new(target, {"name": "Autre"})
    assert "Autre" not in target.read_text(encoding="utf-8")


def test_edited_demo_records_still_pass_check(tmp_path: Path) -> None:
    """Many changes at once, in the demo's own files: values land where meant, check agrees."""
    copy = tmp_path / "directory"
    shutil.copytree(DEMO, copy)
    for path in sorted((copy / "services").glob("*.yml")):
        record = RecordText.read(path)
        record.set(("verified",), dt.date(2026, 11, 20))
        record.set(("summary", "uk"), "Опис")
        record.set(("accessibility", "details"), "Ascenseur")
        record.save()
        data = _data(path)
        assert isinstance(data, dict)
        assert data["verified"] == "2026-11-20"
        assert data["accessibility"]["details"] == "Ascenseur"
    _, report = check(copy)
    assert not report.errors, [p.format() for p in report.errors]


# --- writers stay inside the records folder (guarded.write_target) ---


@pytest.fixture
def linked_out(tmp_path: Path) -> tuple[Path, Path]:
    """A records folder whose services/ is a link to a folder outside it."""
    records, outside = tmp_path / "records", tmp_path / "outside"
    records.mkdir()
    outside.mkdir()
    (outside / "msp.yml").write_text("name: MSP\nverified: 2026-01-01\n")
    (records / "services").symlink_to(outside)
    return records, outside


def test_record_text_is_not_read_or_saved_through_a_link_out(linked_out):
    records, outside = linked_out
    with pytest.raises(EditConflict, match="non lu, rien n'a été écrit : c'est un lien symbolique qui mène hors"):
        RecordText.read(records / "services" / "msp.yml", records)
    text = RecordText(records / "services" / "msp.yml", (outside / "msp.yml").read_bytes(), records)
    text.set(("verified",), dt.date(2026, 11, 23))
    with pytest.raises(EditConflict, match="mène hors"):
        text.save()
    assert (outside / "msp.yml").read_text() == "name: MSP\nverified: 2026-01-01\n"


def test_a_new_record_is_not_written_through_a_link(linked_out, tmp_path):
    records, outside = linked_out
    with pytest.raises(EditConflict, match="mène hors"):
        write_new(records / "services" / "new.yml", {"name": "X"}, root=records)
    (records / "permanences").mkdir()
    (records / "permanences" / "dangling.yml").symlink_to(outside / "created.yml")
    with pytest.raises(EditConflict, match="existe déjà"):
        write_new(records / "permanences" / "dangling.yml", {"name": "X"}, root=records)
    assert sorted(p.name for p in outside.iterdir()) == ["msp.yml"]


def test_new_and_import_do_not_write_through_a_link_out(linked_out):
    from generator.guarded import FileRefused
    from generator.importing.datainclusion import Imported
    from generator.importing.files import write_records
    from generator.records.new import NewRecordError, write_new_record

    records, outside = linked_out
    with pytest.raises(NewRecordError, match="rien n'a été écrit : c'est un lien symbolique qui mène hors"):
        write_new_record(records, "service", "maison-de-sante")
    (outside / "lien.yml").symlink_to("/dev/null")
    imported = Imported(rid="lien", origin="di:lien", data={"name": "X"})
    try:  # refused as a whole, or as this record's failure where the import reports those one by one
        result = write_records([imported], records / "services", dt.date(2026, 11, 23))
        reasons = [str(why) for _, why in getattr(result, "failed", [])]
    except FileRefused as refused:
        reasons = [refused.reason]
    assert any("mène hors" in reason for reason in reasons)
    assert sorted(p.name for p in outside.iterdir()) == ["lien.yml", "msp.yml"]


def test_a_link_inside_the_records_folder_is_written_through(tmp_path):
    records = tmp_path / "records"
    (records / "services").mkdir(parents=True)
    (records / "shared.yml").write_text("name: MSP\nverified: 2026-01-01\n")
    (records / "services" / "msp.yml").symlink_to("../shared.yml")
    text = RecordText.read(records / "services" / "msp.yml", records)
    text.set(("verified",), dt.date(2026, 11, 23))
    assert text.save()
    assert (records / "services" / "msp.yml").is_symlink()
    assert "verified: 2026-11-23" in (records / "shared.yml").read_text()

"""The live preview (`serve`): an edited record first, then the rest, and in the end
the same site as a full build of the edited records (generator/preview.py)."""

from __future__ import annotations

import filecmp
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.site.preview import Preview, changed_records

from helpers import DEMO, ROOT, load_directory, project_config

NAME = "Maison de santé du Canal"
EDITED = "Maison de santé des Ajoncs"


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "services" / "msp-redon.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def differing(left: Path, right: Path) -> list[str]:
    """The files that differ between two sites (the search index left aside: Pagefind names its files by hash)."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in comparison.left_only + comparison.right_only + comparison.diff_files)
        for name, sub in comparison.subdirs.items():
            if name != "pagefind":
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


def french_preview(root: Path):
    """A copy of the demo's records, and a French preview of them whose background
    step waits in `held` until the test starts it; `done` is set when it has finished."""
    records = root / "directory"
    shutil.copytree(DEMO, records)
    config = project_config(root / "project", ("fr",), content=ROOT / "content")
    done = threading.Event()
    held: list = []
    preview = Preview(("fr",), root / "work", root / "site", changed=done.set, start=held.append)
    return records, config, preview, done, held


@pytest.fixture(scope="module")
def preview_run(tmp_path_factory):
    """A preview of the demo in French: built, then one service renamed."""
    root = tmp_path_factory.mktemp("preview")
    records, config, preview, done, held = french_preview(root)
    steps = [preview.update(config, load_directory(records))]
    docs = root / "work" / "fr" / "docs"
    before = {path: path.stat().st_mtime_ns for path in docs.rglob("*") if path.is_file()}

    edit(records, NAME, EDITED)
    edited = load_directory(records)
    steps.append(preview.update(config, edited))
    after_quick = {path: path.stat().st_mtime_ns for path in docs.rglob("*") if path.is_file()}
    quick_page = (root / "site" / "fr" / "services" / "msp-redon" / "index.html").read_text(encoding="utf-8")
    threading.Thread(target=held.pop()).start()  # the rest, in the background as `serve` runs it
    assert done.wait(120), "the rest of the pages never came"
    steps.append(preview.update(config, edited))
    return {
        "root": root,
        "config": config,
        "edited": edited,
        "steps": steps,
        "preview": preview,
        "quick_written": sorted(str(p.relative_to(docs)) for p in after_quick if after_quick[p] != before.get(p)),
        "quick_page": quick_page,
    }


@pytest.mark.build
def test_an_edit_rebuilds_the_record_first_then_the_rest(preview_run):
    assert preview_run["steps"] == ["full", "quick", "finish"]
    # the quick step wrote the edited record's page only, and MkDocs built it
    assert preview_run["quick_written"] == ["services/msp-redon.md"]
    assert EDITED in preview_run["quick_page"] and NAME not in preview_run["quick_page"]
    # then the listings followed
    category = (preview_run["root"] / "site" / "fr" / "categories" / "msp" / "index.html").read_text(encoding="utf-8")
    assert EDITED in category and NAME not in category


@pytest.mark.build
def test_the_preview_ends_as_the_full_build_of_the_edited_records(preview_run, tmp_path):
    full = tmp_path / "full"
    build_site(preview_run["config"], preview_run["edited"], full, languages=("fr",))
    assert differing(preview_run["root"] / "site", full) == []
    # the comparison can fail: a stale page is found
    stale = preview_run["root"] / "site" / "fr" / "communes" / "redon" / "index.html"
    original = stale.read_text(encoding="utf-8")
    try:
        stale.write_text(original.replace(EDITED, NAME), encoding="utf-8")
        assert differing(preview_run["root"] / "site", full) == ["fr/communes/redon/index.html"]
    finally:
        stale.write_text(original, encoding="utf-8")


def test_only_changed_records_are_rebuilt_alone(demo_directory):
    edited = load_directory(DEMO)
    assert changed_records(demo_directory, edited) is not None and not changed_records(demo_directory, edited)
    # a removed record, or anything beyond records, needs the full build
    loaded = load_directory(DEMO)
    fewer = replace(loaded, services={k: v for k, v in loaded.services.items() if k != "msp-redon"})
    assert changed_records(demo_directory, fewer) is None
    other_day = load_directory(DEMO, today=demo_directory.today.replace(day=24))
    assert changed_records(demo_directory, other_day) is None


@pytest.mark.build
def test_a_page_that_goes_or_a_link_to_a_new_page_gets_a_full_build(tmp_path):
    """A service alone in its category moves to another: the category's page is no longer
    made (found by `rest`); moved back, its page links to a page only a full build makes.
    Both end as a full build, the same as `build` makes."""
    records, config, preview, done, held = french_preview(tmp_path)
    directory = load_directory(records)
    alone = next(
        c
        for c, sids in directory.services_by_category.items()
        if len(sids) == 1 and not directory.permanences_by_category.get(c)
    )
    sid = directory.services_by_category[alone][0]
    assert preview.update(config, directory) == "full"
    path = records / directory.files[("services", sid)]
    text = path.read_text(encoding="utf-8")
    assert f"category: {alone}" in text

    def compare(edited) -> None:
        full = tmp_path / f"full-{len(list(tmp_path.iterdir()))}"
        build_site(config, edited, full, languages=("fr",))
        assert differing(tmp_path / "site", full) == []

    path.write_text(text.replace(f"category: {alone}", "category: msp"), encoding="utf-8")
    moved = load_directory(records)
    assert preview.update(config, moved) == "quick"
    threading.Thread(target=held.pop()).start()
    assert done.wait(120)
    assert preview.update(config, moved) == "full"  # categories/<alone>.md is no longer made
    assert not (tmp_path / "site" / "fr" / "categories" / alone).exists()
    compare(moved)

    path.write_text(text, encoding="utf-8")
    back = load_directory(records)
    assert preview.update(config, back) == "full"  # the quick build found a link to a page not made yet
    compare(back)

"""Builds that clean up after themselves, and a swap that says what it did (site/build.py, site/workfolders.py).

A build stopped by SIGTERM deletes its staging and temporary folders; what a killed
build left is deleted by the next one, and nothing else (never another live build's
folder, never a folder without our marker); a site that could not be replaced is
refused before the build starts; a previous copy that cannot be deleted is named,
and the build still exits 0, the new site being in place.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import cli
from generator.site import build as site_build

from helpers import MINIMAL, ROOT, free_port, project_config, start_preview

PREVIOUS = "<p>previous site</p>"


def previous_site(site: Path) -> dict[str, bytes]:
    """A site as an earlier build leaves it (its marker, a page); its snapshot."""
    (site / "fr").mkdir(parents=True)
    (site / ".portal-site").write_text("Built by the care-portal generator.\n")
    (site / "fr" / "index.html").write_text(PREVIOUS)
    return snapshot(site)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def debris(root: Path, temporary: Path) -> list[str]:
    """The build's folders: staging and set-aside copies beside the site, work folders in TMPDIR."""
    beside = [p.name for p in root.iterdir() if p.name.startswith((".site.staging-", ".site.old-"))]
    return sorted(beside + [p.name for p in temporary.iterdir() if p.name.startswith("portal-")])


def build_command(config: Path, site: Path) -> list[str]:
    options = ["--config", str(config), "--directory", str(MINIMAL), "--site-dir", str(site)]
    return [sys.executable, "-m", "generator", "build", *options]


def beside(site: Path) -> list[tuple[Path, str]]:
    """Where a build of `site` leaves folders beside it (not the whole system's temporary folder)."""
    return [(site.parent, ".site.staging-"), (site.parent, ".site.old-")]


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """A temporary folder of the test's own, for the builds run in this process."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr("tempfile.tempdir", None)
    return folder


def start_build(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    """`build` of the minimal territory in a process of its own, with its own TMPDIR; the
    process, the site and the TMPDIR. It returns once the build's staging folder exists."""
    config = project_config(tmp_path / "project")
    site, temporary = tmp_path / "site", tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        build_command(config.config_file, site),
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (list(tmp_path.glob(".site.staging-*/*")) and list(temporary.glob("portal-build-*"))):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never made its staging folder"
        time.sleep(0.02)
    return process, site, temporary


@pytest.mark.build
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_build_leaves_no_debris(tmp_path, signum, status):
    before = previous_site(tmp_path / "site")
    process, site, temporary = start_build(tmp_path)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert "Traceback" not in err and "Interrompu" in err and "rien n'a été changé" in err
    assert debris(tmp_path, temporary) == []
    assert snapshot(site) == before


@pytest.mark.build
def test_what_a_killed_build_left_is_deleted_by_the_next_one_only(tmp_path):
    previous_site(tmp_path / "site")
    process, site, temporary = start_build(tmp_path)
    process.kill()  # SIGKILL: no chance to clean up
    process.communicate(timeout=60)
    left = debris(tmp_path, temporary)
    assert [name.split("-")[0] for name in left] == [".site.staging", "portal"], left
    # Not ours: by name only, without the marker; a link to a folder that has one.
    (tmp_path / ".site.staging-by-hand").mkdir()
    (tmp_path / ".site.staging-by-hand" / "notes.txt").write_text("precious")
    (temporary / "portal-build-by-hand").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".portal-build-owner").write_text("")
    (tmp_path / ".site.old-link").symlink_to(elsewhere)
    # Another build, alive, writing into its own staging folder.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), ".site.staging-"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    live = Path(holder.stdout.readline().strip())
    try:
        again = subprocess.run(
            build_command(tmp_path / "project" / "mkdocs.yml", site),
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(temporary)},
            capture_output=True,
            text=True,
        )
        assert again.returncode == 0, again.stderr
        assert "Dossiers supprimés, laissés par une construction précédente interrompue" in again.stderr
        for name in left:
            assert name in again.stderr
        assert sorted(debris(tmp_path, temporary)) == sorted(
            [".site.old-link", ".site.staging-by-hand", live.name, "portal-build-by-hand"]
        )
        assert (tmp_path / ".site.staging-by-hand" / "notes.txt").read_text() == "precious"
        assert (elsewhere / ".portal-build-owner").is_file()
        assert "previous site" not in (site / "fr" / "index.html").read_text()
    finally:
        holder.kill()
        holder.communicate()
    # Its build gone, the other staging folder is debris too.
    from generator.site.workfolders import clean_leftovers

    assert clean_leftovers(beside(site)).removed == (live,)


@pytest.mark.build
def test_a_stopped_preview_deletes_its_workspace(tmp_path):
    config = project_config(tmp_path / "project")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    options = ["--config", str(config.config_file), "--directory", str(MINIMAL), "--dev-addr", f"127.0.0.1:{port}"]
    process = start_preview(options, temporary)
    try:
        assert [p.name.split("-")[1] for p in temporary.iterdir()] == ["serve"]
        process.terminate()
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0 and "Aperçu arrêté." in err, err
    assert list(temporary.iterdir()) == []


#: Makes an owned folder in argv[1] with the prefix argv[2], says where, and keeps it.
HOLD = """
import sys, time
from pathlib import Path
from generator.site.workfolders import OwnedFolder
print(OwnedFolder.create(Path(sys.argv[1]), sys.argv[2]).path, flush=True)
time.sleep(600)
"""


def emulate_permissions(monkeypatch) -> None:
    """As root, chmod does not stop writes (root may write anywhere): the check then reads
    the mode bits, as the system checks them for any other user."""
    if os.geteuid() == 0:
        monkeypatch.setattr(
            site_build, "_writable", lambda folder: bool(folder.stat().st_mode & stat.S_IWUSR), raising=False
        )


@pytest.mark.parametrize("read_only", ["parent", "previous site"])
def test_a_site_that_cannot_be_replaced_is_refused_before_the_build(
    tmp_path, monkeypatch, capsys, temporary, read_only
):
    config = project_config(tmp_path / "project")
    parent = tmp_path / "public"
    before = previous_site(parent / "site")
    locked = parent if read_only == "parent" else parent / "site" / "fr"
    emulate_permissions(monkeypatch)

    def started(*args, **kwargs):
        raise AssertionError("the build started")

    monkeypatch.setattr(site_build, "_run_builds", started)
    locked.chmod(0o555)
    try:
        status = cli.main(
            [
                "build",
                "--config",
                str(config.config_file),
                "--directory",
                str(MINIMAL),
                "--site-dir",
                str(parent / "site"),
            ]
        )
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert status == 1, err
    assert f"erreur : {locked} n'est pas modifiable par ce compte" in err and "erreur interne" not in err
    assert "Rien n'a été changé" in err
    assert snapshot(parent / "site") == before
    assert sorted(p.name for p in parent.iterdir()) == ["site"] and list(temporary.iterdir()) == []


@pytest.mark.build
def test_a_previous_site_that_cannot_be_deleted_is_named_and_the_new_one_published(
    tmp_path, monkeypatch, capsys, temporary
):
    config = project_config(tmp_path / "project")
    site = tmp_path / "site"
    previous_site(site)
    rmtree = shutil.rmtree

    def refuse_the_old_copy(path, *args, **kwargs):
        # the previous copy, set aside as `.site.old-…` (before the fix) or inside it
        if any(part.startswith(".site.old-") for part in Path(path).parts):
            raise PermissionError(1, "Operation not permitted", str(Path(path) / "fr" / "index.html"))
        return rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", refuse_the_old_copy)
    status = cli.main(
        ["build", "--config", str(config.config_file), "--directory", str(MINIMAL), "--site-dir", str(site)]
    )
    out, err = capsys.readouterr()
    assert status == 0, err  # published: CI must not report a failure
    assert "Site construit dans" in out
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".site.old-")]
    assert len(left) == 1
    assert (
        f"avertissement : le nouveau site est en place dans {site}, mais l'ancienne copie n'a pas pu être supprimée "
        f"(Operation not permitted: {left[0] / 'site' / 'fr' / 'index.html'}) : elle est restée dans {left[0]}."
    ) in err
    assert (left[0] / "site" / "fr" / "index.html").read_text() == PREVIOUS
    assert (site / ".portal-site").is_file() and PREVIOUS not in (site / "fr" / "index.html").read_text()
    assert not list(tmp_path.glob(".site.staging-*")) and list(temporary.iterdir()) == []
    # Once it can be deleted, the next build deletes it.
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    from generator.site.workfolders import clean_leftovers

    assert clean_leftovers(beside(site)).removed == (left[0],)


@pytest.mark.build
def test_a_build_stopped_while_the_previous_copy_is_deleted_says_it_is_published(
    tmp_path, monkeypatch, capsys, temporary
):
    from generator.site.workfolders import Interrupted, clean_leftovers

    config = project_config(tmp_path / "project")
    site = tmp_path / "site"
    previous_site(site)
    rmtree = shutil.rmtree

    def stopped_while_deleting(path, *args, **kwargs):
        if any(part.startswith(".site.old-") for part in Path(path).parts):
            raise Interrupted(signal.SIGTERM)  # as the handler raises it, SIGTERM coming now
        return rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", stopped_while_deleting)
    status = cli.main(
        ["build", "--config", str(config.config_file), "--directory", str(MINIMAL), "--site-dir", str(site)]
    )
    err = capsys.readouterr().err
    assert status == 143
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".site.old-")]
    assert f"Interrompu (SIGTERM) après la mise en place du nouveau site dans {site}." in err
    assert f"L'ancienne copie reste dans {left[0]} : la prochaine construction la supprime." in err
    assert PREVIOUS not in (site / "fr" / "index.html").read_text()
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert clean_leftovers(beside(site)).removed == (left[0],)


def test_a_signal_waits_for_the_end_of_a_step_that_must_be_whole():
    from generator.site.workfolders import Interrupted, stop_on_signals, uninterrupted

    if threading.current_thread() is not threading.main_thread():  # the signal would end the run
        pytest.skip("Python handles signals in the main thread only")
    before, done = signal.getsignal(signal.SIGTERM), []
    with pytest.raises(Interrupted) as stopped, stop_on_signals():
        with uninterrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)  # the handler has run: the signal is noted, not raised
            done.append("the step")
        done.append("after the step")
    assert done == ["the step"] and stopped.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == before  # put back as it was


@pytest.mark.parametrize("put_back", [True, False])
def test_a_swap_that_fails_halfway_keeps_the_previous_site(tmp_path, monkeypatch, put_back):
    from generator.site.workfolders import clean_leftovers

    site, staged = tmp_path / "site", tmp_path / "staged"
    before = previous_site(site)
    staged.mkdir()
    (staged / "index.html").write_text("new")
    rename = Path.rename

    def failing(self, target):
        if self == staged or (not put_back and Path(target) == site):
            raise OSError(16, "Device or resource busy")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(site_build.BuildError, match="n'a pas pu être mis à la place") as failed:
        site_build._put_in_place(staged, site)
    monkeypatch.setattr(Path, "rename", rename)
    if put_back:
        assert not failed.value.site_changed and snapshot(site) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "staged"]
    else:  # the only copy is named, and no later build may delete it
        [aside] = tmp_path.glob(".site.old-*")
        assert failed.value.site_changed and f"il est dans {aside / 'site'}" in str(failed.value)
        assert clean_leftovers(beside(site)).removed == ()
        assert snapshot(aside / "site") == before

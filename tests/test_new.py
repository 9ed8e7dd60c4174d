"""`python -m generator new KIND ID`: a commented template that `check` rejects
until every placeholder is filled in, and accepts once it is."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.records.validate import PLACEHOLDER

from helpers import MINIMAL, TODAY, check

#: What a coordinator would write in place of each placeholder, in the minimal territory.
FILLED = {
    "name": "Maison de santé des Essais",
    "category": "msp",
    "summary": "Médecins et infirmiers.",
    "description": "Des médecins généralistes et des infirmiers.",
    "address.street": "3 rue des Essais",
    "address.postcode": "35100",
    "address.commune": "35001",
    "latitude": 47.601,
    "longitude": -2.001,
    "phones.0.number": "01 99 00 12 34",
    "opening_hours": "Mo-Fr 09:00-12:00; PH off",
    "appointment.policy": "recommended",
    "verified": "2026-11-20",
    "source": "Appel à l'accueil",
    "held_by.organization": "Association des Essais",
    "location.name": "Mairie de Villebourg",
    "location.address.street": "1 place de la Mairie",
    "location.address.postcode": "35100",
    "location.address.commune": "35001",
    "location.latitude": 47.60,
    "location.longitude": -2.00,
    "categories.0": "assurance-maladie",
    "schedule": "Tu[2] 09:00-12:00; PH off",
    "benefits": "Une aide pour payer une complémentaire santé.",
    "eligibility": "Les habitants de la commune.",
    "steps.0": "Appelez la mairie.",
    "steps.1": "Apportez vos justificatifs.",
    "links.0.title": "La page de la commune",
    "links.0.url": "https://example.org/aide",
}


def fill(value, where=""):
    if isinstance(value, dict):
        return {k: fill(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, f"{where}.{i}") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith(PLACEHOLDER):
        return FILLED[where]
    return value


@pytest.mark.parametrize(
    "kind, folder", [("service", "services"), ("permanence", "permanences"), ("dispositif", "dispositifs")]
)
def test_a_new_record_passes_check_once_filled_in(tmp_path: Path, kind, folder, capsys):
    directory = tmp_path / "directory"
    shutil.copytree(MINIMAL, directory)
    assert main(["new", kind, "essai-1", "--directory", str(directory)]) == 0
    path = directory / folder / "essai-1.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "make check" in text  # commented for a coordinator

    records, report = check(directory, TODAY)
    placeholders = text.count(f'"{PLACEHOLDER}') + text.count(f"  {PLACEHOLDER}")
    unfilled = [p for p in report.errors if " : à remplir : " in p.message]
    assert len(unfilled) == placeholders > 5
    assert all(p.path == path and p.line > 1 for p in unfilled)

    path.write_text(yaml.safe_dump(fill(yaml.safe_load(text)), allow_unicode=True), encoding="utf-8")
    records, report = check(directory, TODAY)
    assert [p.format() for p in report.errors] == []
    assert records is not None and "essai-1" in getattr(records, folder)


def test_new_never_overwrites_and_rejects_a_bad_id(tmp_path: Path, capsys):
    directory = tmp_path / "directory"
    shutil.copytree(MINIMAL, directory)
    assert main(["new", "service", "cpam-villebourg", "--directory", str(directory)]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert main(["new", "service", "Maison Santé", "--directory", str(directory)]) == 1
    assert "'maison-sante'" in capsys.readouterr().err


# --- publishing through CI ---------------------------------------------------------


def test_check_speaks_github_annotations_and_gitlab_code_quality(capsys):
    import json

    from helpers import BROKEN

    assert main(["check", "--directory", str(BROKEN), "--today", TODAY.isoformat(), "--format", "github"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert lines and all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    assert any(",line=" in line and "fixtures/broken/" in line for line in lines)

    assert main(["check", "--directory", str(BROKEN), "--today", TODAY.isoformat(), "--format", "gitlab"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert len(report) == len(lines)
    assert {entry["severity"] for entry in report} <= {"major", "minor"}
    assert all(entry["location"]["lines"]["begin"] >= 1 and entry["location"]["path"] for entry in report)


def test_the_ci_templates_check_build_gate_deploy_and_rebuild_nightly():
    root = Path(__file__).parent.parent / "ci-templates"
    github = yaml.safe_load((root / "github-actions.yml").read_text(encoding="utf-8"))
    triggers = github[True]  # YAML 1.1 reads the key 'on' as true
    assert {"pull_request", "push", "schedule"} <= set(triggers) and triggers["schedule"][0]["cron"]
    steps = " ".join(str(step.get("run", "")) for step in github["jobs"]["build"]["steps"])
    for command in ("generator check --format github", "generator build", "generator quality"):
        assert command in steps
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")

    gitlab = yaml.safe_load((root / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "gl-code-quality-report.json" in " ".join(gitlab["check"]["script"])
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert any("generator quality" in line for line in gitlab["build"]["script"])
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]


def test_the_matrix_template_builds_each_language_of_the_portal_then_puts_them_together(tmp_path):
    root = Path(__file__).parent.parent
    matrix = yaml.safe_load((root / "ci-templates" / "github-actions-matrix.yml").read_text(encoding="utf-8"))
    portal = next(
        e["portal"]
        for e in yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
        if isinstance(e, dict) and "portal" in e
    )
    build = matrix["jobs"]["build"]
    assert build["strategy"]["matrix"]["language"] == portal["languages"]
    command = next(step["run"] for step in build["steps"] if "generator build" in str(step.get("run", "")))
    assert "--languages ${{ matrix.language }}" in command and "--today ${{ needs.check.outputs.today }}" in command
    assemble = matrix["jobs"]["assemble"]
    merge = next(step["run"] for step in assemble["steps"] if step.get("name") == "Put the languages together")
    # the merge, run on two parts: each language's folder and the shared files, hidden ones too
    for code in ("fr", "ar"):
        part = tmp_path / "parts" / f"site-{code}"
        (part / code).mkdir(parents=True)
        (part / code / "index.html").write_text(code)
        (part / "index.html").write_text("root")
        (part / ".portal-site").write_text("marker")
    subprocess.run(["bash", "-e", "-c", merge], cwd=tmp_path, check=True)
    built = sorted(str(p.relative_to(tmp_path / "site")) for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert built == [".portal-site", "ar/index.html", "fr/index.html", "index.html"]
    assert any("generator quality" in str(step.get("run", "")) for step in assemble["steps"])
    assert matrix["jobs"]["deploy"]["needs"] == "assemble"


def test_the_regional_template_builds_each_departement_then_links_them(tmp_path):
    root = Path(__file__).parent.parent
    regional = yaml.safe_load((root / "ci-templates" / "github-actions-regional.yml").read_text(encoding="utf-8"))
    territory = yaml.safe_load((root / "directory" / "territory.yml").read_text(encoding="utf-8"))
    build = regional["jobs"]["build"]
    codes = build["strategy"]["matrix"]["departement"]
    assert codes == sorted({c["insee"][:2] for c in territory["communes"]})
    runs = [
        str(step.get("run", ""))
        .replace("${{ matrix.departement }}", "35")
        .replace("${{ needs.check.outputs.today }}", TODAY.isoformat())
        for step in build["steps"]
    ]
    # the steps as the runner's bash runs them, for département 35, the commands echoed
    script = "\n".join(
        [
            'export GITHUB_ENV="$PWD/github-env"',
            next(run for run in runs if "GITHUB_ENV" in run),
            'set -a; . "$GITHUB_ENV"; set +a',
            *(run.replace("python -m generator", "echo") for run in runs if "python -m generator" in run),
        ]
    )
    mkdocs = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert regional["env"]["PORTAL_URL"] == mkdocs["site_url"]
    echoed = subprocess.run(
        ["bash", "-e", "-c", script],
        env={"PORTAL_URL": regional["env"]["PORTAL_URL"]},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    url = "https://sante-pays-de-redon.example.org/35/"
    assert echoed == [
        f"build --departements 35 --site-dir site/35 --site-url {url} --today {TODAY.isoformat()}",
        f"quality --site-dir site/35 --site-url {url} --axe fr en ar",
    ]
    assemble = regional["jobs"]["assemble"]
    merge = next(step["run"] for step in assemble["steps"] if step.get("name") == "Put the départements together")
    for code in ("35", "44"):
        part = tmp_path / "parts" / f"site-{code}" / code
        (part / "fr").mkdir(parents=True)
        (part / "fr" / "index.html").write_text(code)
        (part / ".portal-site").write_text("marker")
    subprocess.run(["bash", "-e", "-c", merge], cwd=tmp_path, check=True)
    built = sorted(str(p.relative_to(tmp_path / "site")) for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert built == ["35/.portal-site", "35/fr/index.html", "44/.portal-site", "44/fr/index.html"]
    runs = [str(step.get("run", "")) for step in assemble["steps"]]
    index = next(i for i, run in enumerate(runs) if "generator region-index --site-dir site" in run)
    assert index < next(i for i, run in enumerate(runs) if "generator quality --site-dir site" in run)
    assert regional["jobs"]["deploy"]["needs"] == "assemble"

"""Time full builds of the demo and of a larger territory; print medians.

    .venv/bin/python benchmarks/measure_build.py [--runs 5] [--copies 10]

Each territory is built with one language (fr), three (fr, en, ar) and all
the languages of mkdocs.yml: languages are built in parallel processes, so
three languages should take well under three times one.

The larger territory is the demo with every service and permanence copied
`--copies` times under new ids (same communes, same text lengths): a rough
stand-in until the synthetic-territory generator exists. Each build runs in a
fresh process, as `python -m generator build` does, and the figures are the
median of `--runs` runs: seconds, pages, pages per second, peak memory of the
build process, output size, and the size of one service page.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"


def replicate(source: Path, target: Path, copies: int) -> None:
    """The demo directory with each service and permanence copied `copies` times."""
    shutil.copytree(source, target)
    for kind in ("services", "permanences"):
        originals = sorted((target / kind).glob("*.yml"))
        for copy in range(2, copies + 1):
            for path in originals:
                text = path.read_text(encoding="utf-8")
                # references to services keep pointing at the originals, which exist
                (target / kind / f"{path.stem}-{copy}.yml").write_text(text, encoding="utf-8")


def config_with(languages: list[str] | None, folder: Path) -> Path:
    """mkdocs.yml with other languages, paths made absolute so that it works from `folder`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "portal" in entry:
            options = entry["portal"]
            options["content"] = str(ROOT / options.get("content", "content"))
            if languages is not None:
                options["languages"] = languages
                options["site_names"] = {k: v for k, v in options.get("site_names", {}).items() if k in languages}
    path = folder / f"mkdocs-{'-'.join(languages or ['all'])}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def build_once(config: Path, directory: Path, site: Path) -> tuple[float, int]:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(config), "--directory", str(directory),
         "--site-dir", str(site), "--today", TODAY],
        cwd=ROOT, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(label: str, directory: Path, languages: list[str] | None, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        config = config_with(languages, Path(work))
        timings = [build_once(config, directory, site) for _ in range(runs)]
        seconds = statistics.median(t for t, _ in timings)
        pages = sum(1 for _ in site.rglob("*.html"))
        service_page = next(iter(sorted((site / "fr" / "services").glob("*/index.html"))))
        return {
            "territory": label,
            "languages": ", ".join(languages) if languages else "all",
            "services": sum(1 for _ in (directory / "services").glob("*.yml")),
            "pages": pages,
            "seconds (median)": round(seconds, 2),
            "pages/s": round(pages / seconds),
            "largest process (MB)": round(max(m for _, m in timings) / 1024),
            "site size (MB)": round(folder_size(site) / 1e6, 1),
            "service page (KB)": round(service_page.stat().st_size / 1024, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10, help="0: the demo only")
    args = parser.parse_args()
    sets = [["fr"], ["fr", "en", "ar"], None]
    rows = [measure("demo", ROOT / "directory", languages, args.runs) for languages in sets]
    if args.copies > 1:
        with tempfile.TemporaryDirectory() as work:
            larger = Path(work) / "directory"
            replicate(ROOT / "directory", larger, args.copies)
            rows += [measure(f"demo × {args.copies}", larger, languages, args.runs) for languages in sets]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    for territory in dict.fromkeys(row["territory"] for row in rows):
        one, three = (next(r for r in rows if r["territory"] == territory and r["languages"] == langs)
                      for langs in ("fr", "fr, en, ar"))
        ratio = three["seconds (median)"] / one["seconds (median)"]
        print(f"{territory}: 3 languages take {ratio:.2f} times as long as 1 (target: under 2), "
              f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

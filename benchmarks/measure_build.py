"""Time full builds of the demo and of a larger territory; print medians.

    .venv/bin/python benchmarks/measure_build.py [--runs 5] [--copies 10]

The larger territory is the demo with every service and permanence copied
`--copies` times under new ids (same communes, same text lengths): a rough
stand-in until the synthetic-territory generator exists. Each build runs in a
fresh process, as `python -m generator build` does, and the figures are the
median of `--runs` runs: seconds, pages, pages per second, peak memory of the
build process, output size, and the size of one service page.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def build_once(directory: Path, site: Path) -> tuple[float, int]:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--directory", str(directory),
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


def measure(label: str, directory: Path, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        timings = [build_once(directory, site) for _ in range(runs)]
        seconds = statistics.median(t for t, _ in timings)
        pages = sum(1 for _ in site.rglob("*.html"))
        service_page = next(iter(sorted((site / "fr" / "services").glob("*/index.html"))))
        return {
            "territory": label,
            "services": sum(1 for _ in (directory / "services").glob("*.yml")),
            "pages": pages,
            "seconds (median)": round(seconds, 2),
            "pages/s": round(pages / seconds),
            "peak memory (MB)": round(max(m for _, m in timings) / 1024),
            "site size (MB)": round(folder_size(site) / 1e6, 1),
            "service page (KB)": round(service_page.stat().st_size / 1024, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    rows = [measure("demo", ROOT / "directory", args.runs)]
    with tempfile.TemporaryDirectory() as work:
        larger = Path(work) / "directory"
        replicate(ROOT / "directory", larger, args.copies)
        rows.append(measure(f"demo × {args.copies}", larger, args.runs))
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()

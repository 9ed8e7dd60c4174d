"""Where one language's build spends its time, stage by stage (wall clock, no profiler).

    .venv/bin/python benchmarks/phases.py FOLDER [--language fr] [--profile OUT]

FOLDER holds a territory's mkdocs.yml (for example one `make bench` wrote:
`python -c "import bench; bench.synth(1000, F); bench.portal_config(F)"` from
benchmarks/). The stages are the build's own, run one after the other in this
process: loading the records, rendering the pages into the work folder
(`prepare_language`), the engine with the pass after it (`run_engine`), the
pages filled into frames (`fill_language`), the search index (Pagefind), the
shared files (open data). `--profile OUT` writes a cProfile of the same run
(slower than real) for `python -m pstats OUT`.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import load_project  # noqa: E402 (after the path above)
from generator.site import build  # noqa: E402
from generator.site.engines import run_engine  # noqa: E402
from generator.site.frames import fill_language  # noqa: E402
from generator.site.search import index_language  # noqa: E402

T = TypeVar("T")
TODAY = dt.date(2026, 11, 23)  # bench.TODAY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--language", default="fr")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    times: list[tuple[str, float]] = []

    def stage(name: str, step: Callable[[], T]) -> T:
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            return step()
        finally:
            if profiler is not None:
                profiler.disable()
            times.append((name, time.perf_counter() - start))

    language = args.language
    with tempfile.TemporaryDirectory(prefix="portal-phases-") as scratch:
        work, site = Path(scratch) / "work", Path(scratch) / "site"
        project = stage("load the records", lambda: load_project(args.folder / "mkdocs.yml", today=TODAY))
        if project.config is None or project.directory is None:
            raise SystemExit("\n".join(p.format() for p in project.report.problems))
        config, directory = project.config, project.directory
        config_path = stage("render the pages", lambda: build.prepare_language(config, directory, language, work, site))
        result = stage("engine and finish", lambda: run_engine("mkdocs", config_path, language))
        if not result.ok:
            raise SystemExit("\n".join(result.messages))
        sources = build.search_sources(work, language)
        root = config_path.parent
        problems = stage(
            "fill the frames", lambda: fill_language(root, root / "docs", site / language, sources, language)
        )
        if problems:
            raise SystemExit("\n".join(problems))
        pages = sum(1 for _ in (site / language).rglob("*.html"))
        stage("search index", lambda: index_language(sources, site / language, language))
        stage("shared files", lambda: build.write_shared_files(config, directory, site))
    if profiler is not None:
        profiler.dump_stats(args.profile)
    print(f"{args.folder}, {language}: {pages:,} pages")
    for name, seconds in times:
        print(f"  {name:<20} {seconds:6.1f} s")
    print(f"  {'total':<20} {sum(s for _, s in times):6.1f} s")


if __name__ == "__main__":
    main()

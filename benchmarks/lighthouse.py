"""`make lighthouse`: Lighthouse's mobile performance on one page of each kind.

    .venv/bin/python benchmarks/lighthouse.py [--site DIR] [--languages fr,ar] [--runs 3] [--out docs/benchmarks.md]

Builds the demo (or takes the site already built in `--site`), serves it on a
local port the way a static host does (gzip for text files), and runs
Lighthouse (pinned in tools/lighthouse/package-lock.json, `npm ci` there) with
Debian's Chromium on one page of each kind (the kinds the accessibility gate
checks, and a guide), in each language, `--runs` times. Lighthouse's default
mobile settings: a Moto G Power's screen, simulated slow 4G (150 ms, 1.6 Mbit/s)
and a CPU 4 times slower than this one. Simulated throttling computes the
network, but scales the main-thread work it observes: on a busy machine the
blocking times grow, so the table gives medians.

Written into `--out` between the two `lighthouse` markers (added at the end
the first time): what `make bench` writes is left alone. Also checked on every
run: no page asks for a `sitemap.xml`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.quality.accessibility import page_kinds  # noqa: E402
from generator.quality.serve import Quiet, serving  # noqa: E402

TOOLS = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
START = "<!-- lighthouse: written by benchmarks/lighthouse.py from here -->"
END = "<!-- lighthouse: to here -->"
TARGET_SCORE = 95
TARGET_TBT_MS = 200
TARGET_FIRST_VISIT_KB = 100

_COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".geojson", ".txt", ".ics", ".webmanifest")


class _StaticHost(Quiet):
    """Files as a static host serves them: text gzip-compressed when the browser accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if (
            path.suffix not in _COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)  # what copyfile reads


@dataclass(frozen=True)
class Run:
    score: float  # 0-100
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    bytes: int  # what the page transferred, compressed
    sitemaps: tuple[str, ...]  # sitemap.xml requests (there should be none)


def lighthouse(url: str, chrome: str) -> Run:
    """One Lighthouse run, mobile defaults, performance only."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                # a profile of its own each time: nothing cached from an earlier run
                f"--chrome-flags=--headless=new --no-sandbox --disable-gpu --user-data-dir={folder}/profile",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chrome},
            stdout=subprocess.DEVNULL,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return Run(
        score=round(data["categories"]["performance"]["score"] * 100),
        fcp_ms=audits["first-contentful-paint"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        bytes=int(audits["total-byte-weight"]["numericValue"]),
        sitemaps=tuple(r["url"] for r in requests if "sitemap" in r["url"]),
    )


@dataclass(frozen=True)
class Row:
    kind: str
    language: str
    path: str
    runs: tuple[Run, ...]

    def median(self, field: str) -> float:
        return statistics.median(getattr(run, field) for run in self.runs)


def pages(site: Path, language: str) -> list[tuple[str, str]]:
    """(kind, path) of one page of each kind; the print view is the service page again."""
    kinds = [(kind.name, kind.path) for kind in page_kinds(site, language) if kind.media == "screen"]
    guides = sorted((site / language / "guides").glob("*/index.html"))
    if guides:
        kinds.append(("guide", guides[0].parent.relative_to(site).as_posix() + "/"))
    return kinds


def measure(site: Path, languages: list[str], runs: int, chrome: str, only: list[str] | None = None) -> list[Row]:
    rows = []
    with serving(site, _StaticHost) as address:
        for language in languages:
            for kind, path in pages(site, language):
                if only and kind not in only:
                    continue
                results = tuple(lighthouse(f"{address}/{path}", chrome) for _ in range(runs))
                rows.append(Row(kind, language, path, results))
                row = rows[-1]
                print(
                    f"{language} {kind}: {[r.score for r in results]} TBT {row.median('tbt_ms'):.0f} ms, "
                    f"{row.median('bytes') / 1024:.0f} KB",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def table(rows: list[Row], languages: list[str]) -> list[str]:
    by_kind: dict[str, dict[str, Row]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, {})[row.language] = row
    header = "| page kind | " + " | ".join(
        f"{lang}: score | {lang}: FCP (s) | {lang}: LCP (s) | {lang}: TBT (ms) | {lang}: KB" for lang in languages
    )
    lines = [header + " |", "|---|" + "---:|" * (5 * len(languages))]
    for kind, cells in by_kind.items():
        parts = []
        for lang in languages:
            found = cells.get(lang)
            if found is None:
                parts.append(" | ".join(["—"] * 5))
                continue
            score = found.median("score")
            parts.append(
                " | ".join(
                    [
                        f"{score:.0f}" if score >= TARGET_SCORE else f"**{score:.0f}**",
                        f"{found.median('fcp_ms') / 1000:.1f}",
                        f"{found.median('lcp_ms') / 1000:.1f}",
                        f"{found.median('tbt_ms'):.0f}",
                        f"{found.median('bytes') / 1024:.0f}",
                    ]
                )
            )
        lines.append(f"| {kind} | " + " | ".join(parts) + " |")
    return lines


def report(rows: list[Row], languages: list[str], runs: int, note: str) -> str:
    worst = min(rows, key=lambda row: row.median("score"))
    slowest = max(rows, key=lambda row: row.median("tbt_ms"))
    heaviest = max(rows, key=lambda row: row.median("bytes"))
    sitemaps = sorted({url for row in rows for run in row.runs for url in run.sitemaps})
    lighthouse_version = json.loads((TOOLS / "package.json").read_text())["devDependencies"]["lighthouse"]
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()

    def mark(ok: bool) -> str:
        return "met" if ok else "**not met**"

    return "\n".join(
        [
            START,
            "",
            "## Lighthouse, mobile (`make lighthouse`)",
            "",
            f"- Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {note}",
            f"- Lighthouse {lighthouse_version}, {chromium}, headless; mobile defaults (simulated slow 4G: "
            "150 ms, 1.6 Mbit/s; CPU slowed 4 times); the site served locally with gzip, as a static host does; "
            f"each figure the median of {runs} runs, one fresh browser profile each. The simulated throttling "
            "computes the network, but scales the CPU work it observes: a busy machine inflates blocking times.",
            "- KB: what the page transferred on a first visit (compressed), all files included.",
            "",
            *table(rows, languages),
            "",
            f"- Performance ≥ {TARGET_SCORE} on every page: lowest {worst.median('score'):.0f} "
            f"({worst.language} {worst.kind}), {mark(worst.median('score') >= TARGET_SCORE)}.",
            f"- Total blocking time ≤ {TARGET_TBT_MS} ms: highest {slowest.median('tbt_ms'):.0f} ms "
            f"({slowest.language} {slowest.kind}), {mark(slowest.median('tbt_ms') <= TARGET_TBT_MS)}.",
            f"- First visit ≤ {TARGET_FIRST_VISIT_KB} KB: heaviest {heaviest.median('bytes') / 1024:.0f} KB "
            f"({heaviest.language} {heaviest.kind}), "
            f"{mark(heaviest.median('bytes') <= TARGET_FIRST_VISIT_KB * 1024)}.",
            "- Requests for a sitemap: " + (", ".join(sitemaps[:6]) if sitemaps else "none") + ".",
            "",
            END,
        ]
    )


def written(previous: str, section: str) -> str:
    """`previous` with its Lighthouse section replaced by `section` (added at the end if none)."""
    if START in previous and END in previous:
        before, rest = previous.split(START, 1)
        return before + section + rest.split(END, 1)[1]
    return previous.rstrip("\n") + "\n\n" + section + "\n"


def build_demo(folder: Path) -> Path:
    site = folder / "site"
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site built already (default: build the demo)")
    parser.add_argument("--languages", default="fr,ar")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", help="only these page kinds, comma-separated (to look at one)")
    parser.add_argument("--note", default="the demo territory", help="what was measured, for the report")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("google-chrome")
    if not LIGHTHOUSE.exists() or not chrome:
        sys.exit("Lighthouse needs Node.js (npm ci --prefix tools/lighthouse) and Chromium (apt-get install chromium).")
    languages = args.languages.split(",")
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as folder:
        site = args.site or build_demo(Path(folder))
        rows = measure(site, languages, args.runs, chrome, args.kinds.split(",") if args.kinds else None)
    section = report(rows, languages, args.runs, args.note)
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    args.out.write_text(written(previous, section), encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()

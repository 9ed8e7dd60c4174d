"""How long `serve` takes to show an edited record (issue 10: within 3 seconds).

Starts `python -m generator serve` on a copy of the demo records, renames a
service several times, and measures from each save to the moment the preview
serves the service's page with the new name, then the page of its category
(the listings, rebuilt in the background). Prints the medians.

    .venv/bin/python benchmarks/preview.py [--edits 5]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = "services/msp-redon.yml"
NAME = "Maison de santé du Canal"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, text: str, limit: float = 120.0) -> float:
    """Seconds until the page at `url` contains `text`."""
    started = time.perf_counter()
    last_error = "no answer yet"
    while time.perf_counter() - started < limit:
        try:
            with urllib.request.urlopen(url, timeout=limit) as response:
                if text in response.read().decode("utf-8"):
                    return time.perf_counter() - started
                last_error = "the page is served without the text yet"
        except OSError as error:  # the server not listening yet, or the page not built yet (404)
            last_error = str(error)
        time.sleep(0.05)
    raise SystemExit(f"{url} never showed {text!r} in {limit:.0f} s (last: {last_error})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-preview-") as work:
        records = Path(work) / "directory"
        shutil.copytree(ROOT / "directory", records)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--directory",
                str(records),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}/fr"
        try:
            first = wait_for(f"{base}/services/msp-redon/", NAME, limit=300)
            print(f"first full build served after {first:.1f} s", file=sys.stderr)
            record, listing = [], []
            path = records / RECORD
            previous = NAME
            for edit in range(1, args.edits + 1):
                name = f"Maison de santé du Canal, essai {edit}"
                path.write_text(path.read_text(encoding="utf-8").replace(previous, name), encoding="utf-8")
                saved = time.perf_counter()
                wait_for(f"{base}/services/msp-redon/", name)
                record.append(time.perf_counter() - saved)
                wait_for(f"{base}/categories/msp/", name)
                listing.append(time.perf_counter() - saved)
                print(
                    f"edit {edit}: record page {record[-1]:.2f} s, category page {listing[-1]:.2f} s", file=sys.stderr
                )
                previous = name
                time.sleep(1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"Edited record shown after {statistics.median(record):.2f} s (median of {len(record)}), "
        f"its listings after {statistics.median(listing):.2f} s."
    )


if __name__ == "__main__":
    main()

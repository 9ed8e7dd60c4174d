#!/usr/bin/env bash
# The Zensical trial of docs/engines.md: the demo's French work folder built by Zensical
# 0.1.4 and by MkDocs, side by side (pages, broken links and anchors, time, memory).
#
#   bash benchmarks/zensical_trial.sh UI_CHECKOUT [OUT]
#
# UI_CHECKOUT: a checkout of github.com/zensical/ui (its dist/ holds the built theme;
# zensical 0.1.4 pins zensical-ui==0.0.44, which the package index reachable from our
# machine does not serve). The theme is packaged here in a wheel of its own, labelled
# 0.0.44+local to satisfy the pin: its content is whatever the checkout holds.
# OUT (default /tmp/zensical-trial) gets the venv, the work folder and both sites.
# Nothing is installed in the project's .venv; Zensical stays out of `make test`.
set -euo pipefail
UI=${1:?usage: zensical_trial.sh UI_CHECKOUT [OUT]}
OUT=${2:-/tmp/zensical-trial}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$ROOT/.venv/bin/python
# OUT is emptied: only a folder this script made (it leaves a mark) or a new one.
if [ -e "$OUT" ] && [ ! -e "$OUT/.zensical-trial" ]; then
  echo "$OUT exists and was not made by this script: give another folder" >&2; exit 2
fi
rm -rf "$OUT" && mkdir -p "$OUT/pkg/zensical_ui" && touch "$OUT/.zensical-trial"

# 1. zensical-ui from the checkout's dist/ (zensical 0.1.x uses only get_theme_dir()).
cp -r "$UI/dist" "$OUT/pkg/zensical_ui/theme"
cp "$UI/LICENSE" "$OUT/pkg/LICENSE"  # MIT
cat > "$OUT/pkg/zensical_ui/__init__.py" <<'EOF'
import os


def get_theme_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "theme")
EOF
cat > "$OUT/pkg/pyproject.toml" <<'EOF'
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"
[project]
name = "zensical-ui"
version = "0.0.44+local"
license = {text = "MIT"}
[tool.setuptools]
packages = ["zensical_ui"]
[tool.setuptools.package-data]
zensical_ui = ["theme/**/*", "theme/.icons/**/*"]
EOF
python3.11 -m venv "$OUT/venv"
"$OUT/venv/bin/pip" install -q "$OUT/pkg" zensical==0.1.4

# 2. The work folder, as `build` prepares it (no frames: Zensical renders every page).
(cd "$ROOT" && $PY -c "from pathlib import Path; from generator.pipeline import load_project; \
from generator.site.build import prepare_language; p = load_project(Path('mkdocs.yml')); \
prepare_language(p.config, p.directory, 'fr', Path('$OUT/work'), Path('$OUT/mkdocs-site'), frames=False)")
W=$OUT/work/fr
# Zensical wants docs_dir and site_dir inside the config's folder, and cannot read our
# partials/nav.html (it includes "material/partials/nav.html", a name the plugin gives).
cp -a "$ROOT/overrides" "$OUT/overrides" && rm "$OUT/overrides/partials/nav.html"
sed -e 's#^docs_dir: .*#docs_dir: docs#' -e 's#^site_dir: .*#site_dir: zensical-site/fr#' \
    -e "s#^  custom_dir: .*#  custom_dir: $OUT/overrides#" "$W/mkdocs.yml" > "$W/zensical.yml"

# 3. Both engines, timed (cold: Zensical's cache removed).
rm -rf "$W/.cache"
(cd "$W" && /usr/bin/time -f "zensical: %e s (user %U s, sys %S s), peak %M KB" "$OUT/venv/bin/zensical" build --clean -f zensical.yml)
(cd "$W" && /usr/bin/time -f "mkdocs: %e s (user %U s, sys %S s), peak %M KB" "$ROOT/.venv/bin/mkdocs" build -q -f mkdocs.yml)

# 4. What each wrote: pages, tables of contents, broken links and anchors (our gate).
for site in "$OUT/mkdocs-site" "$W/zensical-site"; do
  $PY - "$site" <<'EOF'
import sys
from pathlib import Path
from generator.quality.links import broken_links
from generator.quality.pages import html_pages

site = Path(sys.argv[1])  # holds fr/ only: links to the other languages and to data/ are left out
pages = html_pages(site)
found = [f for f in broken_links(site, pages) if "pas de fichier fr/" in f.message or "aucun élément d" in f.message]
with_toc = sum('data-md-component="toc"' in p.text for p in pages)
print(f"{site}: {len(pages)} pages, {with_toc} with a table of contents, {len(found)} broken links or anchors "
      f"on {len({f.page for f in found})} pages")
for finding in found[:3]:
    print("  e.g.", finding.format())
EOF
done

"""Generated pages are valid HTML by the Nu Html Checker (vnu.jar, needs Java).

Material's own markup has known findings; they are listed here one by one, matched on
both the message and the markup it points at, so a finding in our markup is never hidden
behind them. Everything else — errors and warnings, ours or new ones — fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitefixtures import mini_project, sample_project  # noqa: F401 (fixtures)
from sitehelpers import REPO, html_pages

VNU = REPO / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# (message pattern, pattern the offending markup must match): material 9.8.1 base.html/nav.
MATERIAL_KNOWN = [
    # <input class="md-toggle" type="checkbox" autocomplete="off"> (drawer and search toggles)
    (r"Attribute “autocomplete” is only allowed when the input type is", r'class="md-toggle"'),
    # <label class="md-nav__title" for="__toc">: the __toc checkbox is display:none
    (r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control", r'for="__toc"'),
]


def run_vnu(files: list[Path]) -> list[dict]:
    if not VNU.is_file() or not shutil.which("java"):
        if IN_CI:
            pytest.fail("vnu.jar or java is missing (scripts/setup.sh --test installs them)")
        pytest.skip("vnu.jar or java is missing")
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--also-check-css", *map(str, files)], capture_output=True, text=True, timeout=600)
    return json.loads(done.stderr or done.stdout)["messages"]


def is_material_known(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(re.search(m, text) and re.search(e, extract) for m, e in MATERIAL_KNOWN)


def pick_pages(site: Path) -> list[Path]:
    """One page of every kind: home, views, places, entries of each kind, search, 404."""
    chosen: dict[str, Path] = {}
    for page in html_pages(site):
        rel = page.relative_to(site).as_posix()
        key = rel.split("/")[0] if "/" in rel else rel
        depth = rel.count("/")
        chosen.setdefault(f"{key}:{depth}", page)
    return sorted(chosen.values())


def test_generated_pages_are_valid_html(mini_project, sample_project):
    files = pick_pages(mini_project / "site") + pick_pages(sample_project / "site")
    files += sorted((REPO / "theme/assets/dvk").glob("*.css"))
    assert len(files) > 20
    messages = run_vnu(files)
    ours = [m for m in messages if not is_material_known(m) and m.get("type") in ("error", "info") and not (m.get("type") == "info" and m.get("subType") != "warning")]
    report = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')[:80]}]" for m in ours]
    assert report == [], "\n".join(report)
    known = [m for m in messages if is_material_known(m)]
    print(f"vnu: {len(files)} pages, {len(known)} known material findings filtered, {len(ours)} ours")

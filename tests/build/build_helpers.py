"""A buildable project for the build-stage tests (the site tests' helper, reused)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def make_site_project(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "proj"
    target.mkdir()
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "theme", target / "theme")
    (target / "docs").mkdir()
    shutil.copytree(REPO / "tests" / "fixtures" / "site-mini" / "content", target / "content")
    return target

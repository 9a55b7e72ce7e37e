"""Shared test helpers: a copy of a small valid project, and running `dvk` as a user does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini (3 valid entries, one image)."""
    target = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def run_dvk(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the dvk command in a subprocess, exactly as an editor would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"},
    )


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def search_records():
    """Search records of tests/fixtures/site-mini (7 entries), in URL order."""
    from generator.derive import derive_site
    from generator.search import collect_search_records
    from generator.validate import validate_content

    content = validate_content(FIXTURES / "site-mini")
    return collect_search_records(derive_site(content.entries, content.places))


@pytest.fixture(scope="module")
def search_bundle(search_records, tmp_path_factory) -> Path:
    """The search index of those records, written once per module (its folder)."""
    from generator.search import write_search_index

    return write_search_index(search_records, tmp_path_factory.mktemp("site"))


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under root by its relative path: two trees compare byte for byte."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

"""Site fixtures: the mini fixture project and the sample content, each built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitehelpers import REPO, SITE_MINI, dvk, make_project


@pytest.fixture(scope="session")
def mini_project(tmp_path_factory) -> Path:
    """tests/fixtures/site-mini built with `dvk build` (Pagefind index included)."""
    project = make_project(tmp_path_factory.mktemp("mini") / "proj", SITE_MINI / "content")
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory) -> Path:
    """The repository's sample content/, built with `dvk build`."""
    project = make_project(tmp_path_factory.mktemp("sample") / "proj", REPO / "content")
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable, unbuilt copy of the mini fixture project."""
    return make_project(tmp_path / "proj", SITE_MINI / "content")

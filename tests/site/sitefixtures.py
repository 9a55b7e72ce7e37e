"""Site fixtures: the mini fixture project and the sample content, each built once.

Not a conftest.py: a second `conftest` module would shadow tests/conftest.py for the
suites that `from conftest import …`. Test modules import these fixtures by name; the
builds are memoised so each happens once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import REPO, SITE_MINI, dvk, make_project


_BUILT: dict[str, Path] = {}


def _built(name: str, content: Path, tmp_path_factory) -> Path:
    if name not in _BUILT:
        project = make_project(tmp_path_factory.mktemp(name) / "proj", content)
        done = dvk("build", cwd=project)
        assert done.returncode == 0, done.stdout + done.stderr
        _BUILT[name] = project
    return _BUILT[name]


@pytest.fixture(scope="session")
def mini_project(tmp_path_factory) -> Path:
    """tests/fixtures/site-mini built with `dvk build` (search index included)."""
    return _built("mini", SITE_MINI / "content", tmp_path_factory)


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory) -> Path:
    """The repository's sample content/, built with `dvk build`."""
    return _built("sample", REPO / "content", tmp_path_factory)


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable, unbuilt copy of the mini fixture project."""
    return make_project(tmp_path / "proj", SITE_MINI / "content")

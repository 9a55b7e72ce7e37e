"""Helpers for the site tests: make a project copy, build it, read what it wrote."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from localsite import serve_site  # noqa: E402  (one loopback server for tests and benchmarks)
FIXTURES = REPO / "tests" / "fixtures"
SITE_MINI = FIXTURES / "site-mini"


def make_project(target: Path, content: Path) -> Path:
    """A buildable copy: the repository's mkdocs.yml, theme/ and docs/ plus the given content/."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "theme", target / "theme")
    (target / "docs").mkdir(exist_ok=True)
    shutil.copytree(content, target / "content")
    return target


def run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(REPO / ".cache"))
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def dvk(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "generator", *args], cwd)


def mkdocs(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mkdocs", *args], cwd)


class LinkCollector(HTMLParser):
    """Every href/src (and srcset candidate) of a page, plus element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append((tag, value))
            elif name == "srcset":
                self.links += [(tag, part.strip().split(" ")[0]) for part in value.split(",") if part.strip()]
            elif name in ("id", "name"):
                self.ids.add(value)


def collect_links(html_file: Path) -> LinkCollector:
    parser = LinkCollector()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def theme_pages(site: Path) -> list[Path]:
    """The pages the theme renders (with header and footer): not the web editor's shell.

    `admin/index.html` exists only where Decap CMS is installed (setup.sh does it, so CI
    has it), and it is Decap's page, not one a citizen reads.
    """
    return [p for p in html_pages(site) if p.relative_to(site).parts[0] != "admin"]


def visible_text(html: str) -> str:
    """Rough text of a page (tags dropped) for assertions about what a reader sees."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def wait_for_spare_maker(site: Path, timeout: float = 120, made: bool = False) -> None:
    """Wait until the copy a first build starts of its site (build/spare.py) is done: the
    maker removes its note last. `made`: the build surely started one (a cold build), so
    wait for the spare too: the maker writes its note only once its shell runs, which may
    be after the build has returned."""
    import time

    from generator.build.spare import maker_note, spare_path

    deadline = time.monotonic() + timeout
    while (maker_note(site).exists() or (made and not spare_path(site).is_dir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not maker_note(site).exists(), "the spare copy was not done in time"

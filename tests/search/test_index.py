"""The Pagefind bundle written from search records (no site read), checked on disk.

The browser tests (tests/site/test_browser.py) search it as a citizen does; these check
that the bundle is whole and complete without a browser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.derive import derive_site
from generator.search import collect_search_records, write_search_index
from generator.validate import validate_content
SITE_MINI = Path(__file__).resolve().parents[1] / "fixtures" / "site-mini"

STATIC = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.unknown.pagefind")


@pytest.fixture(scope="module")
def records():
    content = validate_content(SITE_MINI)
    return collect_search_records(derive_site(content.entries, content.places))


@pytest.fixture(scope="module")
def bundle(records, tmp_path_factory):
    return write_search_index(records, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def cli_bundle(tmp_path_factory):
    """What the Pagefind command line writes for one page: the reference static files."""
    site = tmp_path_factory.mktemp("cli-site")
    (site / "index.html").write_text('<html lang="vi"><body><h1>Trang</h1><p>noi dung</p></body></html>', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return site / "pagefind"


def test_every_record_is_a_page_of_the_vietnamese_index(bundle, records):
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["vi"]
    assert entry["languages"]["vi"]["page_count"] == len(records) == 7
    assert len(list((bundle / "fragment").iterdir())) == len(records)
    assert len(list((bundle / "filter").iterdir())) == 5  # Địa bàn, Loại, Lĩnh vực, Cấp, Năm
    assert not (bundle.parent / "pagefind.tmp").exists()


def test_scripts_are_whole_as_the_command_line_writes_them(bundle, cli_bundle):
    """The service was once stopped before it had flushed pagefind.js (cut at 32 KiB)."""
    for name in STATIC:
        assert (bundle / name).read_bytes() == (cli_bundle / name).read_bytes(), name


def test_a_second_index_replaces_the_first(records, tmp_path):
    write_search_index(records, tmp_path)
    stale = tmp_path / "pagefind" / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    write_search_index(records[:2], tmp_path)
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == 2
    assert not stale.exists()


def test_same_records_give_the_same_bytes(records, bundle, tmp_path):
    """Pagefind orders filter data at random; the bundle dvk writes does not change."""
    again = write_search_index(records, tmp_path)

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(again) == tree(bundle)


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_background_run_writes_the_same_bundle_and_leaves_nothing_beside_the_site(records, bundle, tmp_path, in_thread):
    """The build indexes in a forked process (serve: a thread) while pages are written."""
    from generator.search import SearchJob

    site, work = tmp_path / "site", tmp_path / "cache" / "search"
    job = SearchJob(records, site, work, in_thread=in_thread)
    (site / "index.html").parent.mkdir(parents=True, exist_ok=True)  # the build writes meanwhile
    made = job.finish()

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert made == site / "pagefind" and tree(made) == tree(bundle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"] and list(work.iterdir()) == []


def test_a_run_killed_with_its_build_is_removed_by_the_next_one(records, tmp_path):
    """A build interrupted for good (killed) leaves its run folder; the next run removes
    every folder whose process is gone, never one of a live process."""
    from generator.search import SearchJob

    work = tmp_path / "search"
    (work / "run-999999999-dead").mkdir(parents=True)  # no such process
    (work / f"run-{os.getppid()}-alive").mkdir()  # a live process (the test runner's parent)
    SearchJob(records, tmp_path / "site", work).finish()
    assert sorted(p.name for p in work.iterdir()) == [f"run-{os.getppid()}-alive"]


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_background_run_that_fails_or_is_cancelled_says_why_and_leaves_nothing(records, tmp_path, monkeypatch, in_thread):
    import generator.search.background as background
    from generator.search import SearchIndexError, SearchJob

    work = tmp_path / "cache"
    cancelled = SearchJob(records, tmp_path / "site", work, in_thread=in_thread)
    cancelled.cancel()
    if in_thread:
        cancelled._thread.join()  # a thread runs to its end, then removes its folder
    else:
        assert not cancelled._process.is_alive()
    assert list(work.iterdir()) == [] and not (tmp_path / "site").exists()

    def refuse(records, folder):
        raise SearchIndexError("dịch vụ Pagefind từ chối")

    monkeypatch.setattr(background, "write_search_index", refuse)  # the forked child runs this
    failed = SearchJob(records, tmp_path / "site", work, in_thread=in_thread)
    with pytest.raises(SearchIndexError, match="từ chối"):
        failed.finish()
    assert list(work.iterdir()) == [] and not (tmp_path / "site" / "pagefind").exists()

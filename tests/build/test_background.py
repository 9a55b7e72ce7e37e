"""Files made beside the page writers (generator/build/background.py): the search index
and the open data, in a forked process (a thread in `dvk serve`), moved into the site."""

from __future__ import annotations

import os

import pytest
from conftest import read_tree

import generator.build.background as background
from generator.build.background import BackgroundFiles
from generator.render.spec import FileSpec
from generator.search import BUNDLE



@pytest.mark.parametrize("in_thread", [False, True])
def test_a_background_run_writes_the_same_bundle_and_leaves_nothing_beside_the_site(search_records, search_bundle, tmp_path, in_thread):
    """The build indexes in a forked process (serve: a thread) while pages are written."""

    site, work = tmp_path / "site", tmp_path / "cache" / "search"
    job = BackgroundFiles(search_records, site, work, in_thread=in_thread)
    (site / "index.html").parent.mkdir(parents=True, exist_ok=True)  # the build writes meanwhile
    assert job.finish() == site and read_tree(site / BUNDLE) == read_tree(search_bundle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"] and list(work.iterdir()) == []


def test_a_run_killed_with_its_build_is_removed_by_the_next_one(search_records, tmp_path):
    """A build interrupted for good (killed) leaves its run folder; the next run removes
    every folder whose process is gone, never one of a live process."""

    work = tmp_path / "search"
    (work / "run-999999999-dead").mkdir(parents=True)  # no such process
    (work / f"run-{os.getppid()}-alive").mkdir()  # a live process (the test runner's parent)
    BackgroundFiles(search_records, tmp_path / "site", work).finish()
    assert sorted(p.name for p in work.iterdir()) == [f"run-{os.getppid()}-alive"]


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_background_run_that_fails_or_is_cancelled_says_why_and_leaves_nothing(search_records, tmp_path, monkeypatch, in_thread):
    from generator.search import SearchIndexError

    work = tmp_path / "cache"
    files = None if in_thread else (lambda: [])  # forked: a search run and a files run
    cancelled = BackgroundFiles(search_records, tmp_path / "site", work, in_thread=in_thread, files=files)
    cancelled.cancel()
    if in_thread:
        cancelled._thread.join()  # a thread runs to its end, then removes its folder
    else:
        assert len(cancelled._runs) == 2 and not any(process.is_alive() for process, _ in cancelled._runs)
    assert list(work.iterdir()) == [] and not (tmp_path / "site").exists()

    def refuse(records, folder, keeper=None, same_in=None):
        raise SearchIndexError("ổ đĩa từ chối")

    monkeypatch.setattr(background, "write_search_index", refuse)  # the forked child runs this
    failed = BackgroundFiles(search_records, tmp_path / "site", work, in_thread=in_thread, files=files)
    with pytest.raises(SearchIndexError, match="từ chối"):
        failed.finish()
    assert list(work.iterdir()) == [] and not (tmp_path / "site" / BUNDLE).exists()


@pytest.mark.parametrize("in_thread", [False, True])
def test_records_are_made_by_the_run_not_by_the_build(search_records, search_bundle, tmp_path, in_thread):
    """A forked run makes the records itself: the build's process spends no time on them."""
    from generator.search import SearchRecords

    calls = []
    made = SearchRecords(lambda: calls.append(1) or list(search_records))
    job = BackgroundFiles(made, tmp_path / "site", tmp_path / "cache", in_thread=in_thread)
    assert read_tree(job.finish() / BUNDLE) == read_tree(search_bundle)
    assert len(calls) == (1 if in_thread else 0)  # a forked child's call is not seen here
    assert made.get() == search_records and len(calls) == 1  # made once, when asked


@pytest.mark.parametrize("in_thread", [False, True])
def test_open_data_joins_folders_the_site_already_has(search_records, tmp_path, in_thread):
    """data/ is new to the site (one rename); quan-huyen/x/ holds pages already: the feed joins them."""
    site = tmp_path / "site"
    (site / "quan-huyen" / "x").mkdir(parents=True)
    (site / "quan-huyen" / "x" / "index.html").write_text("trang", encoding="utf-8")
    made = [FileSpec("data/mo-hinh.csv", "id,tên\nmo-hinh-1,Tổ hòa giải\n"), FileSpec("quan-huyen/x/feed.xml", "<feed/>"), FileSpec("feed.xml", "<feed/>")]
    job = BackgroundFiles(None, site, tmp_path / "cache", in_thread=in_thread, files=lambda: made)
    job.finish()
    assert read_tree(site) == {"quan-huyen/x/index.html": "trang".encode(), "data/mo-hinh.csv": made[0].content.encode("utf-8"), "quan-huyen/x/feed.xml": b"<feed/>", "feed.xml": b"<feed/>"}
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_file_path_leaving_the_site_fails_the_run(tmp_path):
    job = BackgroundFiles(None, tmp_path / "site", tmp_path / "cache", files=lambda: [FileSpec("../ngoai.txt", "x")])
    with pytest.raises(background.SearchIndexError, match="không hợp lệ"):
        job.finish()
    assert not (tmp_path / "ngoai.txt").exists() and not (tmp_path / "site").exists()


@pytest.mark.parametrize("command, paused", [("build", True), ("serve", False)])
def test_a_build_pauses_the_cycle_collector_and_gives_it_back(command, paused):
    """A build's process walks millions of cached objects in every full collection; it runs
    without them and restores the collector at its end, also when it fails; a preview
    (hours long) keeps it."""
    import gc

    from generator.mkdocs_plugin import DvkPlugin

    plugin = DvkPlugin()
    gc.enable()
    try:
        plugin.on_startup(command=command, dirty=False)
        assert gc.isenabled() is not paused
    finally:
        plugin.on_shutdown()
    assert gc.isenabled()


def test_a_run_links_from_the_kept_tree_while_the_spare_maker_and_the_build_rename_it(search_records, tmp_path):
    """The first edit after a cold build starts its run while the spare maker's copy is
    `.site.kept-<maker>`; the maker renames it to `.site.spare` and the build to its own
    name before the run writes. Opened by descriptor, the copy is still found: unchanged
    files (citation files, the search bundle) are links to it, not new files."""
    from generator.build.cache import open_folder
    from generator.search import write_search_index

    copy = tmp_path / ".site.kept-1"
    write_search_index(search_records, copy)
    (copy / "data").mkdir()
    (copy / "data" / "a.json").write_bytes(b'[{"id": "a"}]')
    handle = open_folder(copy)
    try:
        os.rename(copy, tmp_path / ".site.spare")  # the maker is done
        os.rename(tmp_path / ".site.spare", tmp_path / ".site.kept-2")  # the build takes it
        job = BackgroundFiles(search_records, tmp_path / "site", tmp_path / "cache", files=lambda: [FileSpec("data/a.json", b'[{"id": "a"}]')], same_in=handle)
        job.finish()
    finally:
        os.close(handle)
    kept = tmp_path / ".site.kept-2"
    assert os.path.samefile(tmp_path / "site" / "data" / "a.json", kept / "data" / "a.json")
    index = f"{BUNDLE}/index.json"
    assert os.path.samefile(tmp_path / "site" / index, kept / index), "the unchanged bundle is linked too"

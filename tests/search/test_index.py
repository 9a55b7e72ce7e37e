"""The search index written from search records (generator/search/index.py), read back
the way the search page's script reads it (theme/assets/dvk/search-engine.js).

The browser tests (tests/site/test_search_page.py, test_browser.py) search it as a
citizen does; these check without a browser that every word of every record can be
found where the script looks for it, and that the files are whole and deterministic.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

import generator.search.index as search_index
from generator.derive import derive_site
from generator.render.search import FILTER_ORDER
from generator.search import BUNDLE, collect_search_records, make_bundle, write_search_index
from generator.validate import validate_content

SITE_MINI = Path(__file__).resolve().parents[1] / "fixtures" / "site-mini"


@pytest.fixture(scope="module")
def records():
    content = validate_content(SITE_MINI)
    return collect_search_records(derive_site(content.entries, content.places))


@pytest.fixture(scope="module")
def bundle(records, tmp_path_factory):
    return write_search_index(records, tmp_path_factory.mktemp("site"))


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def read(files: dict[str, bytes], name: str):
    return json.loads(files[name].decode("utf-8"))


def shard_of(index: dict, word: str) -> str | None:
    """The shard a word is looked up in: its longest key (search-engine.js keyOf)."""
    for n in range(min(len(word), search_index.MAX_KEY), 0, -1):
        if word[:n] in index["shards"]:
            return index["shards"][word[:n]]
    return None


def postings(files: dict[str, bytes], index: dict, term: str, width: int) -> dict[int, int]:
    """{page: tag} for a word or pair, decoded as the script decodes it."""
    shard = read(files, shard_of(index, term.split(" ")[0]))
    page, found = 0, {}
    for coded in shard.get(term, []):
        delta, tag = divmod(coded, width)
        page += delta
        found[page] = tag
    return found


def test_every_record_is_a_result_row_with_its_filters(bundle, records):
    files = tree(bundle)
    index = read(files, "index.json")
    assert index["pages"] == len(records) == 7 and len(index["lengths"]) == 7
    rows = [row for name in index["chunks"] for row in read(files, name)]
    assert [row[0] for row in rows] == [r.url.lstrip("/") for r in records]  # URL order, site-relative
    meta = dict(records[0].meta)
    assert rows[0][1:] == [meta["title"], meta["summary"], meta["kind"], meta.get("place", ""), meta.get("year", "")]
    groups = [group["name"] for group in index["filters"]]
    assert groups == list(FILTER_ORDER)  # Địa bàn, Loại, Lĩnh vực, Cấp, Năm, as the page shows them
    for group in index["filters"]:
        for page, record in enumerate(records):
            value = dict(record.filters).get(group["name"])
            assert (group["values"][group["pages"][page]] if group["pages"][page] >= 0 else None) == value
    years = next(g for g in index["filters"] if g["name"] == "Năm")["values"]
    assert years == sorted(years, reverse=True)
    assert sorted(files) == sorted(["index.json", *index["shards"].values(), *index["chunks"]])


@pytest.mark.parametrize("shard_bytes", [search_index.SHARD_BYTES, 200])
def test_every_word_and_pair_is_found_in_its_shard_with_its_section(records, monkeypatch, shard_bytes):
    """Also with shards split down to their longest keys (as at 10,000 entries)."""
    monkeypatch.setattr(search_index, "SHARD_BYTES", shard_bytes)
    files = make_bundle(records)
    index = read(files, "index.json")
    if shard_bytes == 200:
        assert any(len(key) > 1 for key in index["shards"])
    for page, record in enumerate(records):
        for section, (weight, words) in enumerate(record.sections):
            for word in words.split():
                assert postings(files, index, word, search_index.WORD_WIDTH).get(page) == search_index.SECTION_WEIGHTS.index(weight), word
        masks: dict[str, int] = {}
        for section, pairs in record.pairs:
            for pair in pairs:
                masks[pair] = masks.get(pair, 0) | (1 << section)
        for pair, mask in masks.items():
            assert postings(files, index, pair, index["pair_width"]).get(page) == mask, pair


def test_a_phrase_is_a_pair_in_one_section(records):
    """"Định Công" in a title is the pair "dinh cong" with the title's bit."""
    files = make_bundle(records)
    index = read(files, "index.json")
    page = next(i for i, r in enumerate(records) if r.url == "/mo-hinh/to-hoa-giai-dinh-cong/")
    assert postings(files, index, "dinh cong", index["pair_width"])[page] & 1
    assert page not in postings(files, index, "cong dinh", index["pair_width"])


def test_entry_text_travels_as_data(tmp_path, records):
    """The rows hold the text verbatim; the script inserts it with textContent (never HTML)."""
    hostile = records[0].__class__(url="/mo-hinh/x/", sections=((10.0, "img src x"),), meta=(("title", '<img src=x onerror="alert(1)">'),), filters=())
    files = make_bundle([hostile])
    index = read(files, "index.json")
    assert read(files, index["chunks"][0])[0][:2] == ["mo-hinh/x/", '<img src=x onerror="alert(1)">']


def test_a_second_index_replaces_the_first(records, tmp_path):
    write_search_index(records, tmp_path)
    stale = tmp_path / BUNDLE / "w" / "stale.json"
    stale.write_bytes(b"old")
    write_search_index(records[:2], tmp_path)
    assert read(tree(tmp_path / BUNDLE), "index.json")["pages"] == 2
    assert not stale.exists() and not (tmp_path / f"{BUNDLE}.tmp").exists()


def test_same_records_in_any_order_give_the_same_bytes(records, bundle, tmp_path):
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    assert tree(write_search_index(shuffled, tmp_path)) == tree(bundle)


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_background_run_writes_the_same_bundle_and_leaves_nothing_beside_the_site(records, bundle, tmp_path, in_thread):
    """The build indexes in a forked process (serve: a thread) while pages are written."""
    from generator.search import SearchJob

    site, work = tmp_path / "site", tmp_path / "cache" / "search"
    job = SearchJob(records, site, work, in_thread=in_thread)
    (site / "index.html").parent.mkdir(parents=True, exist_ok=True)  # the build writes meanwhile
    made = job.finish()
    assert made == site / BUNDLE and tree(made) == tree(bundle)
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
        raise SearchIndexError("ổ đĩa từ chối")

    monkeypatch.setattr(background, "write_search_index", refuse)  # the forked child runs this
    failed = SearchJob(records, tmp_path / "site", work, in_thread=in_thread)
    with pytest.raises(SearchIndexError, match="từ chối"):
        failed.finish()
    assert list(work.iterdir()) == [] and not (tmp_path / "site" / BUNDLE).exists()


@pytest.mark.parametrize("in_thread", [False, True])
def test_records_are_made_by_the_run_not_by_the_build(records, bundle, tmp_path, in_thread):
    """A forked run makes the records itself: the build's process spends no time on them."""
    from generator.search import SearchJob, SearchRecords

    calls = []
    made = SearchRecords(lambda: calls.append(1) or list(records))
    job = SearchJob(made, tmp_path / "site", tmp_path / "cache", in_thread=in_thread)
    assert tree(job.finish()) == tree(bundle)
    assert len(calls) == (1 if in_thread else 0)  # a forked child's call is not seen here
    assert made.get() == records and len(calls) == 1  # made once, when asked

"""The search index written from search records (generator/search/index.py), read back
the way the search page's script reads it (theme/assets/dvk/search-engine.js).

The browser tests (tests/site/test_search_page.py, test_browser.py) search it as a
citizen does; these check without a browser that every word of every record can be
found where the script looks for it, and that the files are whole and deterministic.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import read_tree

import generator.search.index as search_index
from generator.render.search import FILTER_ORDER
from generator.search import BUNDLE, make_bundle, write_search_index



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


def test_every_record_is_a_result_row_with_its_filters(search_bundle, search_records):
    files = read_tree(search_bundle)
    index = read(files, "index.json")
    assert index["pages"] == len(search_records) == 7 and len(index["lengths"]) == 7
    rows = [row for name in index["chunks"] for row in read(files, name)]
    assert [row[0] for row in rows] == [r.url.lstrip("/") for r in search_records]  # URL order, site-relative
    meta = dict(search_records[0].meta)
    assert rows[0][1:] == [meta["title"], meta["summary"], meta["kind"], meta.get("place", ""), meta.get("year", "")]
    groups = [group["name"] for group in index["filters"]]
    assert groups == list(FILTER_ORDER)  # Địa bàn, Loại, Lĩnh vực, Cấp, Năm, as the page shows them
    for group in index["filters"]:
        for page, record in enumerate(search_records):
            value = dict(record.filters).get(group["name"])
            assert (group["values"][group["pages"][page]] if group["pages"][page] >= 0 else None) == value
    years = next(g for g in index["filters"] if g["name"] == "Năm")["values"]
    assert years == sorted(years, reverse=True)
    assert sorted(files) == sorted(["index.json", *index["shards"].values(), *index["chunks"]])


@pytest.mark.parametrize("shard_bytes", [search_index.SHARD_BYTES, 200])
def test_every_word_and_pair_is_found_in_its_shard_with_its_section(search_records, monkeypatch, shard_bytes):
    """Also with shards split down to their longest keys (as at 10,000 entries)."""
    monkeypatch.setattr(search_index, "SHARD_BYTES", shard_bytes)
    files = make_bundle(search_records)
    index = read(files, "index.json")
    if shard_bytes == 200:
        assert any(len(key) > 1 for key in index["shards"])
    for page, record in enumerate(search_records):
        for section, (weight, words) in enumerate(record.sections):
            for word in words.split():
                assert postings(files, index, word, search_index.WORD_WIDTH).get(page) == search_index.SECTION_WEIGHTS.index(weight), word
        masks: dict[str, int] = {}
        for section, pairs in record.pairs:
            for pair in pairs:
                masks[pair] = masks.get(pair, 0) | (1 << section)
        for pair, mask in masks.items():
            assert postings(files, index, pair, index["pair_width"]).get(page) == mask, pair


def test_a_phrase_is_a_pair_in_one_section(search_records):
    """"Định Công" in a title is the pair "dinh cong" with the title's bit."""
    files = make_bundle(search_records)
    index = read(files, "index.json")
    page = next(i for i, r in enumerate(search_records) if r.url == "/mo-hinh/to-hoa-giai-dinh-cong/")
    assert postings(files, index, "dinh cong", index["pair_width"])[page] & 1
    assert page not in postings(files, index, "cong dinh", index["pair_width"])


def test_entry_text_travels_as_data(tmp_path, search_records):
    """The rows hold the text verbatim; the script inserts it with textContent (never HTML)."""
    hostile = search_records[0].__class__(url="/mo-hinh/x/", sections=((10.0, "img src x"),), meta=(("title", '<img src=x onerror="alert(1)">'),), filters=())
    files = make_bundle([hostile])
    index = read(files, "index.json")
    assert read(files, index["chunks"][0])[0][:2] == ["mo-hinh/x/", '<img src=x onerror="alert(1)">']


def test_a_second_index_replaces_the_first(search_records, tmp_path):
    write_search_index(search_records, tmp_path)
    stale = tmp_path / BUNDLE / "w" / "stale.json"
    stale.write_bytes(b"old")
    write_search_index(search_records[:2], tmp_path)
    assert read(read_tree(tmp_path / BUNDLE), "index.json")["pages"] == 2
    assert not stale.exists() and not (tmp_path / f"{BUNDLE}.tmp").exists()


def test_same_records_in_any_order_give_the_same_bytes(search_records, search_bundle, tmp_path):
    shuffled = list(search_records)
    random.Random(7).shuffle(shuffled)
    assert read_tree(write_search_index(shuffled, tmp_path)) == read_tree(search_bundle)


def test_unchanged_bundle_files_are_linked_from_the_last_site(search_records, tmp_path):
    """After an edit most of the bundle is the same: those files are hard links to the last
    site's (never rewritten in place), the rest are new, and the bundle is the clean one."""
    import os

    last = tmp_path / "last"
    write_search_index(search_records, last)
    changed = list(search_records)
    changed[0] = changed[0].__class__(url=changed[0].url, sections=((10.0, "tiêu đề mới hoàn toàn"),), meta=changed[0].meta, filters=changed[0].filters)
    new = write_search_index(changed, tmp_path / "new", same_in=last)
    assert read_tree(new) == read_tree(write_search_index(changed, tmp_path / "clean"))
    names = [p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()]
    linked = [name for name in names if (last / BUNDLE / name).exists() and os.path.samefile(new / name, last / BUNDLE / name)]
    assert linked and len(linked) < len(names), (len(linked), len(names))
    for name in linked:
        assert (new / name).read_bytes() == (last / BUNDLE / name).read_bytes()

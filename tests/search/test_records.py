"""Search records made by the core: folded words, meta a reader sees, filters, order.

Entries are written inline into a copy of tests/fixtures/mini, validated and derived as
the build does; no site is built and no index written (see test_index.py for that).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.derive import derive_site
from generator.search import FILTERS, collect_search_records, fold_words, make_search_record
from generator.validate import validate_content

MODEL = """---
kind: model
title: "{title}"
unit: "{unit}"
district: {district}
field: kinh-te
level: thanh-pho
year: 2023
summary: "{summary}"
tags: ["Khuyến nông"]
---
## Cách làm

Cán bộ đến **từng hộ**, xem [bài báo](https://example.vn/bai-bao-dac-biet) và <b>ghi chép</b>.
"""


def _write(project: Path, entry_id: str, **values) -> None:
    path = project / "content/models/extra" / f"{entry_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MODEL.format(**values), encoding="utf-8")


def _records(project: Path):
    content = validate_content(project)
    assert not content.errors, [p.format() for p in content.errors]
    site = derive_site(content.entries, content.places)
    return site, collect_search_records(site)


@pytest.fixture
def searchable(project):
    _write(project, "hoa-thuan-dong-da", title="Khu phố hoà thuận, thuỷ chung", unit="Tổ dân phố số 7", district="dong-da", summary="Đường làng sạch ở Đống Đa.")
    _write(project, "hoa-giai-hoang-mai", title="Tổ hòa giải khéo", unit="UBND phường Định Công", district="hoang-mai", summary="Hòa giải mâu thuẫn ở cơ sở.")
    return project


def _by_url(records):
    return {record.url: record for record in records}


def test_one_record_per_entry_and_event_in_url_order(searchable):
    site, records = _records(searchable)
    assert len(records) == len(site.entries)
    assert [r.url for r in records] == sorted(r.url for r in records)
    assert "/su-kien/hoi-thi-mau-2024/" in _by_url(records)
    assert "/mo-hinh/hoa-thuan-dong-da/" in _by_url(records)


def test_text_is_folded_d_with_stroke_and_both_tone_placements_meet(searchable):
    _, records = _records(searchable)
    old_style = _by_url(records)["/mo-hinh/hoa-thuan-dong-da/"]
    new_style = _by_url(records)["/mo-hinh/hoa-giai-hoang-mai/"]
    assert old_style.sections[0][1] == "khu pho hoa thuan thuy chung"  # "hoà", "thuỷ" written the old way
    assert new_style.sections[0][1] == "to hoa giai kheo"  # "hòa" the new way: the same word "hoa"
    assert "dong da" in old_style.text and "đ" not in old_style.text
    assert "dinh cong" in new_style.text and "hoang mai" in new_style.text
    assert fold_words("Hoà GIẢI, Đống-Đa!") == fold_words("hòa giải đống đa") == "hoa giai dong da"


@pytest.mark.parametrize("text", [
    "ΟΔΟΣ ΣΟΦΙΑ ΟΔΟΣ.",  # final sigma: lower() reads the neighbours, never past a space
    "a\u0301b x\u0309 \u0301đầu",  # combining marks with no precomposed letter, one alone
    "snake_case\u00a0nbsp\ttab\nline\u2003em",  # underscores and other whitespace
    "İstanbul ǅemal “trích dẫn” — gạch…",  # letters lower() lengthens, punctuation
    "",
])
def test_folding_a_chunk_at_a_time_gives_the_words_folding_the_whole_text_gives(text):
    from generator.search.records import _WORD
    from generator.text import fold

    assert fold_words(text) == " ".join(_WORD.findall(fold(text)))
    assert fold_words(text) == fold_words(text)  # and again, from the chunks kept


def test_the_title_weighs_most_and_the_story_is_indexed_once_without_markup(searchable):
    _, records = _records(searchable)
    record = _by_url(records)["/mo-hinh/hoa-giai-hoang-mai/"]
    weights = [weight for weight, _ in record.sections]
    assert weights == sorted(weights, reverse=True) and weights[0] > weights[-1]
    story = record.sections[-1][1]
    assert story == "cach lam can bo den tung ho xem bai bao va ghi chep"  # no link address, no tag
    assert record.text.count("can bo") == 1


def test_each_word_is_indexed_once_per_record_where_it_weighs_most(project):
    _write(project, "lap-lai", title="Hòa giải ở cơ sở Đống Đa", unit="Tổ 1 Đống Đa", district="dong-da", summary="Tóm tắt ngắn về hoà giải.")
    path = project / "content/models/extra/lap-lai.md"
    path.write_text(path.read_text("utf-8") + "\nHoà giải, hoà giải và hòa giải; nhân rộng nhân rộng.\n", "utf-8")
    _, records = _records(project)
    record = _by_url(records)["/mo-hinh/lap-lai/"]
    story = record.sections[-1][1].split()
    assert len(story) == len(set(story))
    assert "hoa" not in story and "giai" not in story  # already in the title, which weighs more
    assert story[-2:] == ["nhan", "rong"]
    assert "nhan rong" in record.text
    words = record.text.split()
    assert len(words) == len(set(words))  # once per record, "dong da" of the place included


def test_meta_keeps_the_original_spelling_for_the_result_line(searchable):
    _, records = _records(searchable)
    meta = dict(_by_url(records)["/mo-hinh/hoa-thuan-dong-da/"].meta)
    assert meta == {"title": "Khu phố hoà thuận, thuỷ chung", "summary": "Đường làng sạch ở Đống Đa.", "kind": "Mô hình", "place": "quận Đống Đa", "year": "2023"}


def test_filters_use_the_search_page_names_and_labels(searchable):
    site, records = _records(searchable)
    filters = dict(_by_url(records)["/mo-hinh/hoa-giai-hoang-mai/"].filters)
    assert filters == {"Loại": "Mô hình", "Địa bàn": "Quận Hoàng Mai", "Lĩnh vực": "Kinh tế", "Cấp": "Cấp Thành phố", "Năm": "2023"}
    event = dict(_by_url(records)["/su-kien/hoi-thi-mau-2024/"].filters)
    assert event["Loại"] == "Sự kiện" and "Lĩnh vực" not in event and event["Năm"] == "2024"
    assert all(name in FILTERS for record in records for name, _ in record.filters)
    ward_only = dict(_by_url(records)["/dien-hinh/to-dan-van-xuan-phuong/"].filters)
    assert ward_only["Địa bàn"] == "Quận Nam Từ Liêm"  # a pre-2025 ward files under its district


def test_records_do_not_depend_on_file_order_and_change_only_with_their_entry(searchable):
    site, first = _records(searchable)
    _, again = _records(searchable)
    assert first == again
    entry = site.get("hoa-giai-hoang-mai")
    before = make_search_record(entry, site)
    entry.body += "\nThêm một đoạn."
    after = make_search_record(entry, site)
    assert after != before and after.sections[:-1] == before.sections[:-1]
    assert make_search_record(site.get("hoa-thuan-dong-da"), site) == _by_url(first)["/mo-hinh/hoa-thuan-dong-da/"]


def test_urls_follow_the_site_url_style(searchable):
    content = validate_content(searchable)
    site = derive_site(content.entries, content.places)
    urls = {r.url for r in collect_search_records(site, directory_urls=False)}
    assert "/mo-hinh/hoa-giai-hoang-mai/index.html" in urls


def test_markup_in_entry_text_is_words_to_the_index_and_text_to_the_result_line(project):
    _write(project, "ky-tu", title="Mô hình <script>alert(1)</script> & “thử”", unit="Tổ <b>7</b>", district="dong-da", summary="Có <img src=x onerror=alert(2)> trong tóm tắt.")
    _, records = _records(project)
    record = _by_url(records)["/mo-hinh/ky-tu/"]
    assert all(word.isalnum() for _, words in record.sections for word in words.split())
    assert "script alert 1" in record.sections[0][1] and "onerror" in record.text
    assert dict(record.meta)["title"] == "Mô hình <script>alert(1)</script> & “thử”"  # shown with textContent
    assert ("Địa bàn", "Quận Đống Đa") in record.filters


def test_phrase_pairs_stay_within_one_field_and_keep_their_section(project):
    """"Tổ hòa giải" in the title is a pair of the title; the place's last word and the
    unit's first are not a pair (they only stand side by side in the record)."""
    _write(project, "cap-doi", title="Tổ hòa giải Đông Anh", unit="Hội Phụ nữ", district="dong-da", summary="Tổ hòa giải làm việc.")
    _, records = _records(project)
    pairs = dict(_by_url(records)["/mo-hinh/cap-doi/"].pairs)
    assert {"to hoa", "hoa giai", "giai dong", "dong anh"} <= set(pairs[0])  # title
    assert "to hoa" in pairs[2] and "hoa giai" in pairs[2]  # the summary has them too
    place_pairs = set(pairs[1])
    assert "hoi phu" in place_pairs and "phu nu" in place_pairs
    assert not any(pair.endswith(" hoi") for pair in place_pairs)  # "… Đống Đa" + "Hội": two fields


def test_a_preview_remakes_only_the_records_of_changed_entries(searchable, monkeypatch):
    """dvk serve keeps entry objects of unchanged files across rebuilds, and the records
    made from them; other places or another entry object make a record anew."""
    import dataclasses

    import generator.search.records as records_module

    content = validate_content(searchable)
    site = derive_site(content.entries, content.places)
    memo: dict = {}
    first = collect_search_records(site, memo=memo)
    made = []
    original = records_module.make_search_record
    monkeypatch.setattr(records_module, "make_search_record", lambda entry, *a: made.append(entry.id) or original(entry, *a))
    assert collect_search_records(site, memo=memo) == first and made == []  # nothing made again
    edited = dataclasses.replace(next(iter(site.entries.values())), summary="Tóm tắt mới.")
    entries = [edited if e.id == edited.id else e for e in site.entries.values()]
    again = derive_site(entries, content.places)
    result = collect_search_records(again, memo=memo)
    assert made == [edited.id]
    assert result == collect_search_records(again)  # the same records as without the memo


def test_a_build_keeps_the_records_of_unchanged_entry_files_on_disk(searchable, tmp_path, monkeypatch):
    """dvk build (a new process each time) takes the records of entries with the same
    digest from its cache file; an edited file's record is made anew, and the result is
    what a build without the cache makes."""
    import generator.search.records as records_module
    from generator.search import collect_search_records_kept

    cache = tmp_path / "records.pickle"
    site, fresh = _records(searchable)
    assert collect_search_records_kept(site, True, cache) == fresh and cache.is_file()
    made = []
    original = records_module.make_search_record
    monkeypatch.setattr(records_module, "make_search_record", lambda entry, *a: made.append(entry.id) or original(entry, *a))
    assert collect_search_records_kept(site, True, cache) == fresh and made == []
    edited = searchable / "content/models/extra/hoa-giai-hoang-mai.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Hòa giải mâu thuẫn ở cơ sở.", "Hòa giải mâu thuẫn trong khu phố."), encoding="utf-8")
    site, fresh = _records(searchable)
    made.clear()
    before = cache.read_bytes()
    assert collect_search_records_kept(site, True, cache) == fresh
    assert made == ["hoa-giai-hoang-mai"]
    # a few records made anew do not rewrite the whole file: the next build makes them again
    assert cache.read_bytes() == before
    made.clear()
    assert collect_search_records_kept(site, True, cache) == fresh
    assert made == ["hoa-giai-hoang-mai"]
    assert collect_search_records_kept(site, False, cache) == collect_search_records(site, directory_urls=False)  # another URL style: none kept
    cache.write_bytes(b"not a pickle")
    assert collect_search_records_kept(site, True, cache) == fresh  # a damaged cache is no cache

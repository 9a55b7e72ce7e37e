"""The open data kept between builds (export/memo.py): after one edit only that entry's
pieces are made again, and the files are byte for byte those made from nothing."""

from __future__ import annotations

import dataclasses

from conftest import FIXTURES

from generator.derive import derive_site
from generator.export.memo import read_memo, save_memo
from generator.mkdocs_background import open_data_context
from generator.render import RenderOptions
from generator.render.opendata import collect_open_data
from generator.validate import validate_content

OPTIONS = RenderOptions(site_url="https://dvk.example.vn/", site_name="Dân vận khéo — Hà Nội")


def files_of(site, memo=None) -> dict[str, bytes]:
    return {spec.path: spec.data for spec in collect_open_data(site, OPTIONS, memo)}


def test_after_one_edit_only_that_entrys_pieces_are_made_and_the_files_are_the_same(tmp_path):
    content = validate_content(FIXTURES / "site-mini")
    site = derive_site(content.entries, content.places)
    path = tmp_path / "opendata.pickle"
    memo = read_memo(path, open_data_context(site, OPTIONS))
    assert files_of(site, memo) == files_of(site)
    save_memo(path, memo)

    first = content.entries[0]
    edited = [dataclasses.replace(first, summary=first.summary + " Đã cập nhật số liệu năm 2025."), *content.entries[1:]]
    site = derive_site(edited, content.places)
    memo = read_memo(path, open_data_context(site, OPTIONS))
    assert files_of(site, memo) == files_of(site)
    assert memo.made == 2  # its record (JSON item and CSV row) and its citation file
    assert "Đã cập nhật số liệu năm 2025." in files_of(site, memo)["data/entries.json" if not first.is_event else "data/events.json"].decode("utf-8")


def test_another_site_url_or_name_starts_the_memo_afresh(tmp_path):
    content = validate_content(FIXTURES / "site-mini")
    site = derive_site(content.entries, content.places)
    path = tmp_path / "opendata.pickle"
    memo = read_memo(path, open_data_context(site, OPTIONS))
    files_of(site, memo)
    save_memo(path, memo)
    other = dataclasses.replace(OPTIONS, site_url="https://khac.example.vn/")
    again = read_memo(path, open_data_context(site, other))
    assert not again.pieces
    made = {spec.path: spec.data for spec in collect_open_data(site, other, again)}
    assert made == {spec.path: spec.data for spec in collect_open_data(site, other)}
    assert b"https://khac.example.vn/" in made["data/entries.json"]


def test_csv_lines_kept_between_builds_join_into_the_bytes_of_a_whole_write():
    """entries.csv is joined from each entry's kept line (export/files.entry_pieces)."""
    from generator.export.tables import csv_line, join_csv_lines, write_csv

    columns = ["id", "title", "note"]
    rows = [
        ["a", "Dân vận khéo, \"tiêu biểu\"", "dòng 1\ndòng 2"],
        ["b", "", "  khoảng trắng  "],
        ["c", "=1+1", "a;b\tc"],
    ]
    assert join_csv_lines(columns, [csv_line(row).encode("utf-8") for row in rows]) == write_csv(columns, rows)
    assert join_csv_lines(columns, []) == write_csv(columns, [])


def test_json_items_kept_between_builds_join_into_the_bytes_of_a_whole_dump():
    """entries.json is joined from each entry's kept item, in UTF-8 (export/files.entry_pieces)."""
    from generator.export.files import dump_json, join_json_items, json_item

    records = [{"id": "a", "title": "Dân vận khéo \"tiêu biểu\"", "tags": ["hoà", "đ"], "nested": {"x": [1, {"y": None}]}}, {"id": "b", "note": "dòng 1\ndòng 2"}]
    assert join_json_items([json_item(record).encode("utf-8") for record in records]) == dump_json(records)
    assert join_json_items([]) == dump_json([])

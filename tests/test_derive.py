"""Derive stage: the indexes every output reads."""

from pathlib import Path

from generator.derive import derive_site
from generator.validate import validate_content


def _site(project: Path):
    content = validate_content(project)
    assert not content.errors, [p.format() for p in content.errors]
    return derive_site(content.entries, content.places)


def test_indexes_group_entries_by_place_field_level_year(project):
    site = _site(project)
    assert [p.id for p in site.districts()] == ["nam-tu-liem", "tay-ho"]
    assert {e.id for e in site.by_district["nam-tu-liem"]} == {"to-dan-van-xuan-phuong", "hoi-thi-mau-2024"}
    assert [e.id for e in site.by_ward["nhat-tan"]] == ["ngay-khong-giay-hen"]
    field = next(t for t in site.by_field if t.id == "xay-dung-he-thong-chinh-tri")
    assert len(site.by_field[field]) == 2
    assert list(site.by_year) == [2024]
    assert len(site.by_kind["exemplar"]) == 1 and len(site.events) == 1


def test_related_links_go_both_ways(project):
    site = _site(project)
    assert [e.id for e in site.related["to-dan-van-xuan-phuong"]] == ["ngay-khong-giay-hen"]
    assert [e.id for e in site.related["ngay-khong-giay-hen"]] == ["to-dan-van-xuan-phuong"]


def test_contest_results_and_awards_link_back(project):
    site = _site(project)
    wins = site.contest_wins["to-dan-van-xuan-phuong"]
    assert wins[0].event.id == "hoi-thi-mau-2024" and wins[0].rank.id == "nhat"
    assert {r.entry.id for r in site.award_events["hoi-thi-mau-2024"]} == {"ngay-khong-giay-hen", "to-dan-van-xuan-phuong"}
    event = site.get("hoi-thi-mau-2024")
    assert [r.recipient_id for r in event.results] == ["to-dan-van-xuan-phuong", ""]


def test_new_ward_entries_are_indexed_under_the_ward(project):
    entry = project / "content/models/nam-tu-liem/to-dan-van-xuan-phuong.md"
    entry.write_text(entry.read_text("utf-8").replace("ward: xuan-phuong", "ward: xuan-phuong-2025").replace("year: 2024", "year: 2025"), "utf-8")
    site = _site(project)
    assert "xuan-phuong-2025" in site.by_ward
    assert site.places.get("xuan-phuong-2025").is_new
    assert [p.id for p in site.places.successors("nam-tu-liem")] == ["xuan-phuong-2025"]

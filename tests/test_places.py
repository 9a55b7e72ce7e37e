"""The places registry: generated from the datasets, complete for Hanoi, ids by the rule,
forgiving lookups by id and name before and after the 2025 reform, and no drift between the
committed content/places.yml and what `dvk places update` writes."""

from __future__ import annotations

import random
import re

import pytest

from conftest import REPO, run_dvk, write
from generator.places import count_units, load_places
from generator.placesdata import Registry, Unit, assign_ids, dataset_source, read_registry, render_registry
from generator.text import slugify

PLACES_FILE = REPO / "content" / "places.yml"


@pytest.fixture(scope="module")
def hanoi():
    """The registry as the committed file gives it (what validate and build read)."""
    registry = load_places(PLACES_FILE, REPO)
    assert registry.problems == []
    return registry


@pytest.fixture(scope="module")
def dataset():
    return read_registry("Hà Nội")


def test_committed_registry_is_what_the_dataset_generates(dataset):
    """Drift test: a hand edit, or a dataset upgrade without `dvk places update`, fails here."""
    expected = render_registry(dataset, dataset_source())
    assert PLACES_FILE.read_text(encoding="utf-8") == expected, "chạy: dvk places update"


def test_generation_is_deterministic():
    assert render_registry(read_registry("01"), dataset_source()) == render_registry(read_registry("thành phố hà nội"), dataset_source())


def test_hanoi_counts(hanoi):
    counts = dict(count_units(hanoi))
    assert counts["Quận, huyện, thị xã (trước 1/7/2025)"] == 30
    assert counts["Phường, xã, thị trấn (trước 1/7/2025)"] == 526
    assert counts["Phường, xã, đặc khu từ 1/7/2025"] == 126
    assert counts["Đơn vị mới thiếu đơn vị tiền thân"] == 0
    assert counts["Phường, xã cũ chưa chuyển sang đơn vị mới"] == 0
    types = {p.type for p in hanoi.places.values() if p.district}
    assert types == {"phường", "xã", "thị trấn"}
    assert sorted(p.type for p in hanoi.districts()).count("quận") == 12


def test_crosswalk_is_complete_and_keeps_divided_wards(hanoi):
    new_units = hanoi.new_units()
    old_wards = [p for p in hanoi.places.values() if p.district]
    successors: dict[str, list[str]] = {}
    for unit in new_units:
        assert unit.formed_from, unit.id
        for source in unit.formed_from:
            assert hanoi.get(source) is not None and not hanoi.get(source).is_new
            successors.setdefault(source, []).append(unit.id)
    assert all(w.id in successors for w in old_wards)
    divided = {k: v for k, v in successors.items() if len(v) > 1}
    assert len(divided) > 50  # Hanoi divided many wards between new units
    # thị trấn Tây Đằng (Ba Vì) went partly to xã Minh Châu, partly to xã Quảng Oai
    assert set(successors["tay-dang"]) == {"minh-chau-2025", "quang-oai"}
    # phường Hoàn Kiếm: seven wards whole, parts of seven more, one across the old
    # district line (Điện Biên, Ba Đình) — Nghị quyết 1656/NQ-UBTVQH15
    assert set(hanoi.get("hoan-kiem-2025").formed_from) == {
        "hang-bac", "hang-bo", "hang-buom", "hang-dao", "hang-gai", "hang-ma", "ly-thai-to",
        "cua-dong", "cua-nam", "dong-xuan-hoan-kiem", "hang-bong", "hang-trong", "trang-tien", "dien-bien",
    }


def test_every_unit_has_code_and_centroid_in_hanoi(hanoi):
    for place in hanoi.places.values():
        assert re.fullmatch(r"\d{3}|\d{5}", place.code), place.id
        assert 20.5 < place.lat < 21.5 and 105.2 < place.lon < 106.1, place.id
    for period in (True, False):
        codes = [p.code for p in hanoi.places.values() if p.is_new == period]
        assert len(codes) == len(set(codes))


def test_new_unit_codes_follow_the_statistics_office():
    """Where the two datasets disagree, the GSO code (vietnam-provinces) is written."""
    import json
    from pathlib import Path

    import vietnam_provinces

    nested = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    gso = {slugify(w["name"]): f"{w['code']:05d}" for p in nested if p["code"] == 1 for w in p["wards"]}
    registry = load_places(PLACES_FILE, REPO)
    written = {slugify(p.label): p.code for p in registry.new_units()}
    assert written == gso
    assert registry.get("cua-nam-2025").code == "00073"


def test_ids_follow_the_rule(hanoi):
    old_names = {slugify(p.name) for p in hanoi.places.values() if not p.is_new}
    for place in hanoi.places.values():
        base = slugify(place.name)
        if place.is_new:
            assert place.id == (f"{base}-2025" if base in old_names else base), place.id
        elif place.is_district:
            assert place.id == base
        else:
            assert place.id in (base, f"{base}-{place.district}"), place.id
    # the ids the sample content uses keep working
    for kept in ("tay-ho", "nam-tu-liem", "hoan-kiem", "xuan-phuong", "nhat-tan", "my-dinh-1", "hang-trong", "dinh-cong", "hoan-kiem-2025", "xuan-phuong-2025", "thanh-tri-hoang-mai"):
        assert hanoi.get(kept) is not None, kept
    assert {hanoi.get("minh-khai-bac-tu-liem").district, hanoi.get("minh-khai-hai-ba-trung").district} == {"bac-tu-liem", "hai-ba-trung"}


def _unit(name, type_, code, district=None, new=False, province="A"):
    return Unit(name=name, type=type_, code=code, lat=None, lon=None, key=code, district=district, new=new, province=province)


def test_id_rule_is_total_on_constructed_collisions():
    d1 = _unit("Sơn Trà", "quận", "1", province="Đà Nẵng")
    d2 = _unit("Sơn Trà", "huyện", "2", province="Quảng Nam")  # twin districts of a merged province
    d3 = _unit("Hòa Vang", "huyện", "3")
    w1 = _unit("Hòa Vang", "thị trấn", "10", district=d3)  # ward named like its district
    w2 = _unit("Hoà Khánh", "phường", "11", district=d1)  # old tone placement: same slug as w3
    w3 = _unit("Hòa Khánh", "xã", "12", district=d3)
    w4 = _unit("An Hải", "phường", "13", district=d1)
    w5 = _unit("An Hải", "phường", "14", district=d1)  # twins inside one district
    n1 = _unit("Hòa Khánh", "phường", "20", new=True)  # name an earlier unit had
    n2 = _unit("Hòa Khánh", "xã", "21", new=True)  # and twin of another new unit
    n3 = _unit("Ngũ Hành Sơn", "phường", "22", new=True)
    n4 = _unit("Bà Nà", "xã", "23", new=True)
    n5 = _unit("Bà Nà", "xã", "24", new=True)
    registry = Registry("X", ["A", "B"], [d1, d2, d3], [w1, w2, w3, w4, w5], [n1, n2, n3, n4, n5])
    assign_ids(registry)
    ids = [u.id for u in registry.units()]
    assert ids == [
        "son-tra-da-nang", "son-tra-quang-nam", "hoa-vang",
        "hoa-vang-hoa-vang", "hoa-khanh-son-tra-da-nang", "hoa-khanh-hoa-vang", "an-hai-son-tra-da-nang", "an-hai-son-tra-da-nang-14",
        "hoa-khanh-2025-phuong", "hoa-khanh-2025-xa", "ngu-hanh-son", "ba-na-xa", "ba-na-xa-24",
    ]
    assert len(set(ids)) == len(ids)
    assert all(u.id.startswith(slugify(u.name)) for u in registry.units())


# --- lookups --------------------------------------------------------------------------


def _old_tone(name: str) -> str:
    return name.replace("òa", "oà").replace("óa", "oá").replace("ụy", "uỵ").replace("ủy", "uỷ").replace("ùy", "uỳ")


def test_lookup_by_id_and_name_for_random_wards_before_and_after_the_reform(hanoi):
    rng = random.Random(8)
    old = rng.sample([p for p in hanoi.places.values() if p.district], 40)
    new = rng.sample(hanoi.new_units(), 25)
    for place in old + new:
        assert hanoi.resolve(place.id, False).place is place
        for written in (place.name, place.label, place.name.upper(), slugify(place.name, " "), _old_tone(place.label), f"{place.label} ".capitalize()):
            found = hanoi.resolve(written, False)
            if found.place is None:  # a shared name: the candidates say which, with districts
                assert place in found.candidates and len(found.candidates) > 1, written
            else:
                assert found.place is place, (written, found.place.id)
        if place.district:  # "Minh Khai, Bắc Từ Liêm" always names one unit
            district = hanoi.get(place.district)
            assert hanoi.resolve(f"{place.name}, {district.name}", False).place is place
            assert hanoi.resolve(f"{place.label} {district.label}", False).place is place


def test_lookup_role_prefix_and_ambiguity(hanoi):
    assert hanoi.resolve("Tây Hồ", True).place.id == "tay-ho"
    assert hanoi.resolve("Tây Hồ", False).place.id == "tay-ho-2025"
    assert hanoi.resolve("phường Hồng Hà", False).place.id == "hong-ha-2025"
    assert hanoi.resolve("xã Hồng Hà", False).place.id == "hong-ha"
    assert {p.id for p in hanoi.resolve("Hồng Hà", False).candidates} == {"hong-ha", "hong-ha-2025"}
    assert {p.id for p in hanoi.resolve("minh khai", False).candidates} >= {"minh-khai-bac-tu-liem", "minh-khai-hai-ba-trung"}
    assert hanoi.resolve("P. Dịch Vọng Hậu", False).place.id == "dich-vong-hau"
    assert hanoi.resolve("THỤY KHUÊ", False).place.id == "thuy-khue"
    assert hanoi.resolve("Thuỵ Khuê", False).place.id == "thuy-khue"
    assert hanoi.nearest("Dich Vong Hauu", False) == "dich-vong-hau"
    assert hanoi.nearest("Hoan Kiem", True) == "hoan-kiem"


MODEL = """---
kind: model
title: "{title}"
unit: "Tổ Dân vận"
{place}
field: kinh-te
level: co-so
year: 2024
summary: "Một mô hình để kiểm tra sổ đơn vị hành chính."
---
Nội dung.
"""


def test_validate_names_ids_ambiguity_and_hints(project):
    (project / "content" / "places.yml").write_text(PLACES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    models = project / "content" / "models" / "moi"
    write(models / "dich-vong-hau.md", MODEL.format(title="Ở Dịch Vọng Hậu", place="ward: Dịch Vọng Hậu"))
    write(models / "lang-2025.md", MODEL.format(title="Ở phường Láng", place="ward: phường Láng"))
    write(models / "cau-giay.md", MODEL.format(title="Ở Cầu Giấy", place="district: cau-giay\nward: nghia-tan"))
    write(models / "minh-khai-hbt.md", MODEL.format(title="Ở Minh Khai", place="district: Hai Bà Trưng\nward: Minh Khai"))
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "`dich-vong-hau`" in result.stdout and "`lang`" in result.stdout
    assert "`minh-khai-hai-ba-trung`" in result.stdout  # the district given narrows the shared name
    write(models / "minh-khai.md", MODEL.format(title="Ở Minh Khai", place="ward: Minh Khai"))
    write(models / "typo.md", MODEL.format(title="Gõ nhầm", place="ward: dich-vong-hauu"))
    write(models / "wrong-district.md", MODEL.format(title="Sai quận", place="district: tay-ho\nward: nghia-tan"))
    result = run_dvk("validate", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    ambiguous = next(line for line in lines if "minh-khai.md" in line)
    assert "minh-khai-bac-tu-liem" in ambiguous and "minh-khai-hai-ba-trung" in ambiguous and "quận Bắc Từ Liêm" in ambiguous
    assert any("typo.md" in line and "`dich-vong-hau`" in line for line in lines)
    assert any("wrong-district.md" in line and "cau-giay" in line for line in lines)


def test_places_stats_command(project):
    (project / "content" / "places.yml").write_text(PLACES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_dvk("places", "stats", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Quận, huyện, thị xã (trước 1/7/2025): 30" in result.stdout
    assert "Phường, xã, thị trấn (trước 1/7/2025): 526" in result.stdout
    assert "Phường, xã, đặc khu từ 1/7/2025: 126" in result.stdout
    assert "Đơn vị mới thiếu đơn vị tiền thân: 0" in result.stdout


def test_broken_registry_values_are_reported_with_lines(tmp_path):
    places = write(tmp_path / "content" / "places.yml", "\n".join([
        "districts:",
        '  - {id: tay-ho, name: Tây Hồ, type: quận, code: "003", lat: 21.07, lon: 105.82}',
        "wards:",
        "  - {id: buoi, name: Bưởi, type: phường, district: tay-ho, code: 91, lat: 21.05, lon: 205.8}",
        '  - {id: nhat-tan, name: Nhật Tân, type: phường, district: tay-ho, code: "003", lat: 21.08}',
        '  - {id: tay-ho-2025, name: Tây Hồ, type: phường, code: "003", from: 2025-07-01, formed_from: [buoi, khong-co]}',
        '  - {id: quang-an, name: "Quảng\\x9bAn", type: phường, district: tay-ho, code: "004"}',
        "",
    ]))
    registry = load_places(places, tmp_path)
    found = {(p.line, p.key) for p in registry.problems}
    assert {(4, "code"), (4, "lon"), (5, "lat"), (6, "formed_from"), (7, "name")} <= found
    assert all(p.message for p in registry.problems)


def test_new_entry_takes_a_ward_by_name_and_refuses_a_shared_one(project):
    (project / "content" / "places.yml").write_text(PLACES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    common = ["--unit", "Tổ Dân vận", "--field", "kinh-te", "--level", "co-so", "--year", "2024", "--summary", "Một mô hình."]
    made = run_dvk("new", "model", "--title", "Ở Nghĩa Tân", "--ward", "phường Nghĩa Tân", *common, cwd=project)
    assert made.returncode == 0, made.stderr
    assert 'ward: "nghia-tan"' in (project / "content/models/nghia-tan/o-nghia-tan.md").read_text("utf-8")
    shared = run_dvk("new", "model", "--title", "Ở Minh Khai", "--ward", "Minh Khai", *common, cwd=project)
    assert shared.returncode == 2
    assert "minh-khai-bac-tu-liem" in shared.stderr and "minh-khai-hai-ba-trung" in shared.stderr

"""Build a province's places registry from maintained datasets (used by `dvk places update`).

Typing ~650 units and their many-to-many succession by hand is how registries go wrong,
so content/places.yml is generated. Two PyPI datasets were compared:

- `vietnamadminunits` (MIT) is the only one with the pre-reform units (63 provinces,
  district level, wards/communes/townships), centroids for every unit before and after
  1/7/2025, and the old -> new crosswalk, including old wards divided between several
  new units. It is the base of everything written here.
- `vietnam-provinces` carries only the 34 provinces and their wards after the reform, but
  its names and codes are taken from the statistics office's administrative-units
  registry (danhmuchanhchinh.gso.gov.vn), the body that assigns the codes. Where the two
  disagree on the code of a new unit (27 of Hanoi's 126 do), its code wins.

Neither package is needed to build the site: the build reads only the committed YAML.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .text import nfc, slugify

REFORM_DATE = "2025-07-01"
DEFAULT_PROVINCE = "Hà Nội"
INSTALL_HINT = "cài bộ dữ liệu: .venv/bin/pip install -e '.[places]'"


class DatasetError(Exception):
    """A dataset problem an editor can act on (missing package, unknown province)."""


@dataclass
class Unit:
    """One administrative unit as the registry will write it."""

    name: str
    type: str
    code: str
    lat: float | None
    lon: float | None
    key: str  # the dataset's key ("thanhphohanoi_quanbadinh_phuongphucxa")
    district: Unit | None = None  # pre-reform wards only
    new: bool = False
    province: str = ""  # pre-reform province short name (a merged province has several)
    formed_from: list[Unit] = field(default_factory=list)
    id: str = ""


@dataclass
class Registry:
    """A province's units in file order, plus what the command reports."""

    province: str
    old_provinces: list[str]
    districts: list[Unit]
    wards: list[Unit]  # pre-reform wards, communes, townships
    new_units: list[Unit]

    def units(self) -> list[Unit]:
        return self.districts + self.wards + self.new_units


# --- reading the datasets -------------------------------------------------------------


def _package_dir(name: str, pip_name: str) -> Path:
    """Where an installed dataset package lives, without running its code.

    Importing vietnamadminunits would load its address parser (shapely, geopy, 3 MB of
    JSON); only its data files are read here.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError(f"chưa cài gói {pip_name} — {INSTALL_HINT}")
    return Path(list(spec.submodule_search_locations)[0])


def _open_datasets():
    """(read-only sqlite connection, crosswalk dict) from the installed vietnamadminunits."""
    data_dir = _package_dir("vietnamadminunits", "vietnamadminunits") / "data"
    connection = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    crosswalk = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    return connection, crosswalk


def _read_gso_codes(province_code: str) -> dict[str, str]:
    """Codes of the new units by slug of their full name, from vietnam-provinces (GSO)."""
    data = _package_dir("vietnam_provinces", "vietnam-provinces") / "data" / "nested-divisions.json"
    for province in json.loads(data.read_text(encoding="utf-8")):
        if int(province["code"]) == int(province_code):
            return {slugify(nfc(w["name"])): f"{int(w['code']):05d}" for w in province["wards"]}
    return {}


def _find_province(connection, wanted: str) -> sqlite3.Row:
    """The province row for a name ("Hà Nội", "thành phố Đà Nẵng", "da nang") or code ("01")."""
    rows = connection.execute("SELECT DISTINCT province, provinceShort, provinceCode, provinceKey FROM admin_units").fetchall()
    folded = slugify(wanted, "")
    for row in rows:
        if wanted.strip().isdigit() and int(wanted) == int(row["provinceCode"]):
            return row
        if folded in (slugify(nfc(row["province"]), ""), slugify(nfc(row["provinceShort"]), "")):
            return row
    names = ", ".join(f'"{nfc(r["provinceShort"])}" ({r["provinceCode"]})' for r in sorted(rows, key=lambda r: r["provinceCode"]))
    raise DatasetError(f'không có tỉnh, thành phố "{wanted}" trong bộ dữ liệu — dùng tên hoặc mã: {names}')


def _lower_type(text: str | None) -> str:
    return nfc(text or "").lower()


def read_registry(wanted: str = DEFAULT_PROVINCE) -> Registry:
    """Every unit of one province before and after 1/7/2025, with the crosswalk resolved."""
    connection, crosswalk = _open_datasets()
    province = _find_province(connection, wanted)
    new_key = province["provinceKey"]
    old_keys = crosswalk["DICT_PROVINCE"][new_key]
    marks = ",".join("?" * len(old_keys))
    rows = connection.execute(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({marks}) ORDER BY provinceCode, districtCode, wardCode",
        old_keys,
    ).fetchall()
    districts: dict[str, Unit] = {}
    wards: dict[str, Unit] = {}
    old_provinces: list[str] = []
    for row in rows:
        if nfc(row["provinceShort"]) not in old_provinces:
            old_provinces.append(nfc(row["provinceShort"]))
        district_key = f"{row['provinceKey']}_{row['districtKey']}_"
        district = districts.get(district_key)
        if district is None:
            district = districts[district_key] = Unit(
                name=nfc(row["districtShort"]), type=_lower_type(row["districtType"]), code=row["districtCode"],
                lat=row["districtLat"], lon=row["districtLon"], key=district_key, province=nfc(row["provinceShort"]),
            )
        if row["wardKey"]:
            ward_key = district_key + row["wardKey"]
            wards[ward_key] = Unit(
                name=nfc(row["wardShort"]), type=_lower_type(row["wardType"]), code=row["wardCode"],
                lat=row["wardLat"], lon=row["wardLon"], key=ward_key, district=district, province=district.province,
            )
    gso_codes = _read_gso_codes(province["provinceCode"])
    new_rows = connection.execute("SELECT * FROM admin_units WHERE provinceKey = ? ORDER BY wardCode", (new_key,)).fetchall()
    new_units: dict[str, Unit] = {}
    for row in new_rows:
        name = nfc(row["wardShort"])
        new_units[row["wardKey"]] = Unit(
            name=name, type=_lower_type(row["wardType"]),
            code=gso_codes.get(slugify(nfc(row["ward"])), row["wardCode"]),
            lat=row["wardLat"], lon=row["wardLon"], key=row["wardKey"], new=True,
        )
    _link_predecessors(crosswalk, new_key, new_units, {**districts, **wards})
    registry = Registry(
        province=nfc(province["provinceShort"]),
        old_provinces=old_provinces,
        districts=list(districts.values()),
        wards=list(wards.values()),
        new_units=sorted(new_units.values(), key=lambda u: u.code),
    )
    assign_ids(registry)
    return registry


def _link_predecessors(crosswalk: dict, new_key: str, new_units: dict[str, Unit], old_units: dict[str, Unit]) -> None:
    """formed_from of each new unit: wards taken whole and wards divided between several."""
    whole = crosswalk["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {})
    divided = crosswalk["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {})
    pairs = [(unit_key, old_key) for unit_key, olds in whole.items() for old_key in olds]
    pairs += [(part["newWardKey"], old_key) for old_key, parts in divided.items() for part in parts]
    for unit_key, old_key in pairs:
        unit, old = new_units.get(unit_key), old_units.get(old_key)
        if unit is None or old is None:
            raise DatasetError(f"bộ dữ liệu chuyển đổi nhắc đến đơn vị không có trong danh mục: {unit_key} ← {old_key}")
        if old not in unit.formed_from:
            unit.formed_from.append(old)
    for unit in new_units.values():
        unit.formed_from.sort(key=lambda u: (u.district.code if u.district else u.code, u.code))


# --- ids ------------------------------------------------------------------------------


def assign_ids(registry: Registry) -> None:
    """Give every unit its id by the documented rule (content-model.md), total for all clashes.

    1. The id is the slug of the name: marks dropped, đ -> d ("Đống Đa" -> dong-da).
    2. Pre-reform district-level units sharing a slug (a merged province can have two)
       take the slug of their old province as suffix.
    3. A pre-reform ward whose slug another pre-reform unit also has (a ward in another
       district, or a district) takes its district's id as suffix (thanh-tri-hoang-mai);
       districts keep the plain slug.
    4. A new unit (from 1/7/2025) whose slug a pre-reform unit had takes `-2025`
       (hoan-kiem-2025); new units sharing a slug with each other take their type too
       (`-phuong`, `-xa`).
    5. Whatever still clashes (twins inside one district) takes its official code.
    """
    old = registry.districts + registry.wards
    old_slugs: dict[str, int] = {}
    for unit in old:
        old_slugs[slugify(unit.name)] = old_slugs.get(slugify(unit.name), 0) + 1
    district_slugs: dict[str, int] = {}
    for unit in registry.districts:
        district_slugs[slugify(unit.name)] = district_slugs.get(slugify(unit.name), 0) + 1
    new_slugs: dict[str, int] = {}
    for unit in registry.new_units:
        new_slugs[slugify(unit.name)] = new_slugs.get(slugify(unit.name), 0) + 1
    taken: set[str] = set()

    def claim(unit: Unit, candidate: str) -> None:
        if candidate in taken:
            candidate = f"{candidate}-{unit.code}"
        if candidate in taken:  # only a dataset with duplicate codes gets here
            raise DatasetError(f"không đặt được id duy nhất cho {unit.type} {unit.name} (mã {unit.code})")
        unit.id = candidate
        taken.add(candidate)

    for unit in registry.districts:
        base = slugify(unit.name)
        claim(unit, f"{base}-{slugify(unit.province)}" if district_slugs[base] > 1 else base)
    for unit in registry.wards:
        base = slugify(unit.name)
        claim(unit, f"{base}-{unit.district.id}" if old_slugs[base] > 1 else base)
    for unit in registry.new_units:
        base = slugify(unit.name)
        candidate = f"{base}-2025" if base in old_slugs else base
        if new_slugs[base] > 1:
            candidate = f"{candidate}-{slugify(unit.type)}"
        claim(unit, candidate)


# --- writing content/places.yml -------------------------------------------------------

_PLAIN = re.compile(r"^[^\W\d_][\w .'()-]*$")


def _scalar(text: str) -> str:
    """A name as a YAML flow scalar: plain when safe, else a JSON (= YAML) double-quoted string."""
    if _PLAIN.match(text) and ": " not in text and " #" not in text and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _coordinate(value: float | None) -> str | None:
    return None if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _unit_line(unit: Unit) -> str:
    parts = [f"id: {unit.id}", f"name: {_scalar(unit.name)}", f"type: {unit.type}"]
    if unit.district is not None:
        parts.append(f"district: {unit.district.id}")
    if unit.code:
        parts.append(f'code: "{unit.code}"')
    lat, lon = _coordinate(unit.lat), _coordinate(unit.lon)
    if lat is not None and lon is not None:
        parts += [f"lat: {lat}", f"lon: {lon}"]
    if unit.new:
        parts.append(f"from: {REFORM_DATE}")
        parts.append("formed_from: [" + ", ".join(u.id for u in unit.formed_from) + "]")
    return "  - {" + ", ".join(parts) + "}"


def _count_phrase(units: list[Unit]) -> str:
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.type] = counts.get(unit.type, 0) + 1
    return ", ".join(f"{n} {t}" for t, n in counts.items()) or "không có đơn vị cấp xã"


def render_registry(registry: Registry, source: str) -> str:
    """The whole places.yml text: comments in Vietnamese, units in official code order."""
    old = " + ".join(registry.old_provinces)
    lines = [
        f"# Danh mục đơn vị hành chính: {registry.province}.",
        "#",
        "# TỆP ĐƯỢC SINH TỰ ĐỘNG — đừng sửa tay. Tạo lại bằng lệnh:",
        f'#   dvk places update --province "{registry.province}"',
        f"# Nguồn: {source}.",
        "#",
        f"# - districts: {len(registry.districts)} đơn vị cấp huyện trước 1/7/2025 ({old}).",
        "#   Cấp huyện chấm dứt hoạt động từ 1/7/2025.",
        f"# - wards: {len(registry.wards)} phường, xã, thị trấn trước 1/7/2025 (khóa `district`",
        f"#   là id đơn vị cấp huyện chứa nó), rồi {len(registry.new_units)} đơn vị từ 1/7/2025 (có `from`",
        "#   và `formed_from`: mọi đơn vị cũ hợp thành, kể cả đơn vị bị chia cho nhiều đơn vị mới).",
        "# - code: mã đơn vị hành chính chính thức; lat, lon: tọa độ tâm (gần đúng).",
        "#",
        "# Quy tắc id: tên bỏ dấu, “đ” thành “d”, chữ thường, nối bằng gạch ngang.",
        "#   Hai đơn vị cùng thời kỳ trùng tên: phường, xã thêm id quận, huyện làm hậu tố",
        "#   (thanh-tri-hoang-mai); đơn vị mới từ 1/7/2025 trùng tên đơn vị cũ thêm “-2025”",
        "#   (hoan-kiem-2025). Bài viết có thể ghi id hoặc tên (“phường Nhật Tân”, “Nhật Tân”).",
        "",
        "districts:",
    ]
    lines += [_unit_line(u) for u in registry.districts]
    lines += ["", "wards:"]
    for district in registry.districts:
        members = [w for w in registry.wards if w.district is district]
        lines.append(f"  # --- {district.type.capitalize()} {district.name}: {_count_phrase(members)} ---")
        lines += [_unit_line(w) for w in members]
    lines.append(f"  # --- Từ 1/7/2025: {_count_phrase(registry.new_units)} ---")
    lines += [_unit_line(u) for u in registry.new_units]
    return "\n".join(lines) + "\n"


def dataset_source() -> str:
    """Names and versions of the datasets, for the file header (changes only on upgrade)."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("vietnamadminunits", "vietnam-provinces"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(package)
    return "gói " + " và ".join(parts)

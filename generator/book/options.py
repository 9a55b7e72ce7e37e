"""Book options: defaults in code, an optional `extra: dvk_book:` mapping in mkdocs.yml,
then command-line flags on top (flags win).

mkdocs.yml stays the one place for configuration; the site engineer owns the file, so
the book only *reads* its own sub-mapping and never requires it to exist:

    extra:
      dvk_book:
        paper: A4                      # or A5
        title: "Mô hình, điển hình tiêu biểu"
        subtitle: "Phong trào thi đua “Dân vận khéo” năm 2024"
        organisation: "Ban Dân vận Quận ủy Nam Từ Liêm"
        year: 2024                     # printed on the cover
        foreword: docs/loi-noi-dau.md  # Markdown, relative to the project root
        group: district                # district (then field) | field (then district)
        output: build/book/sach-dan-van-kheo.pdf
        new_page_per_entry: true       # false = compact, models run on
        filters: {year: 2024, district: [nam-tu-liem], level: [], field: [], ids: []}

Flags (--paper, --year, --district, --level, --field, --ids, --group, --output, ...) win.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..hostconfig import load_mkdocs_yml
from ..text import nfc

PAPERS = ("A4", "A5")
GROUPINGS = ("district", "field")
CONFIG_KEY = "dvk_book"


class OptionError(Exception):
    """A wrong option value; the message is Vietnamese and names the key and the fix."""


@dataclass
class BookOptions:
    """Everything that shapes one printed book."""

    paper: str = "A4"
    """Khổ giấy: A4 hoặc A5."""
    title: str = "Mô hình, điển hình tiêu biểu"
    """Tên sách trên bìa và trong siêu dữ liệu PDF."""
    subtitle: str = ""
    organisation: str = "Ban Dân vận Thành ủy Hà Nội"
    """Cơ quan biên soạn (bìa, tác giả PDF)."""
    year: int | None = None
    """Năm in trên bìa; mặc định là năm mới nhất của các mục được chọn."""
    foreword: str = ""
    """Đường dẫn (tính từ thư mục gốc) tới tệp Markdown lời nói đầu; để trống nếu không có."""
    group: str = "district"
    """Cách chia chương: district (quận, rồi lĩnh vực) hoặc field (lĩnh vực)."""
    output: str = "build/book/sach-dan-van-kheo.pdf"
    events: bool = True
    """Có chương biên niên sự kiện hay không."""
    photos_per_entry: int = 3
    new_page_per_entry: bool = True
    """Mỗi mô hình bắt đầu trang mới (true) hay in nối tiếp cho gọn sách (false)."""
    dpi: int = 300
    # filters (empty = all)
    years: list[int] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def cover_year(self, fallback: int | None, dated: int) -> int:
        """The year on the cover: configured, else the newest entry's, else the build date's (never the clock)."""
        return self.year or fallback or dated


_SCALARS = {"paper", "title", "subtitle", "organisation", "foreword", "group", "output"}
_CONFIG_KEYS = _SCALARS | {"year", "events", "new_page_per_entry", "photos_per_entry", "dpi", "filters"}
_FILTER_KEYS = ("year", "district", "level", "field", "ids")


def read_config(root: Path) -> dict:
    """The `extra: dvk_book:` mapping of mkdocs.yml, or {} when there is none."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    try:
        data = load_mkdocs_yml(path)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise OptionError(f"mkdocs.yml: không đọc được ({error.__class__.__name__}) — sửa cú pháp YAML") from None
    extra = (data or {}).get("extra") if isinstance(data, dict) else None
    found = extra.get(CONFIG_KEY) if isinstance(extra, dict) else None
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise OptionError(f"mkdocs.yml: extra.{CONFIG_KEY}: phải là một bảng khóa: giá trị")
    return found


def options_from_config(config: dict) -> BookOptions:
    """Apply a `dvk_book` mapping to the defaults, checking every key."""
    options = BookOptions()
    where = f"mkdocs.yml: extra.{CONFIG_KEY}"
    for key, value in config.items():
        if key not in _CONFIG_KEYS:
            raise OptionError(f"{where}.{key}: khóa không được hỗ trợ — dùng: {', '.join(sorted(_CONFIG_KEYS))}")
        if key in _SCALARS:
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise OptionError(f"{where}.{key}: phải là chuỗi")
            setattr(options, key, nfc(str(value)))
        elif key == "year":
            options.year = _int(value, f"{where}.year")
        elif key in ("events", "new_page_per_entry"):
            if not isinstance(value, bool):
                raise OptionError(f"{where}.{key}: phải là true hoặc false")
            setattr(options, key, value)
        elif key in ("photos_per_entry", "dpi"):
            setattr(options, key, _int(value, f"{where}.{key}"))
        elif key == "filters":
            _apply_filters(options, value, f"{where}.filters")
    return options


def _apply_filters(options: BookOptions, value, where: str) -> None:
    if not isinstance(value, dict):
        raise OptionError(f"{where}: phải là một bảng, ví dụ {{year: 2024, district: [tay-ho]}}")
    for key, item in value.items():
        if key not in _FILTER_KEYS:
            raise OptionError(f"{where}.{key}: khóa không được hỗ trợ — dùng: {', '.join(_FILTER_KEYS)}")
        items = item if isinstance(item, list) else [item]
        if key == "year":
            options.years = parse_years(",".join(str(i) for i in items), f"{where}.year")
        else:
            target = {"district": "districts", "level": "levels", "field": "fields", "ids": "ids"}[key]
            setattr(options, target, [nfc(str(i)).strip() for i in items if str(i).strip()])


def _int(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise OptionError(f"{where}: phải là số nguyên, ví dụ 2024")
    return int(value)


def split_list(value: str | None) -> list[str]:
    """"tay-ho, nam-tu-liem" -> ["tay-ho", "nam-tu-liem"]."""
    if not value:
        return []
    return [nfc(part).strip() for part in re.split(r"[,;]", value) if part.strip()]


def parse_years(value: str, where: str = "--year") -> list[int]:
    """"2024", "2023-2024", "2022,2024" -> a sorted list of years."""
    years: set[int] = set()
    for part in split_list(value):
        match = re.fullmatch(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", part)
        if not match:
            raise OptionError(f"{where}: \"{part}\" không hợp lệ — viết 2024, 2023-2024 hoặc 2022,2024")
        start, end = int(match.group(1)), int(match.group(2) or match.group(1))
        if end < start or end - start > 100:
            raise OptionError(f"{where}: khoảng năm \"{part}\" không hợp lệ")
        years.update(range(start, end + 1))
    return sorted(years)


def merge_cli(options: BookOptions, args) -> BookOptions:
    """Command-line flags override the mkdocs.yml values."""
    changes: dict = {}
    for name in ("paper", "group", "output", "title"):
        value = getattr(args, name, None)
        if value:
            changes[name] = nfc(str(value))
    if getattr(args, "paper", None):
        changes["paper"] = args.paper.upper()
    if getattr(args, "year", None):
        changes["years"] = parse_years(args.year)
    for flag, target in (("district", "districts"), ("level", "levels"), ("field", "fields"), ("ids", "ids")):
        value = getattr(args, flag, None)
        if value:
            changes[target] = split_list(value)
    if getattr(args, "no_events", False):
        changes["events"] = False
    if getattr(args, "compact", False):
        changes["new_page_per_entry"] = False
    return dataclasses.replace(options, **changes)


def check_options(options: BookOptions) -> BookOptions:
    """Final checks after merging; normalises case where that is unambiguous."""
    paper = options.paper.upper()
    if paper not in PAPERS:
        raise OptionError(f"paper: \"{options.paper}\" không hợp lệ — dùng A4 hoặc A5")
    group = options.group.lower()
    if group not in GROUPINGS:
        raise OptionError(f"group: \"{options.group}\" không hợp lệ — dùng district (quận, rồi lĩnh vực) hoặc field (lĩnh vực)")
    if not 72 <= options.dpi <= 600:
        raise OptionError("dpi: phải trong khoảng 72–600 (khuyên dùng 300)")
    if not 0 <= options.photos_per_entry <= 12:
        raise OptionError("photos_per_entry: phải trong khoảng 0–12")
    if not options.output.lower().endswith(".pdf"):
        raise OptionError(f"output: \"{options.output}\" phải là tệp .pdf")
    return dataclasses.replace(options, paper=paper, group=group)

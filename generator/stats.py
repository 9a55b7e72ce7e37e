"""`dvk stats`: the counts committees report, from the derived site."""

from __future__ import annotations

import csv
import io
import json

from .derive import Site
from .places import count_units
from .text import format_number
from .vocab import FIELDS, LEVELS


def collect_stats(site: Site) -> list[tuple[str, str, int]]:
    """Rows of (group, label, count) in report order."""
    rows: list[tuple[str, str, int]] = [
        ("Tổng", "Mô hình", len(site.by_kind["model"])),
        ("Tổng", "Điển hình", len(site.by_kind["exemplar"])),
        ("Tổng", "Sự kiện", len(site.events)),
        ("Tổng", "Khen thưởng", len(site.awards)),
    ]
    for place in site.districts():
        count = sum(1 for e in site.by_district[place.id] if not e.is_event)
        rows.append(("Quận/huyện", place.title, count))
    new_wards = [w for w in site.wards() if w.is_new]
    for place in new_wards:
        count = sum(1 for e in site.by_ward[place.id] if not e.is_event)
        rows.append(("Phường/xã mới (từ 1/7/2025)", place.title, count))
    rows += [(FIELDS.label, term.label, len(site.by_field[term])) for term in FIELDS]
    rows += [(LEVELS.label, term.label, len(site.by_level[term])) for term in LEVELS]
    rows += [("Năm", str(year), len(items)) for year, items in site.by_year.items()]
    for term in LEVELS:
        rows.append(("Khen thưởng theo cấp", term.label, len(site.awards_by_level.get(term, []))))
    rows += [("Sổ đơn vị hành chính", label, count) for label, count in count_units(site.places)]
    return rows


def format_stats(rows: list[tuple[str, str, int]], fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["nhom", "muc", "so_luong"])
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps([{"nhom": g, "muc": m, "so_luong": n} for g, m, n in rows], ensure_ascii=False, indent=2) + "\n"
    width = max(len(label) for _, label, _ in rows) + 2
    lines: list[str] = []
    group = None
    for name, label, count in rows:
        if name != group:
            lines.append(("" if group is None else "\n") + name)
            group = name
        lines.append(f"  {label:<{width}}{format_number(count):>7}")
    return "\n".join(lines) + "\n"

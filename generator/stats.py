"""The numbers the movement reports, computed once from the derived site.

`dvk stats`, the statistics pages (`thong-ke/`) and their CSV files all print these
`Table`s, so a committee reading the site, a journalist opening the CSV and an editor in
the terminal see the same counts. Tables hold plain values (labels and integers); the
render stage formats them ("3.124") and draws the charts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from .derive import Site
from .model import Event, Model
from .text import format_number, vn_sort_key
from .vocab import EVENT_TYPES, FIELDS, FIGURES, KINDS, LEVELS

TOTAL = "Tổng"
NO_ISSUER = "Không ghi cơ quan trao"


@dataclass(frozen=True)
class Table:
    """One statistic: a title, column labels and rows of (label, count, count, …).

    `chart` says how the page draws it: "bars" (one count per row), "stacked" (several
    counts per row, the last column being the row total) or "" (table only).
    """

    id: str  # stable slug: anchor on the page and the CSV file name
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    chart: str = "bars"
    note: str = ""

    def total(self) -> int:
        """Sum of the last column (the row totals)."""
        return sum(row[-1] for row in self.rows)

    def as_records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass(frozen=True)
class Scope:
    """Which part of the showcase a set of tables counts: all, one year, one district."""

    year: int | None = None
    district: str | None = None  # pre-2025 district id

    def keeps(self, entry) -> bool:
        if self.year is not None and entry.year != self.year:
            return False
        return self.district is None or entry.district_id == self.district


def collect_tables(site: Site, scope: Scope = Scope(), kept: tuple[list, list] | None = None) -> list[Table]:
    """Every statistic of the showcase (or of one year / district), in report order.
    `kept`: the models and events the scope keeps, in site order, when the caller has them
    (split_by_scope: one pass for every scope instead of one pass per scope)."""
    if kept is None:
        kept = ([m for m in site.models if scope.keeps(m)], [e for e in site.events if scope.keeps(e)])
    models, events = kept
    awards = [(award, m) for m in models for award in m.awards]
    tables = [
        count_totals(models, events, awards),
        count_by_place_and_field(site, models),
        count_by_year(models),
        count_by_level(models),
        count_awards_by_level(awards),
        count_awards_by_issuer(awards),
        count_events_by_type(events),
        sum_event_figures(events),
    ]
    return [t for t in tables if t.rows]


def split_by_scope(site: Site) -> dict[Scope, tuple[list, list]]:
    """The models and events each year and each district scope keeps (and the whole
    showcase's), in site order, from one pass over the site."""
    split: dict[Scope, tuple[list, list]] = {Scope(): (list(site.models), list(site.events))}
    for index, entries in enumerate((site.models, site.events)):
        for entry in entries:
            if entry.year is not None:
                split.setdefault(Scope(year=entry.year), ([], []))[index].append(entry)
            if entry.district_id is not None:  # (Scope(district=None) is the whole showcase)
                split.setdefault(Scope(district=entry.district_id), ([], []))[index].append(entry)
    return split


def count_totals(models: list[Model], events: list[Event], awards: list) -> Table:
    kinds = Counter(m.kind.id for m in models)
    rows = [(t.label, kinds.get(t.id, 0)) for t in KINDS] + [("Sự kiện", len(events)), ("Khen thưởng", len(awards))]
    return Table("tong-quan", "Tổng quan", ("Mục", "Số lượng"), tuple(rows), chart="")


def count_by_place_and_field(site: Site, models: list[Model]) -> Table:
    """Models and exemplars by district (before 1/7/2025) or new ward, and field."""
    counts: dict[str, Counter] = {}
    for model in models:
        place = _report_place(site, model)
        counts.setdefault(place, Counter())[model.field.id] += 1
    labels = {pid: site.places.get(pid).title if site.places.get(pid) else pid for pid in counts}
    # places by name, as on every other list ("Huyện Ba Vì" before "Quận Đống Đa" because B < Đ)
    names = {pid: site.places.get(pid).name if site.places.get(pid) else pid for pid in counts}
    order = sorted(counts, key=lambda pid: (vn_sort_key(names[pid]), vn_sort_key(labels[pid])))
    rows = [(labels[pid], *(counts[pid].get(t.id, 0) for t in FIELDS), sum(counts[pid].values())) for pid in order]
    columns = ("Địa bàn", *(t.label for t in FIELDS), TOTAL)
    return Table("dia-ban-linh-vuc", "Mô hình, điển hình theo địa bàn và lĩnh vực", columns, tuple(rows), chart="stacked",
                 note="Địa bàn trước 1/7/2025 là quận, huyện, thị xã; mục của phường, xã mới (từ 1/7/2025) đứng riêng theo tên phường, xã.")


def count_by_year(models: list[Model]) -> Table:
    """Registered models and exemplars per year, newest first."""
    counts: dict[int, Counter] = {}
    for model in models:
        counts.setdefault(model.year, Counter())[model.kind.id] += 1
    rows = [(str(year), *(counts[year].get(t.id, 0) for t in KINDS), sum(counts[year].values())) for year in sorted(counts, reverse=True)]
    return Table("theo-nam", "Mô hình, điển hình đăng ký theo năm", ("Năm", *(t.label for t in KINDS), TOTAL), tuple(rows), chart="stacked")


def count_by_level(models: list[Model]) -> Table:
    counts: dict[str, Counter] = {t.id: Counter() for t in LEVELS}
    for model in models:
        counts[model.level.id][model.kind.id] += 1
    rows = [(t.label, *(counts[t.id].get(k.id, 0) for k in KINDS), sum(counts[t.id].values())) for t in LEVELS if counts[t.id]]
    return Table("theo-cap", "Mô hình, điển hình theo cấp công nhận", (LEVELS.label, *(t.label for t in KINDS), TOTAL), tuple(rows), chart="stacked")


def count_awards_by_level(awards: list) -> Table:
    counts = Counter(award.level.id for award, _ in awards)
    rows = [(t.label, counts[t.id]) for t in sorted(LEVELS, key=lambda t: -t.rank) if counts.get(t.id)]
    return Table("khen-thuong-theo-cap", "Khen thưởng theo cấp", ("Cấp", "Số khen thưởng"), tuple(rows))


def count_awards_by_issuer(awards: list) -> Table:
    """Awards by issuing body (`by`), most first; the same body written with the other tone
    placement or spacing counts once."""
    from .text import fold, normalize_tone_placement

    counts: Counter = Counter()
    shown: dict[str, str] = {}
    for award, _ in awards:
        name = " ".join(award.by.split()) or NO_ISSUER
        key = fold(normalize_tone_placement(name))
        shown.setdefault(key, name)
        counts[key] += 1
    order = sorted(counts, key=lambda k: (-counts[k], vn_sort_key(shown[k])))
    return Table("khen-thuong-theo-co-quan", "Khen thưởng theo cơ quan trao", ("Cơ quan trao", "Số khen thưởng"), tuple((shown[k], counts[k]) for k in order))


def count_events_by_type(events: list[Event]) -> Table:
    counts = Counter(e.type.id for e in events)
    rows = [(t.label, counts[t.id]) for t in EVENT_TYPES if counts.get(t.id)]
    return Table("su-kien-theo-loai", "Sự kiện theo loại", (EVENT_TYPES.label, "Số sự kiện"), tuple(rows))


def sum_event_figures(events: list[Event]) -> Table:
    """Figures that events report, summed per figure where the same figure is reported.

    Only the same key is added up (e.g. every `mo_hinh_dang_ky` of every event): different
    figures measure different things. The count of events that reported a figure stands
    beside its sum so a reader can judge it.
    """
    sums: Counter = Counter()
    reported: Counter = Counter()
    labels: dict[str, str] = {}  # the declared label (vocab.FIGURES), else the first entry's own
    for event in events:
        for figure in event.figures:
            sums[figure.key] += figure.value
            reported[figure.key] += 1
            labels.setdefault(figure.key, FIGURES.get(figure.key).label if figure.key in FIGURES else figure.label)
    order = sorted(sums, key=lambda k: vn_sort_key(labels[k]))
    rows = [(labels[k], reported[k], sums[k]) for k in order]
    return Table("so-lieu-su-kien", "Số liệu các sự kiện báo cáo (cộng dồn)", ("Số liệu", "Số sự kiện báo cáo", TOTAL), tuple(rows), chart="",
                 note="Mỗi dòng cộng cùng một số liệu của mọi sự kiện có báo cáo số liệu đó.")


def _report_place(site: Site, model: Model) -> str:
    """The district an entry counts under; entries of post-2025 wards count under the ward."""
    if model.district_id:
        return model.district_id
    return model.ward.id if model.ward else ""


def format_tables(tables: list[Table], fmt: str) -> str:
    """`dvk stats` output: aligned text, CSV (table id as first column) or JSON."""
    if fmt == "csv":
        from .export.tables import csv_line

        lines = [csv_line(["bang", "muc", "cot", "so_luong"])]
        for table in tables:
            for row in table.rows:
                lines += [csv_line([table.id, row[0], column, value]) for column, value in zip(table.columns[1:], row[1:])]
        return "".join(lines)
    if fmt == "json":
        data = [{"id": t.id, "title": t.title, "columns": list(t.columns), "rows": [list(r) for r in t.rows]} for t in tables]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return "\n".join(_format_text(table) for table in tables)


def _format_text(table: Table) -> str:
    cells = [list(table.columns)] + [[str(row[0])] + [format_number(v) for v in row[1:]] for row in table.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    lines = [table.title]
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = "  ".join(v.rjust(w) for v, w in zip(row[1:], widths[1:]))
        lines.append(f"  {first}  {rest}".rstrip())
    return "\n".join(lines) + "\n"

"""Statistics tables and their charts, on the mini fixture (no site build)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from generator.derive import derive_site
from generator.render.charts import render_chart
from generator.stats import Scope, Table, collect_tables, format_tables
from generator.validate import validate_content
from sitehelpers import SITE_MINI


@pytest.fixture(scope="module")
def site():
    content = validate_content(SITE_MINI)
    assert not content.errors, [p.format() for p in content.errors]
    return derive_site(content.entries, content.places)


def by_id(tables):
    return {t.id: t for t in tables}


def test_place_by_field_rows_add_up_to_every_model(site):
    table = by_id(collect_tables(site))["dia-ban-linh-vuc"]
    assert table.total() == len(site.models)
    for row in table.rows:  # each row's field counts add up to its total
        assert sum(row[1:-1]) == row[-1]
    # entries of a post-2025 ward are counted under that ward, not dropped
    new_ward_models = [m for m in site.models if not m.district_id]
    assert new_ward_models, "fixture has an entry in a new ward"
    assert any(row[0] == new_ward_models[0].ward.title for row in table.rows)


def test_year_and_level_tables_split_models_and_exemplars(site):
    tables = by_id(collect_tables(site))
    for table_id in ("theo-nam", "theo-cap"):
        table = tables[table_id]
        assert table.columns[1:3] == ("Mô hình", "Điển hình")
        assert table.total() == len(site.models)


def test_scope_by_year_and_district_filters_the_counts(site):
    year = site.years()[0]
    tables = by_id(collect_tables(site, Scope(year=year)))
    assert tables["theo-nam"].rows == (tuple(r for r in by_id(collect_tables(site))["theo-nam"].rows if r[0] == str(year)))
    district = site.districts()[0]
    scoped = by_id(collect_tables(site, Scope(district=district.id)))
    assert scoped["dia-ban-linh-vuc"].total() == sum(1 for e in site.by_district[district.id] if not e.is_event)


def test_event_figures_are_summed_per_key_with_vietnamese_labels(site):
    events = [e for e in site.events if e.figures]
    assert events, "fixture event reports figures"
    table = by_id(collect_tables(site))["so-lieu-su-kien"]
    total = sum(v for e in events for v in e.figures.values())
    assert sum(row[-1] for row in table.rows) == total
    assert all("_" not in row[0] for row in table.rows)


def test_issuers_written_with_either_tone_placement_count_once(site):
    index = next(i for i, m in enumerate(site.models) if m.awards)
    model = site.models[index]
    award = model.awards[0]
    site.models[index] = replace(model, awards=[replace(award, by="Quận ủy Hoà Bình"), replace(award, by="Quận  ủy Hòa Bình")])
    try:
        table = by_id(collect_tables(site))["khen-thuong-theo-co-quan"]
        assert sum(1 for row in table.rows if "Bình" in row[0]) == 1
        assert next(row for row in table.rows if "Bình" in row[0])[1] == 2
    finally:
        site.models[index] = model


def test_chart_is_well_formed_svg_and_escapes_labels():
    table = Table("x", "Tiêu đề <b>&", ("Cơ quan", "Số"), (("<script>alert(1)</script>", 3), ("Quận ủy", 1)))
    svg = str(render_chart(table, "bieu-do-x"))
    root = ET.fromstring(svg)  # parses: every label escaped
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>alert(1)</script>" in texts and not root.findall(".//{http://www.w3.org/2000/svg}script")
    assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title").text == "Tiêu đề <b>&"


def test_stats_text_uses_vietnamese_number_format():
    table = Table("x", "Năm", ("Năm", "Số"), (("2024", 3124),), chart="")
    assert "3.124" in format_tables([table], "table")

"""Open data as a journalist reuses it: the built sample's data/ files, feeds, citations.

Every exported record validates against the published JSON Schema, every CSV cell
round-trips through Python's csv, the feeds parse with feedparser, and the statistics
page shows the numbers `dvk stats` prints.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest

from sitefixtures import mini_project, sample_project  # noqa: F401  (fixtures)
from sitehelpers import FIXTURES, dvk, make_project


def load(site: Path, name: str):
    return json.loads((site / "data" / name).read_text("utf-8"))


@pytest.mark.parametrize("data, schema", [("entries.json", "entries.schema.json"), ("events.json", "events.schema.json"), ("places.json", "places.schema.json")])
def test_every_record_validates_against_the_published_schema(sample_project, data, schema):
    site = sample_project / "site"
    records = load(site, data)
    assert records
    jsonschema.Draft202012Validator(load(site, f"schema/{schema}")).validate(records)


def test_entries_json_has_every_entry_with_stable_ids_and_urls(sample_project):
    site = sample_project / "site"
    models = load(site, "entries.json")
    files = sorted(p.stem for p in (sample_project / "content/models").rglob("*.md"))
    assert sorted(r["id"] for r in models) == files
    for record in models:
        assert (site / record["url"] / "index.html").exists(), record["url"]


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM so Excel shows Vietnamese"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", ["entries", "events"])
def test_csv_round_trips_every_field(sample_project, name):
    site = sample_project / "site"
    records = {r["id"]: r for r in load(site, f"{name}.json")}
    rows = read_csv(site / "data" / f"{name}.csv")
    assert len(rows) == len(records)
    for row in rows:
        record = records[row["id"]]
        for column, cell in row.items():
            value = record.get(column)
            if value is None:
                assert cell == "", (row["id"], column)
            elif isinstance(value, (list, dict)):
                assert json.loads(cell) == value, (row["id"], column)
            else:
                assert cell == str(value), (row["id"], column)


def test_awards_csv_has_one_row_per_award(sample_project):
    site = sample_project / "site"
    rows = read_csv(site / "data" / "awards.csv")
    awards = sum(len(r.get("awards", [])) for r in load(site, "entries.json"))
    assert len(rows) == awards > 0
    jsonschema.validate(rows[0], load(site, "schema/awards.schema.json"))


def test_places_json_carries_the_2025_crosswalk_both_ways(sample_project):
    places = {p["id"]: p for p in load(sample_project / "site", "places.json")}
    new_units = [p for p in places.values() if p["formed_from"]]
    assert new_units
    for unit in new_units:
        for old in unit["formed_from"]:
            assert unit["id"] in places[old]["successors"]


def test_places_json_lists_units_in_vietnamese_order(sample_project):
    """As the site's lists do: Bạch Đằng before Bắc Từ Liêm, Cam Thượng before Cẩm Lĩnh
    (by id, "bac-tu-liem" came first)."""
    from generator.text import make_collator

    names = [p["name"] for p in load(sample_project / "site", "places.json")]
    collator = make_collator()
    assert all(collator.compare(a, b) <= 0 for a, b in zip(names, names[1:]))
    assert names.index("Bạch Đằng") < names.index("Bắc Từ Liêm")


class TableReader(HTMLParser):
    """Tables of the statistics page: {section id: [[cell, …], …]} from <tbody> rows."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section = None
        self.in_body = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2" and attrs.get("id"):
            self.section = attrs["id"]
        elif tag == "tbody":
            self.in_body = True
            self.tables[self.section] = []
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_statistics_page_shows_the_numbers_dvk_stats_prints(sample_project):
    printed = json.loads(dvk("stats", "--format", "json", cwd=sample_project).stdout)
    reader = TableReader()
    reader.feed((sample_project / "site/thong-ke/index.html").read_text("utf-8"))
    assert {t["id"] for t in printed} == set(reader.tables)
    for table in printed:
        shown = reader.tables[table["id"]]
        expected = [[str(r[0])] + [f"{v:,}".replace(",", ".") for v in r[1:]] for r in table["rows"]]
        assert shown == expected, table["id"]


def test_each_chart_has_its_csv_with_the_same_rows(sample_project):
    printed = json.loads(dvk("stats", "--format", "json", cwd=sample_project).stdout)
    folder = sample_project / "site/data/thong-ke/tat-ca"
    for table in printed:
        rows = list(csv.reader(io.StringIO((folder / f"{table['id']}.csv").read_text("utf-8-sig"))))
        assert rows[0] == table["columns"]
        assert rows[1:] == [[str(v) for v in r] for r in table["rows"]]


def test_year_and_district_statistics_pages_exist_and_are_linked(sample_project):
    site = sample_project / "site"
    html = (site / "thong-ke/index.html").read_text("utf-8")
    assert 'href="nam-2024/"' in html and 'href="tay-ho/"' in html
    page = (site / "thong-ke/tay-ho/index.html").read_text("utf-8")
    assert "Thống kê Quận Tây Hồ" in page


def test_export_command_writes_the_same_bytes_as_the_site(sample_project, tmp_path):
    done = dvk("export", "--output", str(tmp_path / "out"), cwd=sample_project)
    assert done.returncode == 0, done.stderr
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (sample_project / "site/data" / path.relative_to(tmp_path / "out")).read_bytes(), path.name


def test_no_feeds_without_site_url(sample_project):
    site = sample_project / "site"
    assert not (site / "feed.xml").exists()
    assert "application/atom+xml" not in (site / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def project_with_url(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("feeds") / "proj", FIXTURES / "site-mini" / "content")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("# site_url:", "site_url: https://dvk.example.vn/trung-bay/ #"), "utf-8")
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


def test_feeds_parse_and_hold_the_newest_entries(project_with_url):
    site = project_with_url / "site"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entries = load(site, "entries.json") + load(site, "events.json")
    assert len(feed.entries) == min(30, len(entries))
    newest_event = max(load(site, "events.json"), key=lambda e: e["date"])
    assert any(e.link.endswith(f"/su-kien/{newest_event['id']}/") for e in feed.entries)
    assert all(e.link.startswith("https://dvk.example.vn/trung-bay/") for e in feed.entries)
    home = (site / "index.html").read_text("utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home


def test_each_district_has_its_feed_linked_from_its_page(project_with_url):
    site = project_with_url / "site"
    district_pages = sorted((site / "quan-huyen").glob("*/index.html"))
    assert district_pages
    for page in district_pages:
        feed = feedparser.parse((page.parent / "feed.xml").read_bytes())
        assert not feed.bozo and feed.entries
        assert 'href="feed.xml"' in page.read_text("utf-8") or "feed.xml" in page.read_text("utf-8")


def test_entry_page_offers_a_citation_and_csl_json(project_with_url):
    site = project_with_url / "site"
    record = load(site, "entries.json")[0]
    assert record["url"].startswith("https://dvk.example.vn/trung-bay/mo-hinh/")
    page = (site / record["url"].removeprefix("https://dvk.example.vn/trung-bay/") / "index.html").read_text("utf-8")
    assert "Trích dẫn" in page and record["url"] in page and record["title"] in page
    csl = json.loads((site / f"data/trich-dan/{record['id']}.json").read_text("utf-8"))
    assert csl[0]["title"] == record["title"] and csl[0]["URL"] == record["url"]
    assert csl[0]["issued"]["date-parts"][0][0] == record["year"]

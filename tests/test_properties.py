"""Property-based tests (hypothesis): whatever an editor's file holds, dvk answers with an
entry or Vietnamese problem lines, never a traceback, and a story never becomes script.

Example counts are explicit (and reported in the safety notes, SECURITY.md); the whole
module runs in well under a minute on the CI machine.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generator.book.markup import render_markdown
from generator.check import Checker
from generator.imagecheck import ImageChecker
from generator.load import read_entry
from generator.model import ERROR
from generator.places import load_places
from generator.render.body import render_story_parts
from generator.render.core import place_story
from generator.schema import AWARD, EVENT_SPECS, IMAGE, MODEL_SPECS, SOURCE
from generator.text import toc_slugify
from generator.validate import build_entry
from hostile import find_script

LOADER_EXAMPLES = 300
FIELD_EXAMPLES = 300
STORY_EXAMPLES = 400
COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("prop") / "proj"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture(scope="module")
def places(project):
    return load_places(project / "content/places.yml", project)


def check_bytes(project: Path, places, data: bytes, collection: str = "models") -> None:
    """Load and validate one file's bytes; assert the documented outcome."""
    path = project / "content" / collection / "tay-ho" / "prop-entry.md"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    raw = read_entry(collection, path, project)
    checker = Checker(raw.path, raw.abs_path, project / "content", places, ImageChecker())
    entry = build_entry(raw, checker)
    problems = raw.problems + checker.problems
    for problem in problems:
        assert problem.path.endswith("prop-entry.md") and isinstance(problem.line, int) and problem.line >= 0
        assert problem.message and problem.format()
    if entry is None or raw.problems:
        assert any(p.severity == ERROR for p in problems), "refused without saying why"


# -- 1. arbitrary bytes -----------------------------------------------------------------------


@settings(max_examples=LOADER_EXAMPLES, **COMMON)
@given(st.one_of(st.binary(max_size=600), st.binary(max_size=300).map(lambda b: b"---\n" + b + b"\n---\n" + b)))
def test_arbitrary_bytes_give_an_entry_or_problem_lines(project, places, data):
    check_bytes(project, places, data)


# -- 2. arbitrary YAML structures and arbitrary values in every field ------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40),
    st.dates(min_value=dt.date(1900, 1, 1)), st.sampled_from(["tay-ho", "nhat-tan", "2024", "model", "kinh-te", "", " ", "~", "null", "0912 345 678"]),
)  # fmt: skip
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)

VALID_MODEL = {
    "kind": "model", "title": "Ngày không giấy hẹn", "unit": "UBND phường Nhật Tân", "district": "tay-ho", "ward": "nhat-tan",
    "field": "kinh-te", "level": "quan", "year": 2024, "summary": "Một hai câu.", "results": ["Kết quả"],
    "awards": [{"title": "Giấy khen", "level": "quan", "year": 2024}], "images": [{"src": "anh/giay-khen.png", "caption": "Ảnh"}],
    "tags": ["a"], "sources": [{"title": "Bài", "url": "https://a.vn/x"}], "public_contact": ["024 3825 1234"],
}  # fmt: skip
MODEL_KEYS = [s.key for s in MODEL_SPECS] + ["khoa-la", "Title"]
NESTED = {"awards": AWARD, "images": IMAGE, "sources": SOURCE}


@st.composite
def front_matter(draw):
    """A valid model with some keys (top-level or inside a list item) given arbitrary values."""
    meta = yaml.safe_load(yaml.safe_dump(VALID_MODEL))
    for key in draw(st.lists(st.sampled_from(MODEL_KEYS + [f"{k}.{s.key}" for k, rec in NESTED.items() for s in rec.specs]), max_size=4)):
        top, _, inner = key.partition(".")
        if inner:
            meta[top] = [dict(meta.get(top, [{}])[0] if isinstance(meta.get(top), list) and meta[top] and isinstance(meta[top][0], dict) else {}, **{inner: draw(values)})]
        elif draw(st.booleans()):
            meta[key] = draw(values)
        else:
            meta.pop(key, None)
    return meta


def dump(meta) -> bytes:
    return ("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nCâu chuyện.\n").encode("utf-8")


@settings(max_examples=FIELD_EXAMPLES, **COMMON)
@given(st.one_of(front_matter(), values))
def test_arbitrary_values_in_every_field_give_an_entry_or_problem_lines(project, places, meta):
    check_bytes(project, places, dump(meta))


def test_the_valid_model_above_is_valid(project, places):
    path = project / "content/models/tay-ho/prop-entry.md"
    path.write_bytes(dump(VALID_MODEL))
    raw = read_entry("models", path, project)
    checker = Checker(raw.path, raw.abs_path, project / "content", places, ImageChecker())
    assert build_entry(raw, checker) is not None, [p.format() for p in checker.problems]


def test_event_keys_are_covered_too(project, places):
    for spec in EVENT_SPECS:  # every event key with a list where a word belongs: problems, no exception
        check_bytes(project, places, dump({"title": "x", "type": "hoi-thi", "date": "2024-07-31", spec.key: [{"a": 1}]}), "events")


# -- 3. arbitrary stories never make script ------------------------------------------------

FRAGMENTS = [
    "javascript:", "JaVaScRiPt:", "&#106;avascript:", "java\tscript:", "vbscript:", "data:text/html,", "<script>", "</script>",
    "<img src=x onerror=", "onerror=", "onmouseover=", " onload=", "{: ", "}", "[", "]", "(", ")", "![", "<", ">", "`", "``",
    "\\", "\n", "\n\n", "> ", "- ", "1. ", "# ", "## ", "|", "|-|", "&", "&amp;", "&#x3C;", "&lt;", '"', "'", "=", "*", "_",
    "<a href=", "<svg", "<iframe", "<style>", "https://a.vn", "mailto:a@b.vn", "[x]: ", "    ", "\t", "Câu chuyện ", "alert(1)",
]  # fmt: skip
stories = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join)
_PAGE_MARKDOWN = markdown.Markdown(extensions=["toc", "tables"], extension_configs={"toc": {"slugify": toc_slugify}})


@settings(max_examples=STORY_EXAMPLES, **COMMON)
@given(stories)
def test_arbitrary_stories_never_make_script_on_the_page_or_in_the_book(body):
    parts = render_story_parts(body, seconds=2.0)  # raises StoryTooSlow past the budget: the test fails
    markdown_text, blocks = place_story(parts, (), "tok")
    page = _PAGE_MARKDOWN.reset().convert(markdown_text)  # what mkdocs makes of the heading lines
    assert find_script(page) == [] and all(find_script(block) == [] for block in blocks), body
    assert find_script(render_markdown(body, seconds=2.0)) == [], body


def test_stats_split_by_scope_keeps_what_each_scope_keeps():
    """The statistics pages count each year and district from one pass over the site
    (stats.split_by_scope): the same entries, in the same order, as filtering per scope."""
    from generator.derive import derive_site
    from generator.stats import Scope, collect_tables, split_by_scope
    from generator.validate import validate_content

    content = validate_content(Path(__file__).parent / "fixtures" / "site-mini")
    site = derive_site(content.entries, content.places)
    split = split_by_scope(site)
    scopes = [Scope(), *(Scope(year=y) for y in site.years()), *(Scope(district=p.id) for p in site.districts())]
    for scope in scopes:
        assert split[scope] == ([m for m in site.models if scope.keeps(m)], [e for e in site.events if scope.keeps(e)])
        assert collect_tables(site, scope, split[scope]) == collect_tables(site, scope)

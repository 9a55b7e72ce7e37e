"""A hostile editor's entries, built end to end and opened in Chromium: nothing runs, nothing leaks.

Every front-matter text (titles, summary, unit, position, results, award titles, bodies,
decisions, captions, credits, tags, source titles, organiser, place, contest recipients)
and every story construct that once ran script (tests/hostile.py) carries a payload that
would set `window.__pwned`, call alert() or log a marker. The test opens every page of
the built site, taps every photo (lightbox), runs searches with payload text, and checks
that no payload ran, no dialog opened, no request left the site, and that the built HTML
has no event-handler attribute or script URL (html.parser, not regexes).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from hostile import STORY_PAYLOADS, find_script
from sitehelpers import SITE_MINI, dvk, make_project
from test_browser import Watch, browser, search, serve, shot  # noqa: F401 (browser is a fixture)

MARK = "__pwned"
TEMPLATES = (
    '"><img src=x onerror=window.{m}="{tag}">',
    "</script><script>window.{m}='{tag}'</script>",
    "<svg/onload=window.{m}='{tag}'>",
    "'\"><a href=javascript:window.{m}='{tag}'>x</a>",
    "{{: onclick=window.{m}='{tag}'}}",
    "<img src=x onerror=alert('{tag}')>",
    "<script>console.log('{m}-{tag}')</script>",
)


def payload(tag: str, index: int = 0) -> str:
    """A short text that runs script if it ever reaches HTML or JavaScript unescaped."""
    return "Chữ " + TEMPLATES[index % len(TEMPLATES)].format(m=MARK, tag=tag)


def hostile_model(kind: str = "model") -> dict:
    count = iter(range(100))
    p = lambda tag: payload(tag, next(count))  # noqa: E731
    meta = {
        "kind": kind,
        "title": p("title"),
        "unit": p("unit"),
        "district": "tay-ho",
        "ward": "nhat-tan",
        "field": "kinh-te",
        "level": "quan",
        "year": 2024,
        "summary": p("summary"),
        "results": [p("result"), p("result2")],
        "awards": [
            {"title": p("award-title"), "level": "quan", "year": 2024, "by": p("award-by"), "decision": p("award-decision"), "event": "hoi-thi-hostile-2024", "image": "anh/giay-khen.png"},
            {"title": p("award-title2"), "level": "thanh-pho", "year": 2023, "rank": "nhat", "image": "anh/giay-khen.png"},
        ],
        "images": [
            {"src": "anh/giay-khen.png", "caption": p("caption"), "credit": p("credit")},
            {"src": "anh/giay-khen.png", "caption": p("caption2"), "credit": p("credit2")},
        ],
        "related": ["ngay-khong-giay-hen"],
        "tags": [p("tag")[:60], "<b>tag</b>"],
        "sources": [{"title": p("source"), "url": "https://example.org/bai?a=1&b=2"}],
    }
    if kind == "exemplar":
        meta.update(subject="person", position=p("position"))
    return meta


def hostile_event() -> dict:
    return {
        "title": payload("event-title", 1),
        "type": "hoi-thi",
        "date": "2024-07-31",
        "district": "tay-ho",
        "organizer": payload("organizer", 2),
        "location": payload("location", 3),
        "summary": payload("event-summary", 4),
        "results": [{"rank": "nhat", "recipient": "hostile-model"}, {"rank": "nhi", "recipient": payload("recipient", 5)}],
        "figures": {"doi_thi": 10, "nguoi_tham_du": {"label": payload("figure-label", 3)[:100], "value": 1500}},
        "images": [{"src": "../models/tay-ho/anh/giay-khen.png", "caption": payload("event-caption", 6), "credit": payload("event-credit", 0)}],
        "tags": [payload("event-tag", 2)[:60]],
    }


STORY = "\n\n".join(
    [
        "## Bối cảnh",
        *(f"{text}" for text in STORY_PAYLOADS.values()),
        "## Cách làm <img src=x onerror=window.__pwned='heading'>",
        "![ảnh](https://tracker.example/pixel.png) [bấm](https://example.org/ok) <https://example.org/auto>",
        "### Kết quả {: onclick=window.__pwned='h3'}",
        "Hết.",
    ]
)


def write_entry(path: Path, meta: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "proj", SITE_MINI / "content")
    models = project / "content/models/tay-ho"
    write_entry(models / "hostile-model.md", hostile_model(), STORY)
    write_entry(models / "hostile-exemplar.md", hostile_model("exemplar"), STORY)
    write_entry(project / "content/events/hoi-thi-hostile-2024.md", hostile_event(), STORY)
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html"))


def test_built_html_has_no_handler_attribute_or_script_url(hostile_project):
    site = hostile_project / "site"
    pages = site_pages(site)
    assert len(pages) > 20
    for path in pages:
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert find_script(html, allow_scripts=True) == [], path
        assert "tracker.example" not in html, path  # a story image is never loaded from elsewhere
    entry = (site / "mo-hinh/hostile-model/index.html").read_text(encoding="utf-8")
    assert "Chữ &#34;&gt;&lt;img src=x onerror=" in entry or "Chữ &quot;&gt;&lt;img src=x onerror=" in entry  # shown as words
    assert 'id="cach-lam-img-srcx-onerrorwindow__pwnedheading"' in entry or ">Cách làm &lt;img" in entry


def test_no_payload_runs_when_a_citizen_opens_pages_taps_photos_and_searches(browser, hostile_project):
    site = hostile_project / "site"
    ran: list[str] = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
        page = context.new_page()
        watch = Watch(context, page, base)
        page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda msg: ran.append(f"console: {msg.text}") if MARK in msg.text else None)
        watch.errors_ignored = []
        taps = 0
        try:
            for path in site_pages(site):
                page.goto(base + path)
                page.wait_for_load_state("load")
                for index in range(page.locator("a.dvk-lightbox").count()):
                    link = page.locator("a.dvk-lightbox").nth(index)
                    if not link.is_visible():
                        continue
                    link.scroll_into_view_if_needed()
                    link.click()
                    page.wait_for_selector(".dvk-lb:not([hidden])")
                    assert page.locator(".dvk-lb__title").inner_text() == link.get_attribute("data-caption")
                    if path == "mo-hinh/hostile-model/" and index == 0:
                        shot(page, "hostile-lightbox-360")
                    page.keyboard.press("Escape")
                    page.wait_for_selector(".dvk-lb", state="hidden")
                    taps += 1
                if page.evaluate(f"window.{MARK}") is not None:
                    ran.append(f"{path}: window.{MARK}={page.evaluate(f'window.{MARK}')}")
            assert taps >= 10  # entry, exemplar, event, awards gallery, district and ward pages
            for query in ("img src onerror", "<script>window.__pwned", "chu svg onload", '"><img src=x onerror=alert(1)>', "hostile"):
                if query == "hostile":
                    page.goto(base + "tim-kiem/?q=" + "onclick")
                    page.wait_for_selector(".dvk-result__title a", timeout=15_000)
                else:
                    try:
                        search(page, base, query)
                    except Exception:  # a query may find nothing; the page must still be safe
                        page.wait_for_timeout(500)
                if page.evaluate(f"window.{MARK}") is not None:
                    ran.append(f"search {query!r}: window.{MARK}")
            results = page.locator(".dvk-result__title a")
            assert results.count() > 0
            shot(page, "hostile-search-360")
            results.first.click()
            page.wait_for_load_state("load")
            assert page.evaluate(f"window.{MARK}") is None
        finally:
            context.close()
    assert ran == [], ran
    assert watch.foreign == [], watch.foreign
    assert [e for e in watch.errors if MARK in e] == []

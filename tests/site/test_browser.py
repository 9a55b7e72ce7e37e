"""A citizen's path through the built site in headless Chromium (Debian's, via Playwright).

Fails on any console error and on any request to a host other than the local server.
In CI (CI=true) these tests must run: a missing Chromium or Playwright is a failure.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.derive import derive_site
from generator.text import fold, normalize_tone_placement
from generator.validate import validate_content
from sitefixtures import mini_project, sample_project  # noqa: F401 (fixtures)
from sitehelpers import REPO, dvk, make_project, serve_site

CHROMIUM = Path(os.environ.get("DVK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "tests" / "artifacts" / "site"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed (CI must run the browser tests)")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing (CI must run the browser tests)")
        pytest.skip(f"{CHROMIUM} is missing")


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@contextmanager
def serve(site: Path):
    """The built site on 127.0.0.1 (a random free port), as a static host that sends the
    build's precompressed copies and its 404 page (bench/localsite.py)."""
    server, base = serve_site(site)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """Console errors and foreign requests of one browser page (foreign ones are aborted)."""

    def __init__(self, context, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        origin = urlsplit(base).netloc
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

        def route(route):
            if urlsplit(route.request.url).netloc != origin:
                self.foreign.append(route.request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", route)

    def check(self):
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


@contextmanager
def phone(browser, site: Path):
    """A 360 px wide page on the served site, checked for errors when the block ends."""
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1, locale="vi-VN")
        page = context.new_page()
        watch = Watch(context, page, base)
        try:
            yield page, base
            watch.check()
        finally:
            context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def search(page, base: str, query: str) -> list[str]:
    """Type a query in the header box, as a citizen does; return result links in order."""
    page.fill("#dvk-q", query)
    page.press("#dvk-q", "Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/"))
    wait_for_results(page)
    return result_paths(page)


def wait_for_results(page) -> None:
    """The search page sets aria-busy=false on its list once results (or none) are drawn."""
    page.wait_for_selector(".dvk-search__results[aria-busy=false]", state="attached", timeout=15_000)


def result_paths(page) -> list[str]:
    return [urlsplit(href).path for href in page.eval_on_selector_all(".dvk-result a", "els => els.map(e => e.href)")]


# -- the path a citizen takes ----------------------------------------------------------------


def test_home_district_entry_and_search_on_a_phone(browser, sample_project):
    site = sample_project / "site"
    with phone(browser, site) as (page, base):
        page.goto(base)
        assert page.locator("h1").first.inner_text().startswith("Dân vận khéo")
        shot(page, "1-home-360")
        page.locator("#dvk-menu-button").click()  # the phone menu holds the sections
        page.locator(".md-nav--primary a", has_text="Địa bàn").first.click()
        page.wait_for_url(re.compile(r"/dia-ban/$"))
        page.locator(".dvk-district .dvk-more a").first.click()
        page.wait_for_url(re.compile(r"/quan-huyen/[a-z0-9-]+/$"))
        district = page.locator("h1").first.inner_text()
        assert district.startswith(("Quận", "Huyện", "Thị xã"))
        shot(page, "2-district-360")
        card = page.locator(".dvk-card__title a").first
        title = card.inner_text()
        card.click()
        page.wait_for_url(re.compile(r"/(mo-hinh|dien-hinh|su-kien)/[a-z0-9-]+/$"))
        assert page.locator("h1").first.inner_text() == title
        assert district in page.locator(".dvk-crumbs").inner_text()
        shot(page, "3-entry-360")
        results = search(page, base, "dinh cong")
        shot(page, "4-search-360")
        page.locator(".dvk-result a").first.click()
        page.wait_for_url(re.compile(r"/(mo-hinh|dien-hinh|su-kien)/"))
        assert "Định Công" in page.locator("article").inner_text()
        shot(page, "5-result-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "page wider than the phone"


QUERIES = {
    "dan van kheo tay ho": r"\bdan van kheo\b.*\btay ho\b",
    "30 phut vi dan": r"\b30 phut vi dan\b",
    "dinh cong": r"\bdinh cong\b",
    "hoa giai": r"\bhoa giai\b",
}


def _entry_paths(project: Path) -> dict[str, str]:
    """Site path of each entry -> folded title + summary + place names (what should match)."""
    content = validate_content(project)
    site = derive_site(content.entries, content.places)
    roots = {"model": "mo-hinh", "exemplar": "dien-hinh", "event": "su-kien"}
    texts = {}
    for entry in site.entries.values():
        places = " ".join(p.name for p in (entry.ward, site.places.get(entry.district_id or "")) if p)
        texts[f"/{roots[entry.kind.id]}/{entry.id}/"] = fold(normalize_tone_placement(f"{entry.title} {entry.summary} {places}"))
    return texts


@pytest.mark.parametrize("project_name", ["sample", "mini"])
def test_unaccented_queries_rank_a_matching_entry_first(browser, project_name, request):
    project = request.getfixturevalue(f"{project_name}_project")
    texts = _entry_paths(project)
    checked = 0
    with phone(browser, project / "site") as (page, base):
        page.goto(base)
        for query, pattern in QUERIES.items():
            matching = {path for path, text in texts.items() if re.search(pattern, text)}
            if not matching:
                continue  # this corpus has no entry reading these words
            results = search(page, base, query)
            assert results and results[0] in matching, (query, results[:3], sorted(matching))
            checked += 1
    assert checked >= (2 if project_name == "sample" else 2)


def test_hidden_entry_is_found_first_without_diacritics_and_with_the_other_tone_placement(browser, tmp_path):
    """An entry added to a copy of the sample, searched as a citizen would type it."""
    project = make_project(tmp_path / "proj", REPO / "content")
    hidden = project / "content/models/an/khu-pho-hoa-thuan-thuy-chung.md"
    hidden.parent.mkdir(parents=True)
    hidden.write_text(
        "---\nkind: model\ntitle: \"Khu phố hoà thuận, thuỷ chung ở Đống Đa\"\nunit: \"Tổ dân phố số 7\"\n"
        "district: dong-da\nfield: van-hoa-xa-hoi\nlevel: co-so\nyear: 2024\n"
        "summary: \"Các hộ trong khu phố cùng giữ nếp sống hoà thuận.\"\n---\nCâu chuyện của khu phố: mỗi nhà nuôi một con **heo đất** để góp quỹ.\n",
        encoding="utf-8",
    )
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stderr
    with phone(browser, project / "site") as (page, base):
        page.goto(base)
        for query in ("khu pho hoa thuan thuy chung", "khu phố hòa thuận thủy chung", "hoa thuan dong da", "heo dat", "HEO ĐẤT"):
            results = search(page, base, query)
            assert results[:1] == ["/mo-hinh/khu-pho-hoa-thuan-thuy-chung/"], (query, results[:3])
        page.locator(".dvk-result a").first.click()
        page.wait_for_url(re.compile(r"/mo-hinh/khu-pho-hoa-thuan-thuy-chung/$"))
        shot(page, "6-hidden-entry-360")


def test_accented_and_unaccented_queries_give_the_same_results(browser, mini_project):
    """The query is folded like the index (đ, marks, both tone placements): one search."""
    with phone(browser, mini_project / "site") as (page, base):
        page.goto(base)
        plain = search(page, base, "dinh cong")
        assert plain and plain[0] == "/mo-hinh/to-hoa-giai-dinh-cong/"
        for query in ("Định Công", "ĐỊNH CÔNG", "định  công!"):
            assert search(page, base, query) == plain, query
        assert search(page, base, "tổ hoà giải") == search(page, base, "to hòa giai")


def test_search_filters_show_counts_and_narrow_results(browser, mini_project):
    with phone(browser, mini_project / "site") as (page, base):
        page.goto(base)
        results = search(page, base, "dan van")
        page.locator(".dvk-search__toggle").click()
        labels = page.locator(".dvk-search__group-name").all_inner_texts()
        assert {"Địa bàn", "Lĩnh vực", "Cấp", "Năm"} <= {l.strip() for l in labels}
        page.locator("summary", has_text="Địa bàn").click()
        option = page.locator(".dvk-search__option", has_text="Quận Nam Từ Liêm")
        count = int(re.search(r"\((\d+)\)", option.inner_text()).group(1))
        option.locator("label").click()
        wait_for_results(page)
        narrowed = result_paths(page)
        assert narrowed and len(narrowed) <= len(results)
        assert len(narrowed) == count, (count, narrowed)  # the count said what ticking it gives
        assert all("xuan-phuong" in p or "hoi-thi" in p for p in narrowed), narrowed
        assert "(1)" in page.locator(".dvk-search__toggle").inner_text()
        shot(page, "7-filters-360")


# -- galleries and the lightbox ------------------------------------------------------------


def test_awards_gallery_and_event_gallery_on_a_phone_with_lightbox(browser, sample_project):
    site = sample_project / "site"
    with phone(browser, site) as (page, base):
        page.goto(base + "khen-thuong/")
        page.wait_for_selector(".dvk-awards-grid img")
        shot(page, "8-awards-gallery-360")
        page.evaluate("window.scrollTo(0, document.querySelector('.dvk-awards-grid').offsetTop - 60)")
        shot(page, "8b-awards-gallery-cards-360")
        # no layout shift: every image reserves its box before it loads
        assert page.eval_on_selector_all(".dvk-award img", "els => els.every(e => e.getBoundingClientRect().height > 40)")
        # the filter narrows the cards (JavaScript on)
        total = page.locator(".dvk-award:visible").count()
        level = page.eval_on_selector("form[data-dvk-filter] select[name=level] option:nth-child(2)", "o => o.value")
        page.select_option("form[data-dvk-filter] select[name=level]", level)
        assert 0 < page.locator(".dvk-award:visible").count() <= total
        page.select_option("form[data-dvk-filter] select[name=level]", "")
        # the lightbox: opens on a card, arrow keys and swipes move, Escape closes, focus returns
        opener = page.locator(".dvk-award a.dvk-lightbox").first
        opener.click()
        page.wait_for_selector(".dvk-lb:not([hidden]) .dvk-lb__img")
        first = page.eval_on_selector(".dvk-lb__img", "e => e.src")
        assert page.locator(".dvk-lb__title").inner_text().strip() == opener.get_attribute("data-caption")
        assert page.eval_on_selector(".dvk-lb__img", "e => e.complete && e.naturalWidth > 0") or page.wait_for_function("document.querySelector('.dvk-lb__img').naturalWidth > 0")
        labels = page.eval_on_selector_all(".dvk-lb button:not([hidden])", "els => els.map(e => e.getAttribute('aria-label'))")
        assert labels == ["Ảnh sau", "Đóng"]  # first photo: no "Ảnh trước"
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Đóng"
        shot(page, "8c-lightbox-360")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("s => document.querySelector('.dvk-lb__img').src !== s", arg=first)
        for _ in range(4):  # Tab stays inside the viewer
            page.keyboard.press("Tab")
            assert page.evaluate("!!document.activeElement.closest('.dvk-lb')")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("s => document.querySelector('.dvk-lb__img').src === s", arg=first)
        page.evaluate("""() => { const box = document.querySelector('.dvk-lb');
            const touch = x => [new Touch({identifier: 1, target: box, clientX: x, clientY: 300})];
            box.dispatchEvent(new TouchEvent('touchstart', {changedTouches: touch(300), bubbles: true}));
            box.dispatchEvent(new TouchEvent('touchend', {changedTouches: touch(100), bubbles: true})); }""")
        page.wait_for_function("s => document.querySelector('.dvk-lb__img').src !== s", arg=first)
        page.keyboard.press("Escape")
        page.wait_for_selector(".dvk-lb", state="hidden")
        assert page.evaluate("document.activeElement.classList.contains('dvk-lightbox')")
        page.goto(base + "su-kien/hoi-thi-dan-van-kheo-nam-tu-liem-2024/")
        page.locator("#anh-khen-thuong-tai-su-kien").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        shot(page, "9-event-gallery-360")


def test_without_javascript_a_gallery_image_is_a_link_to_the_large_jpeg(browser, sample_project):
    with serve(sample_project / "site") as base:
        context = browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(base + "khen-thuong/")
            assert page.locator("form[data-dvk-filter]").is_hidden()  # the filter needs JavaScript
            with page.expect_navigation() as nav:
                page.locator(".dvk-award a.dvk-lightbox").first.click()
            response = nav.value
            assert response.ok and response.headers["content-type"] == "image/jpeg"
        finally:
            context.close()


def test_a_keyboard_user_skips_to_the_content_and_opens_the_menu_on_a_phone(browser, sample_project):
    """Tab, Enter: the first stop on every page is one skip link that lands on the content
    (material's existed only on pages with sub-headings, and led past the title); the menu
    button takes focus and opens with Enter or Space; while the menu is closed, its links
    (off-screen) take no focus."""
    site = sample_project / "site"
    with phone(browser, site) as (page, base):
        for path in ("", "thong-ke/", "tim-kiem/", "404.html"):
            page.goto(base + path)
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent.trim()") == "Bỏ qua, đến nội dung chính", path
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "__noi-dung", path
            assert page.evaluate("!!document.activeElement.closest('main')"), path
        page.goto(base)
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            stops.append(page.evaluate("(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
                                       " return [e.id, r.right > 0 && r.left < innerWidth, !!e.closest('.md-sidebar--primary')] })()"))
        assert [stop for stop in stops if stop[2] or not stop[1]] == []  # nothing off-screen, nothing in the closed menu
        assert stops[1][0] == "dvk-menu-button"
        page.focus("#dvk-menu-button")
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('__drawer').checked")
        assert page.get_attribute("#dvk-menu-button", "aria-expanded") == "true"
        page.keyboard.press(" ")
        assert not page.evaluate("document.getElementById('__drawer').checked")
        assert page.get_attribute("#dvk-menu-button", "aria-expanded") == "false"


def test_an_empty_search_says_what_to_type(browser, mini_project):
    """Enter on an empty box showed nothing at all."""
    with phone(browser, mini_project / "site") as (page, base):
        page.goto(base + "tim-kiem/?q=hoa")
        wait_for_results(page)
        assert result_paths(page)
        page.fill("#dvk-search-q", "")
        page.press("#dvk-search-q", "Enter")
        page.wait_for_function("document.querySelector('.dvk-search__status').textContent.includes('Gõ từ cần tìm')", timeout=15_000)
        assert result_paths(page) == []

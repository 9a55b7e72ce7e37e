"""The search page as a citizen uses it, in Chromium: filters, ranking, results, keyboard, hostile text.

A scratch project (the mini fixture plus a few entries written here) is built once for
the module: one entry names a phrase in its title, another scatters the same words many
times in its story; two carry markup and script in every field a result shows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import generator.search.index as search_index
from generator.derive import derive_site
from generator.render.search import FILTER_ORDER
from generator.search import BUNDLE, collect_search_records
from generator.text import fold
from generator.validate import validate_content
from sitefixtures import sample_project  # noqa: F401 (fixture)
from sitehelpers import SITE_MINI, dvk, make_project
from test_browser import browser, phone, result_paths, serve, shot, wait_for_results  # noqa: F401 (fixture)

ROOTS = {"model": "mo-hinh", "exemplar": "dien-hinh", "event": "su-kien"}
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1"> Tổ "hòa giải" <script>window.pwned=2</script>'
EXTRA = {
    "models/an/hoi-thao-duong-lang.md": (
        'title: "Đường làng sạch đẹp ở Đông Anh"\nunit: "Hội Phụ nữ xã Đông Anh"\ndistrict: dong-da\n'
        'summary: "Hội viên cùng giữ đường làng sạch đẹp."\n', "Câu chuyện của hội viên."
    ),
    "models/an/nhieu-chu-rai-rac.md": (
        'title: "Vì môi trường xanh"\nunit: "Tổ dân phố số 9"\ndistrict: dong-da\nsummary: "Tổ dân phố giữ môi trường."\n',
        " ".join(["Mỗi tuần người dân quét đường. Lối vào làng trồng thêm cây."] * 12),
    ),
    "models/an/doc-hai.md": (
        f"title: '{HOSTILE_TITLE}'\nunit: \"<b>UBND</b> phường\"\ndistrict: tay-ho\n"
        'summary: "<svg onload=window.pwned=3> tóm tắt & ‘x’"\n', "Thân bài <script>window.pwned=4</script>."
    ),
}


@pytest.fixture(scope="module")
def search_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("search") / "proj", SITE_MINI / "content")
    for name, (front, body) in EXTRA.items():
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nkind: model\n{front}field: kinh-te\nlevel: co-so\nyear: 2024\n---\n{body}\n", encoding="utf-8")
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


def entry_titles(project: Path) -> dict[str, str]:
    content = validate_content(project)
    site = derive_site(content.entries, content.places)
    return {f"/{ROOTS[e.kind.id]}/{e.id}/": e.title for e in site.entries.values()}


def ask(page, query: str) -> list[str]:
    """Type a query in the page's own box and press Enter; the result paths in order."""
    page.fill("#dvk-search-q", query)
    page.press("#dvk-search-q", "Enter")
    wait_for_results(page)
    return result_paths(page)


def group_names(page) -> list[str]:
    return [name.split("(")[0].strip() for name in page.locator(".dvk-search__group-name").all_inner_texts()]


def test_every_filter_group_appears_on_every_load(browser, sample_project):
    """25 fresh loads, each with a query in the address: all five groups, every time."""
    with serve(sample_project / "site") as base:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        try:
            for n in range(25):
                page = context.new_page()
                page.goto(base + ("tim-kiem/?q=dan+van" if n % 2 else "tim-kiem/?q=" + "Định Công"))
                wait_for_results(page)
                assert group_names(page) == list(FILTER_ORDER), (n, group_names(page))
                page.close()
        finally:
            context.close()


def test_accented_and_unaccented_queries_rank_alike_and_put_the_place_first(browser, sample_project):
    with phone(browser, sample_project / "site") as (page, base):
        page.goto(base + "tim-kiem/")
        accented, plain = ask(page, "Định Công"), ask(page, "dinh cong")
        assert accented == plain
        assert accented[0] == "/mo-hinh/ngay-cuoi-tuan-xanh-dinh-cong/"


def test_each_title_accented_unaccented_or_other_tone_placement_finds_its_entry_first(browser, search_project):
    titles = entry_titles(search_project)
    with phone(browser, search_project / "site") as (page, base):
        page.goto(base + "tim-kiem/")
        for path, title in titles.items():
            same = {p for p, t in titles.items() if fold(t) == fold(title)}
            swapped = title.replace("hòa", "hoà").replace("thủy", "thuỷ") if "hòa" in title or "thủy" in title else title.replace("hoà", "hòa").replace("thuỷ", "thủy")
            for query in {title, fold(title), swapped}:
                found = ask(page, query)
                assert found and found[0] in same, (query, found[:3], path)


def test_a_phrase_in_the_title_ranks_above_the_same_words_scattered_in_a_story(browser, search_project):
    with phone(browser, search_project / "site") as (page, base):
        page.goto(base + "tim-kiem/")
        for query in ("đường làng", "duong lang"):
            found = ask(page, query)
            assert found[0] == "/mo-hinh/hoi-thao-duong-lang/", (query, found)
            assert "/mo-hinh/nhieu-chu-rai-rac/" in found  # found, but below


def test_results_show_kind_place_and_date_and_entry_text_stays_text(browser, search_project):
    with phone(browser, search_project / "site") as (page, base):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "tim-kiem/")
        for query in ("<script>window.pwned=2</script>", "onerror", "svg onload", "hoa giai"):
            ask(page, query)
        found = ask(page, "img onerror")
        assert found[0] == "/mo-hinh/doc-hai/"
        first = page.locator(".dvk-result").first
        assert first.locator("a").inner_text() == HOSTILE_TITLE
        assert first.locator(".dvk-result__facts").inner_text() == "Mô hình · quận Tây Hồ · 2024"
        assert "<svg onload=window.pwned=3>" in first.locator(".dvk-result__summary").inner_text()
        assert page.evaluate("window.pwned") is None and dialogs == []
        assert page.locator("#dvk-search img, #dvk-search script, #dvk-search svg, #dvk-search b").count() == 0
        status = page.locator(".dvk-search__status").inner_text()
        assert "img onerror" in status
        shot(page, "9-search-hostile-360")


def test_on_a_phone_filters_fold_behind_one_button_and_the_first_result_is_on_screen(browser, sample_project):
    with phone(browser, sample_project / "site") as (page, base):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(base + "tim-kiem/?q=dan+van")
        wait_for_results(page)
        assert not page.locator(".dvk-search__filters").is_visible()
        box = page.locator(".dvk-result").first.locator("a").bounding_box()
        assert box and box["y"] + box["height"] <= 740, box
        toggle = page.locator(".dvk-search__toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator(".dvk-search__filters").is_visible()
        page.locator("summary", has_text="Năm").click()
        page.locator(".dvk-search__option label", has_text="2024").click()
        wait_for_results(page)
        page.locator("summary", has_text="Loại").click()
        page.locator(".dvk-search__option label", has_text="Mô hình").click()
        wait_for_results(page)
        assert re.search(r"Bộ lọc\s*\(2\)", toggle.inner_text()), toggle.inner_text()
        facts = page.locator(".dvk-result__facts").all_inner_texts()
        assert facts and all(f.startswith("Mô hình") and f.endswith("2024") for f in facts), facts
        assert parse_qs(urlsplit(page.url).query) == {"q": ["dan van"], "Năm": ["2024"], "Loại": ["Mô hình"]}  # shareable
        shot(page, "10-search-filters-open-360")


def test_the_search_works_from_the_keyboard_alone(browser, sample_project):
    with phone(browser, sample_project / "site") as (page, base):
        page.goto(base + "tim-kiem/")
        page.wait_for_selector(".dvk-search__group", state="attached")
        page.locator("#dvk-search-q").focus()
        page.keyboard.type("dan van")
        page.keyboard.press("Enter")
        wait_for_results(page)
        before = len(result_paths(page))
        page.keyboard.press("Tab")  # the Tìm button
        page.keyboard.press("Tab")  # the filter toggle
        assert page.evaluate("document.activeElement.classList.contains('dvk-search__toggle')")
        page.keyboard.press("Enter")
        assert page.locator(".dvk-search__toggle").get_attribute("aria-expanded") == "true"
        page.keyboard.press("Tab")  # first group
        page.keyboard.press("Enter")  # opens it
        page.keyboard.press("Tab")  # its first value
        page.keyboard.press("Space")
        wait_for_results(page)
        assert len(result_paths(page)) <= before
        assert page.evaluate("document.activeElement.type") == "checkbox"
        page.keyboard.press("Escape")  # closes the panel, back on the toggle
        assert page.locator(".dvk-search__toggle").get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('dvk-search__toggle')")
        # results are links reached with Tab
        page.locator(".dvk-result a").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/(mo-hinh|dien-hinh|su-kien)/[a-z0-9-]+/$"))


def _site_copy(project: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(project / "site", site)
    return site


def test_the_word_being_typed_matches_longer_words_until_it_opens_too_many_shards(browser, search_project, tmp_path, monkeypatch):
    """"duong la" finds "Đường làng" while "la" is typed; an index that lets no shard be
    opened for a word being typed searches the words before it meanwhile."""
    with phone(browser, search_project / "site") as (page, base):
        page.goto(base + "tim-kiem/")
        typing = ask(page, "duong la")
        assert set(typing[:2]) == {"/mo-hinh/hoi-thao-duong-lang/", "/mo-hinh/duong-lang-sach-dong-da/"}, typing
        assert ask(page, "duong la ") == []  # a finished "la" is a word of its own: no entry has it
    site = _site_copy(search_project, tmp_path)
    content = validate_content(search_project)
    monkeypatch.setattr(search_index, "MAX_PREFIX_SHARDS", 0)
    search_index.write_search_index(collect_search_records(derive_site(content.entries, content.places)), site)
    with phone(browser, site) as (page, base):
        page.goto(base + "tim-kiem/")
        assert ask(page, "duong la") == ask(page, "duong ")


def test_names_of_javascript_objects_are_plain_words(browser, search_project):
    """"constructor" as a query or as a filter in a shared address finds nothing, breaks nothing."""
    with phone(browser, search_project / "site") as (page, base):
        page.goto(base + "tim-kiem/?q=constructor&constructor=x&__proto__=y")
        wait_for_results(page)
        assert result_paths(page) == [] and "Không tìm thấy" in page.locator(".dvk-search__status").inner_text()
        assert ask(page, "hoa giai")  # the page still searches


def test_an_index_that_cannot_be_loaded_says_so(browser, search_project, tmp_path):
    """A shard gone (a connection dropped, the site replaced meanwhile): a Vietnamese line,
    no stale results, the list no longer busy."""
    site = _site_copy(search_project, tmp_path)
    for shard in (site / BUNDLE / "w").iterdir():
        shard.unlink()
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
        try:
            page = context.new_page()
            page.goto(base + "tim-kiem/")
            page.wait_for_selector(".dvk-search__group", state="attached")
            assert ask(page, "hoa giai") == []
            assert "Không tải được chỉ mục tìm kiếm" in page.locator(".dvk-search__status").inner_text()
        finally:
            context.close()

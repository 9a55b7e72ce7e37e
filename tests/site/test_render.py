"""Unit tests of the pure render stage: no mkdocs, no files written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.derive import derive_site
from generator.render import ENTRY, SECTION, RenderOptions, render_site
from generator.render.env import paginate
from generator.render.safe import escape_markdown
from generator.render.urls import Linker
from generator.validate import validate_content
from sitehelpers import SITE_MINI


@pytest.fixture(scope="module")
def site():
    content = validate_content(SITE_MINI)
    assert not content.errors, [p.format() for p in content.errors]
    return derive_site(content.entries, content.places)


@pytest.fixture(scope="module")
def images(site, tmp_path_factory):
    """Every referenced image prepared by the pipeline, as the plugin passes them to render."""
    from generator.imaging import ImagePipeline, referenced_images

    return ImagePipeline(tmp_path_factory.mktemp("img-cache")).prepare(referenced_images(site.entries.values()))


@pytest.fixture(scope="module")
def result(site, images):
    return render_site(site, images=images)


def body(page) -> str:
    """Page Markdown (HTML blocks in place) without its front matter."""
    return page.markdown.split("\n---\n", 1)[1]


# -- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "here, target, expected",
    [
        ("", "mo-hinh/a/", "mo-hinh/a/"),
        ("quan-huyen/tay-ho/", "mo-hinh/a/", "../../mo-hinh/a/"),
        ("quan-huyen/tay-ho/", "", "../../"),
        ("a/", "a/", "./"),
        ("linh-vuc/kinh-te/trang-2/", "assets/dvk/x.css", "../../../assets/dvk/x.css"),
    ],
)
def test_relative_links_resolve_like_a_browser(here, target, expected):
    assert Linker().rel(here, target) == expected


def test_links_without_directory_urls_point_at_index_html():
    assert Linker(directory_urls=False).rel("quan-huyen/tay-ho/", "") == "../../index.html"


# -- safety ------------------------------------------------------------------------------


def test_escape_markdown_keeps_labels_literal():
    assert escape_markdown("A *b* [c]") == r"A \*b\* \[c\]"
    assert escape_markdown("<img onerror=x> {: onclick=y} & z") == r"&lt;img onerror=x\> \{: onclick=y\} &amp; z"


def test_front_matter_strings_never_become_html(result):
    page = result.page("mo-hinh/thu-ky-tu-dac-biet/")
    text = body(page).split("## Câu chuyện")[0]
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'title: "Mô hình &lt;script&gt;' in page.content  # mkdocs' templates do not autoescape meta
    assert "dvkstoryplaceholder" not in page.markdown and "&lt;script&gt;alert(2)" in page.markdown


# -- pages -------------------------------------------------------------------------------


def test_every_entry_district_and_ward_with_entries_has_a_page(site, result):
    paths = {p.path for p in result.pages}
    for entry in site.entries.values():
        prefix = {"model": "mo-hinh", "exemplar": "dien-hinh", "event": "su-kien"}[entry.kind.id]
        assert f"{prefix}/{entry.id}/" in paths
    for district in site.districts():
        assert f"quan-huyen/{district.id}/" in paths
    for ward in site.wards():
        assert f"phuong-xa/{ward.id}/" in paths
    for view in ("", "dia-ban/", "linh-vuc/", "cap/", "nam/", "dien-hinh-tieu-bieu/", "su-kien-theo-thoi-gian/", "khen-thuong/", "thong-ke/", "du-lieu/", "tim-kiem/"):
        assert view in paths
    assert len(paths) == len(result.pages), "two pages share a path"


def test_nav_holds_sections_only(result):
    assert len(result.nav) == 10
    entry_uris = {p.uri for p in result.pages if p.role == ENTRY}
    assert not entry_uris & {uri for _, uri in result.nav}
    assert all(p.role == SECTION for p in result.pages if p.uri in {u for _, u in result.nav})


def test_entry_page_shows_breadcrumbs_metadata_awards_and_story(result):
    text = body(result.page("mo-hinh/ngay-khong-giay-hen/"))
    crumbs = re.search(r'<nav class="dvk-crumbs".*?</nav>', text, re.S).group(0)
    assert crumbs.index("Quận Tây Hồ") < crumbs.index("Phường Nhật Tân") < crumbs.index("Ngày không giấy hẹn")
    for words in ("UBND phường Nhật Tân", "Xây dựng hệ thống chính trị", "Cấp quận/huyện/thị xã", "Giấy khen của Quận ủy Tây Hồ", "## Khen thưởng", "## Câu chuyện", "Người dân không phải đi lại nhiều lần"):
        assert words in text
    figure = re.search(r'<figure class="dvk-figure dvk-figure--award">.*?</figure>', text, re.S).group(0)
    assert '<a href="../../anh/giay-khen-' in figure and 'class="dvk-lightbox"' in figure
    assert re.search(r'<img src="../../anh/giay-khen-[0-9a-f]{10}-\d+\.jpg" srcset="[^"]+ \d+w[^"]*" sizes="[^"]+" width="\d+" height="\d+" alt="[^"]+"', figure)
    assert "<picture><source type=\"image/webp\"" in figure


def test_contest_results_link_to_winners_and_winners_link_back(result):
    event = body(result.page("su-kien/hoi-thi-mau-2024/"))
    assert '<a href="../../dien-hinh/to-dan-van-xuan-phuong/">Tổ Dân vận phường Xuân Phương</a>' in event
    assert "Tổ Dân vận phường Mễ Trì" in event  # free-text recipient, not a link
    assert "Đội thi" in event  # figures labelled through vocab.FIGURES
    winner = body(result.page("dien-hinh/to-dan-van-xuan-phuong/"))
    assert "Giải Nhất" in winner and "../../su-kien/hoi-thi-mau-2024/" in winner


def test_related_entries_show_in_both_directions(site, result):
    for entry_id, others in site.related.items():
        entry = site.get(entry_id)
        prefix = {"model": "mo-hinh", "exemplar": "dien-hinh", "event": "su-kien"}[entry.kind.id]
        text = body(result.page(f"{prefix}/{entry_id}/"))
        for other in others:
            assert other.title.split("<")[0] in text or "&lt;" in text


def test_new_ward_page_shows_the_wards_it_was_formed_from(result):
    text = body(result.page("phuong-xa/xuan-phuong-2025/"))
    assert "Hình thành từ" in text and "phường Xuân Phương" in text and "quận Nam Từ Liêm" in text
    old = body(result.page("phuong-xa/xuan-phuong/"))
    assert "Từ 1/7/2025" in old and '<a href="../xuan-phuong-2025/">phường Xuân Phương</a> <span class="dvk-muted">(từ 01/07/2025)</span>' in old


def test_dates_and_numbers_are_written_the_vietnamese_way(result):
    assert "31/07/2024" in body(result.page("su-kien-theo-thoi-gian/"))
    from generator.text import format_number

    assert format_number(3124) == "3.124"


def test_places_page_sorts_in_vietnamese_order(result):
    text = body(result.page("dia-ban/"))
    order = [m for m in re.findall(r"<h3><a [^>]+>([^<]+)</a>", text)]
    from generator.text import vn_sort_key

    assert order == sorted(order, key=vn_sort_key)


def test_entry_pages_carry_no_hidden_search_copy(result):
    """The search reads records made from the entries (generator/search), not the pages."""
    text = body(result.page("mo-hinh/to-hoa-giai-dinh-cong/"))
    assert "data-pagefind" not in text and "to hoa giai kheo phuong dinh cong" not in text
    assert result.page("mo-hinh/to-hoa-giai-dinh-cong/").searchable


def test_search_page_can_be_turned_off(site):
    result = render_site(site, RenderOptions(search=False))
    assert all(uri != "tim-kiem/index.md" for _, uri in result.nav)


def test_long_listings_are_paginated(site):
    result = render_site(site, RenderOptions(per_page=1, preview=1))
    pages = [p.path for p in result.pages if p.path.startswith("linh-vuc/xay-dung-he-thong-chinh-tri/")]
    assert "linh-vuc/xay-dung-he-thong-chinh-tri/trang-2/" in pages
    second = result.page("linh-vuc/xay-dung-he-thong-chinh-tri/trang-2/")
    assert 'rel="prev"' in second.markdown and "(trang 2)" in second.title


def test_paginate_keeps_short_listings_whole():
    assert paginate([1, 2], 5) == [(None, [1, 2])]
    pages = paginate(list(range(11)), 5)
    assert [len(items) for _, items in pages] == [5, 5, 1] and pages[2][0].count == 3


def test_only_variants_are_collected_as_assets_never_originals(result, images):
    paths = [a.path for a in result.assets]
    assert paths == sorted(set(paths), key=paths.index)
    assert len(paths) == sum(len(v.variants) for v in images.values())
    assert all(re.fullmatch(r"anh/[a-z0-9-]+-[0-9a-f]{10}-\d+\.(webp|jpg)", p) for p in paths), paths
    originals = {v.source.resolve() for v in images.values()}
    assert all(Path(a.source).is_file() and Path(a.source).resolve() not in originals for a in result.assets)


def test_render_without_prepared_images_keeps_captions_and_links_no_original(site):
    text = body(render_site(site).page("mo-hinh/ngay-khong-giay-hen/"))
    assert "<img" not in text and "Giấy khen của Quận ủy Tây Hồ" in text


def test_render_is_pure():
    import ast

    package = Path(__file__).resolve().parents[2] / "generator" / "render"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.startswith("mkdocs") for m in names | modules), module.name
        assert "open(" not in module.read_text(encoding="utf-8"), module.name
        assert len(module.read_text(encoding="utf-8").splitlines()) < 400, module.name


def test_font_css_lists_woff2_first_and_only_files_present():
    from generator.render.fonts import render_font_css

    css = render_font_css({"BeVietnamPro-Regular.woff2", "BeVietnamPro-Regular.ttf", "BeVietnamPro-Bold.ttf"})
    assert 'url("fonts/BeVietnamPro-Regular.woff2") format("woff2"), url("fonts/BeVietnamPro-Regular.ttf")' in css
    assert "BeVietnamPro-Bold.woff2" not in css and "SemiBold" not in css and "http" not in css


def test_ward_page_groups_entries_by_field_with_counts(site):
    result = render_site(site, RenderOptions(per_page=1))
    text = body(result.page("phuong-xa/dinh-cong/"))
    assert "## Quốc phòng - An ninh" in text and "Theo năm đăng ký" in text and "Theo lĩnh vực" in text
    district = body(result.page("quan-huyen/tay-ho/"))
    assert "## Phường, xã" in district and "../../phuong-xa/nhat-tan/" in district


def test_awards_gallery_has_a_card_per_award_photo_or_not_and_district_pages_a_photo_section(result, site):
    text = body(result.page("khen-thuong/"))
    cards = re.findall(r'<article class="dvk-award( dvk-award--nophoto)?" data-level="([a-z-]+)" data-place="([a-z0-9-]*)">(.*?)</article>', text, re.S)
    assert len(cards) == len(site.awards) >= 2
    assert {bool(nophoto) for nophoto, *_ in cards} == {True, False}  # an award without photo is still a card
    for nophoto, _level, _place, inner in cards:
        assert ('<picture>' in inner) != bool(nophoto)
        assert re.search(r'<p class="dvk-award__to"><a href="\.\./(mo-hinh|dien-hinh)/[a-z0-9-]+/">', inner)
    assert 'data-dvk-filter' in text and '<option value="tay-ho">' in text
    district = body(result.page("quan-huyen/tay-ho/"))
    assert "## Ảnh khen thưởng" in district and 'class="dvk-award"' in district
    event = body(result.page("su-kien/hoi-thi-mau-2024/"))
    assert "## Ảnh khen thưởng tại sự kiện" in event

"""The book's stages without WeasyPrint: options, selection, layout, Markdown, photos, CLI errors."""

from __future__ import annotations

import argparse
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from book_support import make_photo, make_project, run_dvk

from generator.book.build import BookError, build_book
from generator.book.images import ImageError, print_box, resize
from generator.book.layout import index_key, initial
from generator.book.markup import render_markdown
from generator.book.options import BookOptions, OptionError, check_options, merge_cli, options_from_config, parse_years, read_config
from generator.book.select import select_entries
from generator.derive import derive_site
from generator.validate import validate_content


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("parts") / "proj")


@pytest.fixture(scope="module")
def site(project: Path):
    content = validate_content(project)
    assert not content.errors, [p.format() for p in content.errors]
    return derive_site(content.entries, content.places)


def cli_args(**values) -> argparse.Namespace:
    base = dict(paper=None, year=None, district=None, level=None, field=None, ids=None, group=None, output=None, title=None, no_events=False)
    base.update(values)
    return argparse.Namespace(**base)


# ---------------------------------------------------------------- options

def test_config_is_read_from_mkdocs_extra_despite_python_tags(project: Path):
    options = options_from_config(read_config(project))
    assert options.paper == "A5"
    assert options.organisation == "Ban Dân vận Quận ủy Nam Từ Liêm"
    assert options.foreword == "loi-noi-dau.md"


def test_defaults_without_mkdocs_yml(tmp_path: Path):
    options = options_from_config(read_config(tmp_path))
    assert options == BookOptions()
    assert options.paper == "A4" and options.group == "district"


def test_unknown_config_key_is_named():
    with pytest.raises(OptionError, match="extra.dvk_book.papr"):
        options_from_config({"papr": "A5"})


def test_cli_flags_override_config():
    options = options_from_config({"paper": "A5", "group": "district", "filters": {"year": 2023}})
    merged = check_options(merge_cli(options, cli_args(paper="a4", group="field", year="2023-2024", district="tay-ho, Đống Đa")))
    assert (merged.paper, merged.group, merged.years, merged.districts) == ("A4", "field", [2023, 2024], ["tay-ho", "Đống Đa"])


@pytest.mark.parametrize("value", ["20x4", "2025-2020", "abc"])
def test_bad_years_are_refused(value):
    with pytest.raises(OptionError):
        parse_years(value)


def test_parse_years_list_and_range():
    assert parse_years("2022, 2024-2025") == [2022, 2024, 2025]


@pytest.mark.parametrize("change,message", [({"paper": "A3"}, "A4 hoặc A5"), ({"group": "ward"}, "district"), ({"output": "x.html"}, ".pdf")])
def test_check_options_refuses_bad_values(change, message):
    with pytest.raises(OptionError, match=message):
        check_options(BookOptions(**change))


# ---------------------------------------------------------------- selection and layout

def test_filters_are_forgiving_and_combine(site):
    chosen = select_entries(site, BookOptions(districts=["Tây Hồ"], fields=["Văn hóa - Xã hội"]))
    assert [m.id for m in chosen.models] == ["uu-tien-nguoi-cao-tuoi-nhat-tan"]
    assert [e.id for e in chosen.events] == ["bieu-duong-tay-ho-2023"]
    assert {m.id for m in select_entries(site, BookOptions(years=[2023])).models} == {"mot-cua-thuy-khue", "dan-quan-o-cho-dua"}
    assert {m.level.id for m in select_entries(site, BookOptions(levels=["quan"])).models} == {"quan"}
    assert [m.id for m in select_entries(site, BookOptions(districts=["xuan-phuong-2025"])).models] == ["ba-nguyen-thi-hue"]


def test_explicit_ids_and_unknown_ids(site):
    chosen = select_entries(site, BookOptions(ids=["dich-vong-xanh", "hoi-thi-nam-tu-liem-2024"]))
    assert [m.id for m in chosen.models] == ["dich-vong-xanh"] and [e.id for e in chosen.events] == ["hoi-thi-nam-tu-liem-2024"]
    with pytest.raises(OptionError, match="khong-co"):
        select_entries(site, BookOptions(ids=["khong-co"]))
    with pytest.raises(OptionError, match="--field"):
        select_entries(site, BookOptions(fields=["nong-nghiep"]))
    with pytest.raises(OptionError, match="--district"):
        select_entries(site, BookOptions(districts=["sai-gon"]))


def test_chapters_by_district_in_vietnamese_order(project, site):
    book = build_book(project, site, BookOptions(), write=False).book
    assert [c.title for c in book.chapters] == ["Quận Cầu Giấy", "Quận Đống Đa", "Quận Nam Từ Liêm", "Quận Tây Hồ", "Phường Xuân Phương"]
    tay_ho = book.chapters[3]
    assert [g.title for g in tay_ho.groups] == ["Văn hóa - Xã hội", "Xây dựng hệ thống chính trị"]  # vocabulary order
    assert [y.year for y in book.chronicle] == [2023, 2024]  # a chronicle reads forwards


def test_chapters_by_field(project, site):
    book = build_book(project, site, BookOptions(group="field"), write=False).book
    assert [c.title for c in book.chapters] == ["Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"]
    assert [g.title for g in book.chapters[1].groups] == ["Quận Tây Hồ", "Phường Xuân Phương"]


def test_index_orders_d_before_dd_and_u_before_uw(project, site):
    book = build_book(project, site, BookOptions(), write=False).book
    places = [i.name for letter in book.index[1].letters for i in letter.items]
    assert places == ["Cầu Giấy", "Dịch Vọng", "Đống Đa", "Nam Từ Liêm", "Nhật Tân", "Ô Chợ Dừa", "Tây Hồ", "Thụy Khuê", "Xuân Phương", "Xuân Phương"]
    letters = [letter.letter for letter in book.index[0].letters]
    assert letters == ["B", "Đ", "Q", "T", "U"]
    assert initial("Ưu tiên") == "Ư" and initial("Ủy ban") == "U" and initial("Ô Chợ Dừa") == "Ô"


def test_index_folds_tone_placement_and_nfd():
    import unicodedata

    assert index_key("UBND phường Hoà Bình") == index_key("UBND phường Hòa Bình") == index_key(unicodedata.normalize("NFD", "UBND  phường Hòa Bình"))


def test_front_matter_strings_are_escaped(project, site):
    model = site.get("dich-vong-xanh")
    original = model.title
    model.title = "Ngày <b>xanh</b> & sạch"
    try:
        html = build_book(project, site, BookOptions(), write=False).html
    finally:
        model.title = original
    assert "Ngày &lt;b&gt;xanh&lt;/b&gt; &amp; sạch" in html
    assert "<b>xanh</b>" not in html


# ---------------------------------------------------------------- Markdown

def test_markdown_keeps_raw_html_as_text_and_drops_images_and_unsafe_links():
    html = render_markdown("## Tiêu đề\n\nChữ <b>đậm</b> [x](javascript:alert(1)) [y](https://a.vn) ![ảnh](../../etc/passwd)\n\n<div>khối</div>\n")
    assert '<h4 class="story-heading">Tiêu đề</h4>' in html
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html and "&lt;div&gt;khối&lt;/div&gt;" in html
    assert "javascript" not in html and "<p>Chữ &lt;b&gt;đậm&lt;/b&gt; x <a" in html and 'href="https://a.vn"' in html
    assert "<img" not in html and "<p>Chữ" in html and " ảnh</p>" in html


# ---------------------------------------------------------------- photos

def test_resize_applies_orientation_strips_metadata_and_caches(tmp_path: Path):
    source = make_photo(tmp_path / "a.jpg", (3000, 2000), orientation=6)
    box = print_box("A4", 300)
    out, width, height = resize(source, box, tmp_path / "cache")
    assert (width, height) == (round(box * 2000 / 3000), box)
    with Image.open(out) as image:
        assert image.size == (width, height) and not image.getexif() and "icc_profile" not in image.info
    mtime = out.stat().st_mtime_ns
    assert resize(source, box, tmp_path / "cache")[0] == out and out.stat().st_mtime_ns == mtime  # cached


def test_small_images_are_not_enlarged_and_alpha_is_flattened(tmp_path: Path):
    source = make_photo(tmp_path / "b.png", (400, 300), mode="RGBA")
    out, width, height = resize(source, 1890, tmp_path / "cache")
    with Image.open(out) as image:
        assert (width, height) == (400, 300) and image.mode == "RGB"
        assert image.getpixel((5, 5)) == (255, 255, 255)  # transparent corner on white paper


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


def test_bomb_and_broken_files_are_refused_with_a_message(tmp_path: Path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_claiming(20000, 20000))
    with pytest.raises(ImageError, match="quá lớn"):
        resize(bomb, 1000, tmp_path / "cache")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    with pytest.raises(ImageError):
        resize(broken, 1000, tmp_path / "cache")


def test_a_bad_photo_stops_the_build_with_the_entry_named(project, site, tmp_path):
    entry = site.get("dan-quan-o-cho-dua")
    image = entry.images[0]
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"garbage")
    object.__setattr__(image, "abs_path", broken)
    try:
        with pytest.raises(BookError) as caught:
            build_book(project, site, BookOptions(), write=False)
    finally:
        object.__setattr__(image, "abs_path", project / "content" / image.src)
    assert "content/models/dong-da/dan-quan-o-cho-dua.md" in caught.value.messages[0]


# ---------------------------------------------------------------- command line

def test_content_errors_exit_1_with_messages_and_no_traceback(tmp_path: Path):
    root = make_project(tmp_path / "proj")
    entry = root / "content" / "models" / "cau-giay" / "dich-vong-xanh.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("field: kinh-te", "field: kinh te xa hoi"), encoding="utf-8")
    (root / "build" / "book").mkdir(parents=True)
    previous = root / "build" / "book" / "thu.pdf"
    previous.write_bytes(b"%PDF-old")
    result = run_dvk("book", cwd=root)
    assert result.returncode == 1
    assert "dich-vong-xanh.md" in result.stderr and "field" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert previous.read_bytes() == b"%PDF-old"  # the old book is untouched
    assert not list(previous.parent.glob(".*.tmp"))


@pytest.mark.parametrize("args,message", [(["--year", "hai nghìn"], "--year"), (["--ids", "khong-co-muc-nay"], "khong-co-muc-nay"), (["--district", "Sài Gòn"], "--district"), (["--year", "1990"], "không có mục nào")])
def test_bad_options_exit_2_in_vietnamese(project: Path, args, message):
    result = run_dvk("book", *args, cwd=project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_help_is_in_vietnamese(project: Path):
    result = run_dvk("book", "--help", cwd=project)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "khổ giấy" in text and "mục lục có số trang" in text

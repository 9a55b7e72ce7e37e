"""The printed book, read back from the PDF: pages, fonts, text, outline, index.

One book is built per module (dvk book in a subprocess, as an editor runs it) from
tests/fixtures/book with Pillow-made photos; every test reads that PDF.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from book_support import check_index, check_toc, destinations, headings_left_at_page_bottom, story_headings, footers, is_nfc, make_project, page_texts, pdftotext, printed_numbers, run_dvk, squash

from generator.book.build import build_book
from generator.book.options import options_from_config, read_config
from generator.derive import derive_site
from generator.validate import validate_content

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("book") / "proj")


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    result = run_dvk("book", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Đã tạo build/book/thu.pdf" in result.stdout
    return project / "build" / "book" / "thu.pdf"


@pytest.fixture(scope="module")
def reader(built: Path) -> PdfReader:
    return PdfReader(built)


@pytest.fixture(scope="module")
def layout(project: Path):
    """The same book's structure through the API (no PDF): the expected order and anchors."""
    content = validate_content(project)
    site = derive_site(content.entries, content.places)
    return build_book(project, site, options_from_config(read_config(project)), write=False).book


@pytest.fixture(scope="module")
def numbers(built: Path) -> dict[int, int]:
    return printed_numbers(built)


def test_paper_and_metadata_come_from_mkdocs_yml(reader: PdfReader):
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (148, 210)  # A5
    meta = reader.metadata
    assert meta.title == "Sách điển hình “Dân vận khéo” (bản thử)"
    assert meta.author == "Ban Dân vận Quận ủy Nam Từ Liêm"
    assert str(reader.trailer["/Root"]["/Lang"]) == "vi"


def test_every_font_is_embedded(built: Path):
    out = subprocess.run(["pdffonts", str(built)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    names = " ".join(rows)
    assert "Noto-Serif" in names and "Be-Vietnam-Pro" in names
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert emb == "yes", row
        assert uni == "yes", row
        assert "Type 3" not in row


@pytest.mark.parametrize("word", ["Dân vận khéo", "Nguyễn", "Xuân Phương", "Thủy", "Đống Đa", "Ủy ban Mặt trận Tổ quốc"])
def test_vietnamese_copies_out_as_exact_nfc(built: Path, word: str):
    text = pdftotext(built)
    assert is_nfc(word)
    assert word in text or word in " ".join(text.split())
    assert "\ufffd" not in text
    assert is_nfc(text)


def test_raw_html_in_a_body_is_printed_as_text(built: Path):
    text = " ".join(pdftotext(built).split())
    assert "<b>Thẻ này phải hiện nguyên văn</b>" in text
    assert "<script>alert(1)</script>" in text
    assert "<i>Thẻ HTML này phải hiện nguyên văn.</i>" in text  # the foreword


def test_page_numbers_restart_at_1_for_the_first_chapter(built: Path, reader: PdfReader, numbers: dict[int, int]):
    dests = destinations(reader)
    assert numbers[dests["c-1"]] == 1
    feet = footers(built)
    assert {"iii", "v"} <= set(feet[: dests["c-1"]])  # roman front matter on rectos
    assert feet[0] == ""  # no number on the cover


def test_toc_page_numbers_match_the_pages_where_sections_start(built: Path, layout):
    found = check_toc(built, layout)
    assert len(set(found)) > len(layout.chapters)  # not every number is 1 (the counter-reset trap)


def test_compact_a4_book_grouped_by_field_has_right_toc_and_index(project: Path, tmp_path: Path):
    out = tmp_path / "gon.pdf"
    result = run_dvk("book", "--paper", "A4", "--group", "field", "--compact", "--output", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    content = validate_content(project)
    site = derive_site(content.entries, content.places)
    options = options_from_config(read_config(project))
    options.group, options.paper, options.new_page_per_entry = "field", "A4", False
    book = build_book(project, site, options, write=False).book
    assert [c.title for c in book.chapters][0] == "Kinh tế"
    check_toc(out, book)
    check_index(out, book)


def test_each_model_starts_a_page_with_its_title(built: Path, reader: PdfReader, layout):
    dests = destinations(reader)
    texts = page_texts(built)
    for chapter in layout.chapters:
        for section in chapter.sections:
            page = " ".join(texts[dests[section.anchor]].split())
            assert " ".join(section.entry.title.split()) in page


def test_running_header_names_the_chapter(built: Path, reader: PdfReader, layout):
    dests = destinations(reader)
    texts = page_texts(built)
    checked = 0
    for chapter in layout.chapters:
        for section in chapter.sections:
            index = dests[section.anchor]
            first_line = texts[index].strip().splitlines()[0]
            if index % 2 == 1:  # PDF page 2, 4, ... : a verso, header = chapter
                assert first_line == chapter.title, (index, first_line)
            else:
                group = next(g for g in chapter.groups if section in g.sections)
                assert first_line == group.title, (index, first_line)
            checked += 1
    assert checked == layout.model_count


def test_outline_has_chapters_groups_and_every_model(reader: PdfReader, layout):
    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    outline = list(walk(reader.outline))
    dests = destinations(reader)
    titles = {title: (depth, page) for depth, title, page in outline}
    for chapter in layout.chapters:
        assert titles[chapter.title] == (0, dests[chapter.anchor])
        for section in chapter.sections:
            depth, page = titles[section.entry.title]
            assert depth == 2 and page == dests[section.anchor]
    assert "Biên niên sự kiện" in titles and "Chỉ mục" in titles
    assert not any(t in titles for t in ("Chuẩn bị", "Kết quả"))  # story headings stay out


def test_index_points_at_the_right_pages(built: Path, reader: PdfReader, layout, numbers):
    index = check_index(built, layout)
    dests = destinations(reader)
    # spot checks against the fixture
    page_of = lambda entry_id: numbers[dests[f"e-{entry_id}"]]  # noqa: E731
    assert f"Ô Chợ Dừa (phường, quận Đống Đa) {page_of('dan-quan-o-cho-dua')}" in index
    assert f"Ban Chỉ huy Quân sự phường Ô Chợ Dừa {page_of('dan-quan-o-cho-dua')}" in index


def test_index_is_in_vietnamese_alphabetical_order(built: Path, reader: PdfReader, numbers):
    dests = destinations(reader)
    index = squash(pdftotext(built, first=dests["chi-muc"] + 1, raw=True))
    places = index.split("QUẬN, HUYỆN, PHƯỜNG, XÃ")[1]
    order = [places.index(name) for name in ("Cầu Giấy (", "Dịch Vọng (", "Đống Đa (", "Nam Từ Liêm (", "Nhật Tân (", "Ô Chợ Dừa (", "Tây Hồ (", "Thụy Khuê (", "Xuân Phương (")]
    assert order == sorted(order)


def test_photos_are_embedded_at_print_resolution_and_upright(reader: PdfReader, layout):
    seen = {}
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {}) or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                seen[ref.idnum] = (int(obj["/Width"]), int(obj["/Height"]))
    sizes = list(seen.values())
    assert len(sizes) == 4
    box = round(112 / 25.4 * 300)  # A5 text block at 300 dpi
    assert all(max(s) <= box for s in sizes), sizes
    # the 3000×2000 original carries EXIF orientation 6: printed upright as portrait
    assert (round(box * 2000 / 3000), box) in sizes


def test_resized_copies_carry_no_metadata(project: Path, built: Path):
    from PIL import Image

    copies = list((project / ".cache" / "dvk" / "book-images").glob("*.jpg"))
    assert len(copies) >= 4  # A5 copies (and A4 ones if the A4 test ran first)
    for path in copies:
        with Image.open(path) as image:
            assert not image.getexif()
            assert b"secret-software" not in path.read_bytes()


def test_sections_and_chronicle_have_facts(built: Path):
    text = " ".join(pdftotext(built).split())
    assert "Giải Nhất: Tổ Dân vận phường Xuân Phương (tr." in text
    assert "Ảnh: Nguyễn Văn Minh" in text
    assert "Mô hình đăng ký 633" in text  # vocab.FIGURES: the source counts "633 mô hình"
    assert "31/07/2024 · HỘI THI" in text  # shown in capitals (text-transform)


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(project: Path, built: Path):
    assert headings_left_at_page_bottom(built, story_headings(project / "content")) == []

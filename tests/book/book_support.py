"""Helpers for the book tests: a fixture project with Pillow-made photos, and PDF readers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixtures" / "book"


def make_photo(path: Path, size: tuple[int, int], mode: str = "RGB", orientation: int = 0, seed: int = 0) -> Path:
    """A photo-like test image: sky, ground, a few shapes; optional EXIF orientation and tags."""
    width, height = size
    image = Image.new("RGB", size, (90 + seed * 20 % 120, 140, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(70, 120 + seed * 15 % 80, 60))
    for i in range(5):
        x = (i + 1) * width // 7
        draw.rectangle((x, height // 3, x + width // 10, height * 2 // 3), fill=(180 - i * 20, 60 + i * 25, 40))
    draw.ellipse((width - width // 5, height // 12, width - width // 12, height // 12 + width // 8), fill=(250, 210, 90))
    # an arrow pointing up, so a wrongly rotated copy is visible on the page
    draw.polygon([(width // 10, height // 2), (width // 10 + width // 20, height // 4), (width // 10 + width // 10, height // 2)], fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "RGBA":
        rgba = image.convert("RGBA")
        rgba.putalpha(Image.new("L", size, 255))
        ImageDraw.Draw(rgba).rectangle((0, 0, width // 4, height // 4), fill=(0, 0, 0, 0))
        rgba.save(path)
        return path
    if path.suffix == ".png":
        image.save(path)
        return path
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh thử"  # Make
    exif[0x0131] = "secret-software"  # Software: must not reach the book
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=88, exif=exif.tobytes())
    return path


def make_project(target: Path) -> Path:
    """Copy tests/fixtures/book to `target` and create its photos."""
    shutil.copytree(FIXTURE, target)
    content = target / "content" / "models"
    # stored 3000×2000 with orientation 6 (rotate 90° clockwise): upright it is portrait 2000×3000
    make_photo(content / "nam-tu-liem" / "anh" / "hoi-thi-xoay.jpg", (3000, 2000), orientation=6, seed=1)
    make_photo(content / "nam-tu-liem" / "anh" / "giay-khen.png", (800, 600), mode="RGBA", seed=2)
    make_photo(content / "tay-ho" / "anh" / "mot-cua-doc.jpg", (1200, 1600), seed=3)
    make_photo(content / "dong-da" / "anh" / "tuan-tra.png", (2400, 1600), seed=4)
    return target


def run_dvk(*args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "HOME": str(cwd)},
    )


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """Text of the PDF; raw=True keeps content-stream order (column 1, then column 2)."""
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if raw:
        cmd.append("-raw")
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_texts(pdf: Path) -> list[str]:
    """Text of every page (index 0 = PDF page 1)."""
    pages = pdftotext(pdf).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


_ROMAN = re.compile(r"^[ivxlc]+$")


def footers(pdf: Path, height_pt: int = 45) -> list[str]:
    """The text of the bottom margin of every page (where the page number sits)."""
    from pypdf import PdfReader

    box = PdfReader(pdf).pages[0].mediabox
    width, height = int(float(box.width)), int(float(box.height))
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-r", "72", "-x", "0", "-y", str(height - height_pt), "-W", str(width), "-H", str(height_pt), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    pages = out.split("\f")
    return [p.strip() for p in pages[: len(PdfReader(pdf).pages)]]


def printed_numbers(pdf: Path) -> dict[int, int]:
    """PDF page index -> printed arabic page number, checked against every visible footer.

    Main-matter pages without a footer (chapter openers, blanks) are numbered by position;
    every page that shows an arabic number must agree with that position.
    """
    feet = footers(pdf)
    arabic = [(i, int(f)) for i, f in enumerate(feet) if f.isdigit()]
    assert arabic, "no arabic page numbers found in any footer"
    first_index, first_number = arabic[0]
    offset = first_index - first_number
    for index, number in arabic:
        assert index - offset == number, f"PDF page {index + 1} shows {number}, expected {index - offset}"
    return {i: i - offset for i in range(len(feet)) if i - offset >= 1}


def destinations(reader) -> dict[str, int]:
    """Named destination (HTML id) -> PDF page index."""
    out = {}
    for name, dest in reader.named_destinations.items():
        out[str(name)] = reader.get_destination_page_number(dest)
    return out


def squash(text: str) -> str:
    """Whitespace collapsed, TOC leader dots removed."""
    text = re.sub(r"(?:\s*\.){2,}(?=\s*\d)", " ", text)
    return " ".join(text.split())


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def check_toc(pdf: Path, book) -> list[int]:
    """Every TOC line (chapter, group, section, in order) shows the page its target starts on."""
    from pypdf import PdfReader

    dests = destinations(PdfReader(pdf))
    numbers = printed_numbers(pdf)
    texts = page_texts(pdf)
    toc_pages = [i for i, t in enumerate(texts) if t.lstrip().startswith("Mục lục")]
    assert toc_pages, "no TOC page"
    toc = squash(" ".join(texts[toc_pages[0] : dests["c-1"]]))
    expected = []
    for chapter in book.chapters:
        expected.append((f"Chương {chapter.number}. {chapter.title}", chapter.anchor))
        for group in chapter.groups:
            expected.append((group.title, group.anchor))
            expected += [(s.entry.title, s.anchor) for s in group.sections]
    for year in book.chronicle:
        expected.append((f"Năm {year.year}", year.anchor))
        expected += [(s.entry.title, s.anchor) for s in year.sections]
    position = 0
    found = []
    for title, anchor in expected:
        match = re.compile(re.escape(" ".join(title.split())) + r" (\d+)").search(toc, position)
        assert match, f"TOC line for {title!r} not found after position {position}: {toc[position:position + 200]!r}"
        position = match.end()
        printed = int(match.group(1))
        found.append(printed)
        assert printed == numbers[dests[anchor]], f"TOC says {title!r} is on page {printed}, it starts on {numbers[dests[anchor]]}"
    return found


def check_index(pdf: Path, book) -> str:
    """Every index item lists exactly the printed pages of its sections; returns the index text."""
    from pypdf import PdfReader

    dests = destinations(PdfReader(pdf))
    numbers = printed_numbers(pdf)
    index = squash(pdftotext(pdf, first=dests["chi-muc"] + 1, raw=True))
    for part in book.index:
        for letter in part.letters:
            for item in letter.items:
                want = ", ".join(str(numbers[dests[a]]) for a in item.anchors)
                label = item.name + (f" ({item.qualifier})" if item.qualifier else "")
                assert f"{label} {want}" in index, f"{label!r} should list pages {want}"
    return index


def headings_left_at_page_bottom(pdf: Path, headings: set[str]) -> list[tuple[int, str]]:
    """(page, heading) for every page whose last text line (above the footer) is a heading."""
    bad = []
    for index, text in enumerate(page_texts(pdf)):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and (lines[-1].isdigit() or _ROMAN.match(lines[-1])):
            lines = lines[:-1]
        if lines and lines[-1] in headings:
            bad.append((index + 1, lines[-1]))
    return bad


def story_headings(content_dir: Path) -> set[str]:
    """Headings used inside entry bodies, plus the book's own block titles."""
    found = {"Kết quả", "Khen thưởng"}
    for path in content_dir.rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                found.add(line.lstrip("#").strip())
    return found

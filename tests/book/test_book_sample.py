"""The book of the repository's sample content (content/), when it is present and valid."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from book_support import REPO, destinations, footers, headings_left_at_page_bottom, is_nfc, pdftotext, printed_numbers, run_dvk, story_headings

from generator.validate import validate_content


def _sample_ready() -> bool:
    if not (REPO / "content" / "places.yml").is_file():
        return False
    content = validate_content(REPO)
    return bool(content.entries) and not content.errors


pytestmark = [
    pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0, reason="poppler-utils not installed"),
    pytest.mark.skipif(not _sample_ready(), reason="sample content missing or not valid yet"),
]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample.pdf"
    result = run_dvk("book", "--output", str(out), "--paper", "A4", cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


def _source_text() -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("word", ["Dân vận khéo", "Nguyễn", "Xuân Phương", "Thủy"])
def test_sample_words_copy_out_as_nfc(sample_pdf: Path, word: str):
    if word not in _source_text():
        pytest.skip(f"{word!r} is not in the sample content")
    text = pdftotext(sample_pdf)
    assert word in " ".join(text.split())
    assert is_nfc(text) and "\ufffd" not in text


def test_sample_fonts_embedded(sample_pdf: Path):
    out = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows and all(row.split()[-5] == "yes" for row in rows), out


def test_sample_toc_numbers_point_at_section_pages(sample_pdf: Path):
    reader = PdfReader(sample_pdf)
    dests = destinations(reader)
    numbers = printed_numbers(sample_pdf)
    entry_pages = {numbers[page] for name, page in dests.items() if name.startswith("e-") and page in numbers}
    assert len(entry_pages) > 5  # not all 1
    first_chapter = dests["c-1"]
    toc = pdftotext(sample_pdf, first=2, last=first_chapter)
    for name, page in dests.items():
        if name.startswith("e-"):
            assert re.search(rf"\b{numbers[page]}\b", toc), name
    assert footers(sample_pdf)[first_chapter + 1] == "2"


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(sample_pdf: Path):
    assert headings_left_at_page_bottom(sample_pdf, story_headings(REPO / "content")) == []

"""One book build: from a project root (or an already-derived Site) to the PDF."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..builddate import build_epoch
from ..derive import Site
from .images import attach_photos, cache_dir
from .layout import Book, lay_out
from .options import BookOptions, OptionError
from .pdf import PdfResult, write_pdf
from .markup import StoryTooSlow
from .render import find_fonts, foreword_html, render_html
from .select import select_entries


class BookError(Exception):
    """Content the book cannot print (bad photo, missing foreword, empty selection)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class BuildResult:
    book: Book
    pdf: PdfResult | None
    timings: dict[str, float] = field(default_factory=dict)
    html: str = ""


def build_book(root: Path, site: Site, options: BookOptions, *, write: bool = True, variant: str | None = None) -> BuildResult:
    """Select, lay out, resize photos, render and (unless write=False) write the PDF."""
    root = root.resolve()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    selection = select_entries(site, options)
    if not selection.models and not selection.events:
        raise OptionError("không có mục nào phù hợp với bộ lọc — bỏ bớt --year/--district/--level/--field")
    book = lay_out(selection, site.places, options.group)
    timings["layout"] = time.perf_counter() - start

    start = time.perf_counter()
    problems = attach_photos(book, root, options.paper, options.dpi, options.photos_per_entry)
    foreword = ""
    if options.foreword:
        try:
            foreword = foreword_html(root, options.foreword)
        except (OSError, UnicodeDecodeError):
            problems.append(f"mkdocs.yml: extra.dvk_book.foreword: không đọc được tệp \"{options.foreword}\" — kiểm tra đường dẫn (tính từ thư mục gốc)")
        except StoryTooSlow as slow:
            problems.append(f"{options.foreword}: lời nói đầu dựng quá {slow.seconds:g} giây — xóa các chuỗi ký tự lạ ([ < * ` dán liền nhau)")
    if problems:
        raise BookError(problems)
    timings["images"] = time.perf_counter() - start

    start = time.perf_counter()
    fonts = find_fonts()
    html = render_html(book, options, site.places, site, foreword=foreword, fonts=fonts)
    timings["html"] = time.perf_counter() - start
    if not write:
        return BuildResult(book, None, timings, html)

    start = time.perf_counter()
    output = Path(options.output)
    output = output if output.is_absolute() else root / output
    pdf = write_pdf(html, output, root, [*fonts.directories, cache_dir(root)], variant, images=book.image_files, epoch=build_epoch(site.entries.values()))
    timings["pdf"] = time.perf_counter() - start
    return BuildResult(book, pdf, timings, html)

"""Book -> one HTML document (Jinja2, autoescape on) plus its print CSS.

Front-matter strings reach the page as text: the environment escapes everything; only
the story (already sanitised by markup.py) and our own CSS are marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..builddate import build_datetime
from ..model import Event, Model
from ..places import PlaceRegistry
from ..facts import list_facts
from ..text import format_date, format_date_range, format_number, nfc
from ..render.entries import story_too_slow_problem
from ..vocab import label_figure
from .layout import Book, anchor_of
from .markup import StoryTooSlow, render_markdown
from .options import BookOptions

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Fonts:
    """File URIs of the bundled OFL fonts (whole TTFs, embedded by WeasyPrint)."""

    serif: str
    serif_italic: str
    sans: dict[int, str]  # weight -> file URI
    sans_italic: str

    @property
    def directories(self) -> list[Path]:
        return sorted({Path(_path_of(u)).parent for u in (self.serif, self.serif_italic, self.sans_italic, *self.sans.values())})


def _path_of(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


def find_fonts() -> Fonts:
    """Locate Noto Serif and Be Vietnam Pro from their fontpkg packages."""
    import fontpkg_be_vietnam_pro
    import fontpkg_noto_serif

    serif_dir = Path(fontpkg_noto_serif.ROOT) / "files"
    sans_dir = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
    serif = sorted(p for p in serif_dir.glob("NotoSerif*.ttf") if "Italic" not in p.name)
    serif_italic = sorted(serif_dir.glob("NotoSerif-Italic*.ttf"))
    weights = {400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold", 800: "ExtraBold"}
    sans = {w: sans_dir / f"BeVietnamPro-{name}.ttf" for w, name in weights.items()}
    missing = [str(p) for p in sans.values() if not p.is_file()]
    if not serif or not serif_italic or missing:
        raise FileNotFoundError("thiếu phông chữ Noto Serif / Be Vietnam Pro — chạy: pip install 'dvk[book]'")
    return Fonts(serif[0].as_uri(), serif_italic[0].as_uri(), {w: p.as_uri() for w, p in sans.items()}, (sans_dir / "BeVietnamPro-Italic.ttf").as_uri())


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), disabled_extensions=("css",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=format_date,
        date_range=format_date_range,
        number=format_number,
        figure_label=label_figure,
        anchor=anchor_of,
    )
    return env


def kind_line(entry: Model) -> str:
    """"Mô hình", "Điển hình tập thể", "Điển hình cá nhân — Tổ trưởng tổ dân phố số 5"."""
    text = entry.kind.label
    if entry.subject:
        text += f" {entry.subject.label.lower()}"
    return text


def foreword_html(root: Path, foreword: str) -> str:
    """The foreword Markdown file rendered safely, or ""; raises FileNotFoundError."""
    if not foreword:
        return ""
    path = (root / foreword).resolve()
    return render_markdown(path.read_text(encoding="utf-8-sig"))


def render_stories(book: Book) -> None:
    """Every section's story as print HTML; all stories over their time budget in one BookError."""
    from .build import BookError

    problems = []
    for section in book.sections():
        try:
            section.story_html = render_markdown(section.entry.body) if section.entry.body.strip() else ""
        except StoryTooSlow as slow:
            problems.append(story_too_slow_problem(section.entry, slow).format())
    if problems:
        raise BookError(problems)


def render_html(book: Book, options: BookOptions, places: PlaceRegistry, site, *, foreword: str = "", fonts: Fonts | None = None) -> str:
    """The whole book as one HTML string (NFC)."""
    fonts = fonts or find_fonts()
    render_stories(book)
    in_book = {s.entry.id for s in book.sections()}
    years = [s.entry.year for s in book.sections() if s.entry.year]
    # the content's date (or SOURCE_DATE_EPOCH), never the clock: same content, same PDF
    dated = build_datetime(site.entries.values() if site is not None else [s.entry for s in book.sections()])
    env = make_environment()
    css = env.get_template("book.css").render(paper=options.paper, fonts=fonts)
    html = env.get_template("book.html").render(
        book=book,
        options=options,
        css=css,
        foreword=foreword,
        cover_year=options.cover_year(max(years) if years else None, dated.year),
        created=dated.date().isoformat(),
        today=format_date(dated.date()),
        kind_line=kind_line,
        facts=lambda e: list_facts(e, places),
        in_book=in_book,
        site=site,
        is_event=lambda e: isinstance(e, Event),
    )
    return nfc(html)

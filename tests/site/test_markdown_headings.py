"""Entry Markdown converted with only its headings through Python-Markdown (mkdocs_headings.py)
gives the page HTML, TOC and title that mkdocs' whole-page conversion gives."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.mkdocs_headings import HeadingsRenderer
from generator.render.safe import escape_markdown

PREFIX = "dvkblock0a1b2c3dx"
HEADINGS = ["Kết quả", "Câu chuyện", "Kết quả", "<script>alert(1)</script> & *đậm* `mã`", "Hoà  hòa", "# dấu thăng", "[liên kết](javascript:x)"]


def _config(tmp_path: Path, extensions: str = "  - toc:\n      permalink: false\n  - tables\n"):
    (tmp_path / "docs").mkdir(parents=True, exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: thử\nmarkdown_extensions:\n{extensions}", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None  # as during a build (File.generated reads it)
    return config


def _page(config, markdown: str) -> Page:
    file = File.generated(config, "mo-hinh/thu/index.md", content="---\ntitle: Thử\n---\n\n" + markdown)
    page = Page(None, file, config)
    page.read_source(config)
    return page


def _markdown(levels=(2, 2, 3, 3, 2, 4, 2)) -> str:
    blocks = []
    for number, (level, text) in enumerate(zip(levels, HEADINGS)):
        blocks += [f"{PREFIX}{number}", f"{'#' * level} {escape_markdown(text)}"]
    return "\n\n".join(blocks + [f"{PREFIX}99"])


def _both(config, markdown: str):
    whole = _page(config, markdown)
    whole.render(config, Files([]))
    renderer = HeadingsRenderer(config, Files([]))
    renderer.checked = True  # skip the self-check: compare the short way itself
    short = _page(config, markdown)
    renderer.render(short, PREFIX)
    return whole, short, renderer


def test_headings_only_conversion_matches_the_whole_page(tmp_path):
    whole, short, renderer = _both(_config(tmp_path), _markdown())
    assert renderer.shortened == 1
    assert short.content == whole.content
    assert [(i.id, i.title, i.level, len(i.children)) for i in short.toc] == [(i.id, i.title, i.level, len(i.children)) for i in whole.toc]
    assert "<script>" not in short.content and f"<p>{PREFIX}0</p>" in short.content


def test_a_page_with_a_first_level_heading_keeps_its_title_from_markdown(tmp_path):
    markdown = f"{PREFIX}0\n\n# Tiêu đề riêng\n\n{PREFIX}1"
    whole, short, renderer = _both(_config(tmp_path), markdown)
    assert renderer.shortened == 1 and short.content == whole.content and short.title == whole.title


def test_other_markdown_or_an_unknown_extension_converts_the_whole_page(tmp_path):
    config = _config(tmp_path)
    _, short, renderer = _both(config, f"{PREFIX}0\n\nMột đoạn *văn* thường.\n\n## Tiêu đề")
    assert renderer.shortened == 0 and "<em>văn</em>" in short.content
    _, _, renderer = _both(_config(tmp_path / "abbr", "  - toc\n  - abbr\n"), _markdown())
    assert not renderer.enabled and renderer.shortened == 0


def test_the_first_page_is_checked_against_the_whole_conversion(tmp_path):
    config = _config(tmp_path)
    renderer = HeadingsRenderer(config, Files([]))
    page = _page(config, _markdown())
    renderer.render(page, PREFIX)
    assert renderer.checked and renderer.enabled and renderer.shortened == 1


def test_one_renderer_converts_many_pages_each_as_if_alone(tmp_path):
    """The Markdown instance is shared by the pages of a process: nothing carries over
    (a heading repeated on the next page keeps its plain id, each page its own TOC)."""
    config = _config(tmp_path)
    renderer = HeadingsRenderer(config, Files([]))
    pages = [_markdown(), f"{PREFIX}0\n\n## Kết quả\n\n## Câu chuyện", _markdown(levels=(3, 2, 2, 2, 5, 2, 6))]
    for markdown in pages * 2:
        whole = _page(config, markdown)
        whole.render(config, Files([]))
        short = _page(config, markdown)
        renderer.render(short, PREFIX)
        assert short.content == whole.content
        assert [(i.id, i.title, i.level) for i in short.toc] == [(i.id, i.title, i.level) for i in whole.toc]
        assert short.present_anchor_ids == whole.present_anchor_ids
    assert renderer.enabled and renderer.shortened == 6
    assert 'id="ket-qua"' in short.content or "ket-qua" in [i.id for i in short.toc]


def test_repeated_headings_are_converted_once_and_give_each_page_the_same_result(tmp_path):
    """Listings and entry templates repeat their headings: one conversion per distinct run
    of headings without links or HTML, each page still getting its own TOC objects."""
    config = _config(tmp_path)
    plain = f"{PREFIX}0\n\n## Kết quả\n\n{PREFIX}1\n\n### Hoà  hòa\n\n{PREFIX}2"
    renderer = HeadingsRenderer(config, Files([]))
    renderer.checked = True
    calls = []
    convert = renderer._convert
    renderer._convert = lambda page: (calls.append(page.markdown), convert(page))[1]
    pages = []
    for _ in range(3):
        page = _page(config, plain)
        renderer.render(page, PREFIX)
        pages.append(page)
    whole = _page(config, plain)
    whole.render(config, Files([]))
    assert len(calls) == 1 and renderer.shortened == 3
    for page in pages:
        assert page.content == whole.content and page.title == whole.title
        assert [(i.id, i.title, i.level) for i in page.toc] == [(i.id, i.title, i.level) for i in whole.toc]
    assert next(iter(pages[0].toc)) is not next(iter(pages[1].toc))  # a TOC a theme may change belongs to one page
    linked = f"{PREFIX}0\n\n## {escape_markdown('[liên kết](javascript:x)')}\n\n{PREFIX}1"
    for _ in range(2):
        renderer.render(_page(config, linked), PREFIX)
    assert len(calls) == 3  # a heading that may hold a link is converted on each page

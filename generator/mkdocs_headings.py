"""Pages made of lifted blocks and headings: only the headings go through Markdown.

After the render stage lifts its HTML blocks (render/blocks.py), an entry page's Markdown
is a run of one-line blocks separated by blank lines: a token ("dvkblock…x3"), which
Python-Markdown turns into `<p>token</p>`, or an ATX heading. Python-Markdown parses
such blocks one at a time (a one-line block cannot continue a list, a quote, code or a
setext heading, and the configured extensions do not act across blocks), and joins what
it makes with newlines. So the page's HTML is the headings' HTML, converted together by
mkdocs' own `Page.render` (the toc extension numbers repeated ids across the page, and
the page's TOC and title come from the same run), interleaved with `<p>token</p>`.
Python-Markdown tried each of its inline patterns on every token paragraph; at 10,000
entries that was most of the Markdown time.

The headings go through one Markdown instance per process, reset between pages, with
mkdocs' four per-page processors registered anew for each page, as `Page.render` does
with a new instance: building the instance (every extension, every pattern) cost a third
of the conversion.

Used only when every block is one such line and every configured extension is one known
to act within a block (`BLOCKWISE`); and the first page a process converts this way is
converted both ways and compared (content, TOC, title, anchors): a difference turns the
shortcut off for that process.

Pages repeat their headings (a listing's, an entry template's, stories' "Kết quả"), and
headings without links or HTML convert the same on every page (the per-page processors
only rewrite links and collect ids), so each distinct run of such headings is converted
once per process and its result reused (`MEMO_SIZE` kept at most).
"""

from __future__ import annotations

import copy
import logging
import re

import markdown
from mkdocs.structure.toc import get_toc

try:  # mkdocs' own per-page processors (as Page.render registers them); absent: page.render
    from mkdocs.structure.pages import _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor, _RawHTMLPreprocessor, _RelativePathTreeprocessor
except ImportError:  # pragma: no cover - another mkdocs
    _RawHTMLPreprocessor = None

log = logging.getLogger("mkdocs.plugins.dvk")

# extensions that act inside one block only (never join, split or reorder blocks, and
# leave a lone alphanumeric word alone); anything else converts the whole page
BLOCKWISE = frozenset({"toc", "tables", "fenced_code", "attr_list", "admonition", "def_list", "smarty", "sane_lists", "md_in_html"})
HEADING_RE = re.compile(r"#{1,6} [^\n]*")
MEMO_SIZE = 4096


class HeadingsRenderer:
    """Converts page Markdown the short way where it applies (see the module docstring)."""

    def __init__(self, config, files):
        self.config, self.files = config, files
        self.enabled = all(isinstance(name, str) and name.removeprefix("markdown.extensions.") in BLOCKWISE for name in config["markdown_extensions"])
        self.checked = False
        self.shortened = 0
        self._md = None  # one Markdown instance for the process (see the module docstring)
        self._memo: dict[str, tuple] = {}  # headings Markdown -> what _convert set

    def render(self, page, token_prefix: str) -> None:
        """Set page.content, toc and title as `page.render(config, files)` would."""
        layout = self._layout(page.markdown or "", token_prefix) if self.enabled and token_prefix else None
        if layout is None:
            page.render(self.config, self.files)
            return
        if not self.checked:
            self.checked = True
            page.render(self.config, self.files)
            whole = _rendered(page)
            self._render_short(page, layout)
            if whole != _rendered(page):
                log.debug(f"dvk: Markdown of headings only differs for {page.file.src_uri}; whole pages are converted")
                self.enabled = False
                page.render(self.config, self.files)
            return
        self._render_short(page, layout)

    def _layout(self, markdown: str, token_prefix: str) -> list[str] | None:
        """The page's blocks when each is a token or an ATX heading line, else None."""
        blocks = markdown.strip("\n").split("\n\n")
        token = re.compile(re.escape(token_prefix) + r"\d+")
        for block in blocks:
            if not (token.fullmatch(block) or HEADING_RE.fullmatch(block)):
                return None
        return blocks

    def _render_short(self, page, blocks: list[str]) -> None:
        source = page.markdown
        headings = [block for block in blocks if block.startswith("#")]
        try:
            page.markdown = "\n\n".join(headings)
            self._convert_once(page)
        finally:
            page.markdown = source
        made = page.content.split("\n") if headings else []
        if len(made) != len(headings):
            page.render(self.config, self.files)  # a heading made more than one line
            return
        converted = iter(made)
        page.content = "\n".join(next(converted) if block.startswith("#") else f"<p>{block}</p>" for block in blocks)
        self.shortened += 1

    def _convert_once(self, page) -> None:
        """_convert, or what it set for the same headings (without links or HTML) before."""
        text = page.markdown
        if "[" in text or "<" in text or _RawHTMLPreprocessor is None:
            self._convert(page)
            return
        known = self._memo.get(text)
        if known is None:
            self._convert(page)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            known = self._memo[text] = (page.content, copy.deepcopy(self._toc_tokens), page._title_from_render, frozenset(page.present_anchor_ids), getattr(page, "links_to_anchors", None))
        content, tokens, title, anchors, links = known
        page.content = content
        page.toc = get_toc(tokens)  # (it only reads them: each page gets its own AnchorLinks)
        page._title_from_render = title
        page.present_anchor_ids = set(anchors)
        if links is not None:
            page.links_to_anchors = dict(links)

    def _convert(self, page) -> None:
        """`page.render(config, files)` with this process's Markdown instance, reset."""
        if _RawHTMLPreprocessor is None:
            page.render(self.config, self.files)
            return
        if self._md is None:
            self._md = markdown.Markdown(extensions=self.config["markdown_extensions"], extension_configs=self.config["mdx_configs"] or {})
        md = self._md
        md.reset()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(page.file, self.files, self.config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(page.file, self.files, self.config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        self._toc_tokens = getattr(md, "toc_tokens", [])
        page.toc = get_toc(self._toc_tokens)
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors


def _rendered(page) -> tuple:
    """What Page.render sets, comparable: HTML, TOC, title from the content, anchor ids."""
    return (page.content, [(item.id, item.title, item.level, len(item.children)) for item in page.toc], page._title_from_render, page.present_anchor_ids)

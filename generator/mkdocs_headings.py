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

Used only when every block is one such line and every configured extension is one known
to act within a block (`BLOCKWISE`); and the first page a process converts this way is
converted both ways and compared: a difference turns the shortcut off for that process.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("mkdocs.plugins.dvk")

# extensions that act inside one block only (never join, split or reorder blocks, and
# leave a lone alphanumeric word alone); anything else converts the whole page
BLOCKWISE = frozenset({"toc", "tables", "fenced_code", "attr_list", "admonition", "def_list", "smarty", "sane_lists", "md_in_html"})
HEADING_RE = re.compile(r"#{1,6} [^\n]*")


class HeadingsRenderer:
    """Converts page Markdown the short way where it applies (see the module docstring)."""

    def __init__(self, config, files):
        self.config, self.files = config, files
        self.enabled = all(isinstance(name, str) and name.rsplit(".", 1)[-1] in BLOCKWISE for name in config["markdown_extensions"])
        self.checked = False
        self.shortened = 0

    def render(self, page, token_prefix: str) -> None:
        """Set page.content, toc and title as `page.render(config, files)` would."""
        layout = self._layout(page.markdown or "", token_prefix) if self.enabled and token_prefix else None
        if layout is None:
            page.render(self.config, self.files)
            return
        if not self.checked:
            self.checked = True
            page.render(self.config, self.files)
            whole = (page.content, [(item.id, item.title, item.level) for item in page.toc])
            self._render_short(page, layout)
            if whole != (page.content, [(item.id, item.title, item.level) for item in page.toc]):
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
            page.render(self.config, self.files)
        finally:
            page.markdown = source
        made = page.content.split("\n") if headings else []
        if len(made) != len(headings):
            page.render(self.config, self.files)  # a heading made more than one line
            return
        converted = iter(made)
        page.content = "\n".join(next(converted) if block.startswith("#") else f"<p>{block}</p>" for block in blocks)
        self.shortened += 1

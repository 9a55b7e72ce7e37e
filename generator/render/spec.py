"""The output of the render stage: page and asset specifications, nothing written.

A `PageSpec` is all a writer needs to make a page: the mkdocs plugin turns each one into
a virtual `File`, the tests read them directly, and a future export sink could write
them as Markdown files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

SECTION = "section"  # a page the navigation lists
LISTING = "listing"  # a sub-page of a section (term, year, place, page 2…)
ENTRY = "entry"  # one model, exemplar or event


@dataclass(frozen=True)
class PageSpec:
    """One generated page: Markdown source (with HTML blocks) and its metadata."""

    path: str  # directory-style site path, "" for home
    uri: str  # source URI for mkdocs ("quan-huyen/tay-ho/index.md")
    title: str
    content: str  # Markdown, front matter included
    description: str = ""
    role: str = LISTING
    source: str = ""  # content file this page shows (entries), for edit links
    image: str = ""  # site path of a representative image (OpenGraph)
    searchable: bool = False  # indexed by the site search
    blocks: tuple[str, ...] = ()  # generated HTML lifted out of `content` (see blocks.py)
    token_prefix: str = ""
    projection: str = ""  # digest of the data the page is made from (see projection.py)
    reused: bool = False  # not rendered: the build already has this projection's page
    # not rendered yet: a call that returns the finished spec (Renderer.defer); a writer
    # with several processes renders these where it writes them
    deferred: Callable[[], "PageSpec"] | None = field(default=None, compare=False, repr=False)
    # the front matter at the head of `content` as the values written (what mkdocs reads back
    # as page.meta) and where it ends: a page writer need not parse the YAML it wrote
    meta: dict | None = field(default=None, compare=False, repr=False)
    meta_end: int = field(default=0, compare=False, repr=False)

    def read_source(self) -> tuple[str, dict] | None:
        """(Markdown, meta) as mkdocs' Page.read_source splits `content` (meta.get_data),
        without parsing the YAML: None when the spec does not know its front matter."""
        if self.meta is None:
            return None
        return self.content[self.meta_end :].lstrip("\n"), dict(self.meta)

    @property
    def markdown(self) -> str:
        """The whole page as one Markdown document (HTML blocks in place), e.g. for export."""
        from .blocks import inline_blocks

        return inline_blocks(self.content, self.token_prefix, self.blocks)

    def finish_html(self, html: str) -> str:
        """Put the lifted HTML blocks into the HTML that Markdown made of `content`."""
        from .blocks import inline_blocks

        return inline_blocks(html, self.token_prefix, self.blocks)


@dataclass(frozen=True)
class AssetSpec:
    """A file copied into the site as it is (images of entries, fonts)."""

    path: str  # site path, "anh/models/tay-ho/anh/giay-khen.png"
    source: Path


@dataclass(frozen=True)
class FileSpec:
    """A file made by the build itself (data files, CSV of a chart, feeds): path and bytes."""

    path: str  # site path, "data/entries.json"
    content: bytes  # or text, written as UTF-8

    @property
    def data(self) -> bytes:
        return self.content if isinstance(self.content, bytes) else str(self.content).encode("utf-8")


@dataclass
class RenderResult:
    pages: list[PageSpec] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    files: list[FileSpec] = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)  # (title, uri) of sections

    def page(self, path: str) -> PageSpec | None:
        """The page at a site path (for tests and the plugin's lookups)."""
        return next((p for p in self.pages if p.path == path), None)

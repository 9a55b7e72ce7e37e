"""Pages out of the nav without one theme render each: mkdocs' Markdown, then a checked theme shell.

Rendering material's templates is most of the time mkdocs spends on a page (the header,
both navigations and the footer are rebuilt for every one of 10,000 entries and 1,700
listing pages, and they are the same for all of them). Every page but the nine sections
is out of the nav, so what the theme makes of it differs from another such page of the
same *shape* (template, folder, front-matter switches, whether it has a TOC) only by the
page's own values: title, description, image, URL slug, edit path, content and TOC. A `Shell` is the theme's output for a
stand-in page whose values are markers, cut at the markers; a page is the shell joined
with its own values.

Nothing here guesses what the theme does. A shell is used only after two checks:
- *faithful*: a second stand-in whose values carry `&<>"'` is rendered by the theme and
  compared with the shell filled with those values, so a template that escapes, strips
  or truncates a value anywhere makes the shape go through the theme;
- *exact*: the first real page of each shape is rendered both ways and must be the same
  bytes.
A shape that fails either check (or a page whose values contain the marker text) is
rendered by the theme as mkdocs would, one page at a time: same bytes, only slower.
The plugin uses shells only when no other plugin listens to page events (its hooks would
be skipped), see `shells_allowed`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .build import page_input_key, place_blob
from .compact_html import compact_html, compacts_apart, join_compacted
from .cores import map_forked, pool_pays
from .mkdocs_headings import HeadingsRenderer
from .render import RenderProblems

log = logging.getLogger("mkdocs.plugins.dvk")

MARK = "qzdvkshell"  # lowercase letters only: no template filter or URL quoting changes it
FIELDS = ("title", "description", "image", "slug", "folder", "content", "toc", "skip")
# what a filtering template would change: escape, striptags, quotes, case, trim, truncate
PROBE = " Ab &amp;<i>\"'& " + "x" * 300 + " "
H1 = "<h1></h1>"  # what makes the stand-in's content count as having its own title
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")
SUBSTITUTED_META = ("title", "description", "dvk_image")


def marker(field: str) -> str:
    return f"{MARK}{field}{MARK}"


ANCHOR_RE = re.compile(r"[A-Za-z0-9_-]+")
MARKER_RE = re.compile(f"{MARK}({'|'.join(FIELDS)}){MARK}")


def shells_allowed(config, plugin) -> bool:
    """True when dvk is the only plugin with page events: a shell skips them for its pages."""
    for event in PAGE_EVENTS:
        for method in config.plugins.events.get(event, []):
            if getattr(method, "__self__", None) is not plugin:
                return False
    return True


@dataclass(frozen=True)
class Shell:
    """The theme's output for one shape, as literal pieces and field names in turn."""

    pieces: tuple[str, ...]  # literal, field, literal, field, …, literal

    @classmethod
    def cut(cls, html: str) -> "Shell":
        return cls(tuple(MARKER_RE.split(html)))

    def fill(self, values: dict[str, str]) -> str:
        out = []
        for index, piece in enumerate(self.pieces):
            out.append(values[piece] if index % 2 else piece)
        return "".join(out)

    @cached_property
    def compacted(self) -> tuple[str, ...] | None:
        """The literal pieces through compact_html, once per shape (None: not apart)."""
        literals = self.pieces[::2]
        return tuple(compact_html(piece) for piece in literals) if all(map(compacts_apart, literals)) else None

    def fill_compact(self, values: dict[str, str]) -> str:
        """compact_html(self.fill(values)), compacting only the values where that is the same."""
        if self.compacted is not None:
            parts = []
            for index, piece in enumerate(self.pieces):
                if index % 2 == 0:
                    parts.append((piece, self.compacted[index // 2]))
                    continue
                value = values[piece]
                if not compacts_apart(value):
                    break
                parts.append((value, compact_html(value) if "\n" in value else value))
            else:
                joined = join_compacted(parts)
                if joined is not None:
                    return joined
        return compact_html(self.fill(values))


class ShellRenderer:
    """Makes the finished HTML of out-of-nav pages for one build (see the module docstring)."""

    def __init__(self, config, env, nav, files):
        self.config, self.env, self.nav, self.files = config, env, nav, files
        self.doc_files = files.documentation_pages()
        self.lang = env.get_template("partials/language.html").make_module({"config": config})
        self.toc_template = env.get_template("partials/toc.html")
        # material's own TOC partials read nothing of a page but its TOC: pages with the same
        # headings share one render (an override of either partial is rendered per page)
        self.toc_cache: dict | None = {} if all(_is_material(env, name) for name in ("partials/toc.html", "partials/toc-item.html")) else None
        self.shells: dict[str, Shell | None] = {}  # shape -> shell, or None: theme only
        self.markdown = HeadingsRenderer(config, files)  # the pages' Markdown (mkdocs_headings.py)
        self.shelled = self.themed = 0

    # -- one page ---------------------------------------------------------------------
    def render(self, page: Page, slug: str, compact: bool = False) -> str:
        """The page's HTML: from its shape's shell when checked, else from the theme;
        through compact_html when `compact` (a shell compacts only the page's values)."""
        values = self._values(page, slug)
        folder = _folder_of(page, slug)
        shape = self._shape(page, slug, folder)
        shell = None
        if values is not None and shape is not None:
            if shape not in self.shells:
                values["folder"] = folder
                self.shells[shape] = self._make_shell(page, slug, values)  # checked against the theme
            shell = self.shells[shape]
        if shell is None:
            html = self._count_theme(self.render_with_theme(page))
            return compact_html(html) if compact else html
        self.shelled += 1
        values["folder"] = folder
        return shell.fill_compact(values) if compact else shell.fill(values)

    def _count_theme(self, html: str) -> str:
        self.themed += 1
        return html

    def render_with_theme(self, page: Page) -> str:
        """What mkdocs' _build_page renders for the page (dvk has no page_context hook)."""
        page.active = True
        try:
            context = get_context(self.nav, self.doc_files, self.config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            return template.render(context)
        finally:
            page.active = False

    def render_toc(self, page: Page) -> str:
        if self.toc_cache is None:
            return self.toc_template.render(page=page, config=self.config, lang=self.lang)
        key = _toc_key(page.toc)
        found = self.toc_cache.get(key)
        if found is None:
            found = self.toc_cache[key] = self.toc_template.render(page=page, config=self.config, lang=self.lang)
        return found

    # -- shapes and values ------------------------------------------------------------
    def _values(self, page: Page, slug: str) -> dict[str, str] | None:
        meta = page.meta
        toc = list(page.toc)
        values = {
            "title": str(meta.get("title", "")),
            "description": str(meta.get("description", "")),
            "image": str(meta.get("dvk_image", "")),
            "slug": slug,
            "content": page.content or "",
            "toc": self.render_toc(page),
            "skip": toc[0].id if toc else "",
        }
        if any(MARK in value for value in values.values()):
            return None  # a value that looks like a marker: the theme renders this page
        if toc and not ANCHOR_RE.fullmatch(values["skip"]):
            return None  # the skip link's href goes through the `url` filter: plain ids only
        return values

    def _shape(self, page: Page, slug: str, folder: str = "") -> str | None:
        url = page.url
        if not slug or not ANCHOR_RE.fullmatch(slug) or url.count(slug) != 1:
            return None
        if folder:  # pages of all districts (years, fields) share one shape, see _folder_of
            url = url.replace(f"/{folder}/", f"/{marker('folder')}/", 1)
        edit = page.file.edit_uri or ""
        if edit and not page.edit_url:
            # no edit link (no repo_url): the entry's folder must not make a shape of its
            # own (160 folders at 10,000 entries); the stand-in's path is a marker the
            # theme never shows, else the shell is refused (_make_shell)
            edit = marker("edit")
        elif edit and (edit.count(slug) != 1 or any(word in edit for word in ("edit", "blob", "raw"))):
            return None  # material rewrites these words in edit links (actions.html)
        toc = list(page.toc)
        meta = {k: (v if k not in SUBSTITUTED_META else bool(v)) for k, v in page.meta.items()}
        try:
            meta_key = json.dumps(meta, sort_keys=True, ensure_ascii=False)
        except TypeError:
            return None
        return json.dumps([url.replace(slug, marker("slug")), meta_key, toc[0].level if toc else 0, "<h1" in (page.content or ""), edit.replace(slug, marker("slug"))])

    # -- making and checking a shell --------------------------------------------------
    def _make_shell(self, page: Page, slug: str, values: dict[str, str]) -> Shell | None:
        markers = {field: marker(field) for field in FIELDS}
        shell = Shell.cut(self._render_standin(page, slug, markers))
        if any(MARK in piece for piece in shell.pieces[::2]):
            log.debug(f"dvk: the theme shows a value shells do not fill for {page.file.src_uri}; pages of this shape use the theme")
            return None
        probe = {field: markers[field] + PROBE for field in FIELDS}
        for field in ("slug", "folder", "skip", "toc"):
            # URL segments and ids (letters, digits, dashes: checked per page); the TOC is
            # rendered per page by the theme's own partial, never substituted raw
            probe[field] = markers[field]
        probed = self._render_standin(page, slug, probe)
        if shell.fill(probe) != probed:
            log.debug(f"dvk: the theme filters a page value for {page.file.src_uri}; pages of this shape use the theme")
            return None
        if shell.fill(values) != self.render_with_theme(page):
            log.debug(f"dvk: shell and theme differ for {page.file.src_uri}; pages of this shape use the theme")
            return None
        return shell

    def _standin(self, page: Page, slug: str, values: dict[str, str]) -> Page:
        src_uri = page.file.src_uri.replace(slug, marker("slug"), 1)
        folder = _folder_of(page, slug)
        if folder:  # a marker, as in the shape
            src_uri = src_uri.replace(f"/{folder}/", f"/{values['folder']}/", 1)
        file = File.generated(self.config, src_uri, content="", inclusion=page.file.inclusion)
        # the entry file's path with the slug as its marker: urljoin resolves the path's
        # "../" against edit_uri exactly as for the real page
        file.edit_uri = page.file.edit_uri.replace(slug, values["slug"]) if page.file.edit_uri else None
        if page.file.edit_uri and not page.edit_url:
            file.edit_uri = marker("edit")  # see _shape
        standin = Page(None, file, self.config)
        standin.markdown = ""
        standin.meta = dict(page.meta)
        standin.meta["title"] = values["title"]
        for key, field in (("description", "description"), ("dvk_image", "image")):
            if page.meta.get(key):
                standin.meta[key] = values[field]
        # the theme adds an <h1> unless the content has one: so does the stand-in (cut off after)
        standin.content = values["content"] + (H1 if "<h1" in (page.content or "") else "")
        toc = list(page.toc)
        standin.toc = TableOfContents([AnchorLink(values["toc"], values["skip"], toc[0].level)] if toc else [])
        standin.update_date = page.update_date
        return standin

    def _render_standin(self, page: Page, slug: str, values: dict[str, str]) -> str:
        standin = self._standin(page, slug, values)
        html = self.render_with_theme(standin)
        if standin.content != values["content"]:
            if html.count(standin.content) != 1:
                return ""
            html = html.replace(standin.content, values["content"])
        if standin.toc:
            toc_html = self.render_toc(standin)
            if html.count(toc_html) != 1:
                return ""  # the TOC is not where the partial puts it: no shell
            html = html.replace(toc_html, marker("toc"))
        return html


def _folder_of(page: Page, slug: str) -> str:
    """The middle segment of a page at `section/folder/slug/` (a district, year or field
    with its pages of a long listing), or "" when it cannot stand for a marker: it must be a
    plain name that is neither in the slug nor in the edit path and occurs once in the URL,
    and the page's source must sit in that folder too. Without it every district made a
    shape of its own (197 shapes, each three theme renders in each process, at 10,000 entries)."""
    parts = page.url.split("/")
    if len(parts) != 4 or parts[2] != slug or parts[3]:
        return ""
    folder = parts[1]
    source = page.file.src_uri.split("/")
    if (not ANCHOR_RE.fullmatch(folder) or folder in slug or slug in folder or page.url.count(folder) != 1
            or len(source) < 3 or source[1] != folder or folder in (page.file.edit_uri or "") or MARK in folder):
        return ""
    return folder


def _is_material(env, name: str) -> bool:
    """True when the theme's template `name` is mkdocs-material's own file (not an override)."""
    import material

    try:
        filename = env.get_template(name).filename or ""
    except Exception:  # noqa: BLE001 - a missing partial: not material's
        return False
    return Path(filename).resolve().is_relative_to(Path(material.__file__).resolve().parent)


def _toc_key(items) -> tuple:
    """Everything of a TOC that material's partials show: ids, titles, levels, nesting."""
    return tuple((item.id, item.title, item.level, repr(getattr(item, "typeset", None)), _toc_key(item.children)) for item in items)


# -- writing the pages, on both cores -------------------------------------------------


@dataclass
class ShellJob:
    """What writing the shelled pages of one build needs (inherited by forked workers)."""

    config: object
    env: object
    nav: object
    files: object
    site_dir: Path
    outputs: object  # the build's OutputCache (workers only write blobs into it)
    date: str | None  # the pages' update_date (the content's date, see builddate.py)
    pending: list  # [(File, PageSpec, input key or None: a deferred spec, keyed once rendered)]
    context_key: str = ""  # what every page shares (the plugin's context_key), for deferred pages' keys
    compact: bool = False  # pages without template indentation (as the plugin's on_post_page)
    compressed: Path | None = None  # the build's compressed-copy cache: each page gets its .br/.gz here


_JOB: ShellJob | None = None  # set in the parent just before forking
_RENDERER: ShellRenderer | None = None  # one per process: its shells serve all its pages
_COMPRESSED = None  # one compressed.CompressedCache per process (its shard folders made once)


def write_shell_pages(job: ShellJob, workers: int = 0) -> list[tuple[int, str, str, list | None, object]]:
    """Write every pending page into the site and the blob store: [(index, input key,
    digest, problems, copies)], problems being those of a deferred page that could not be
    rendered (None: a deferred page whose Markdown was cached, placed without being made),
    copies the page's .br/.gz written with it (compressed.WrittenCopies, or None).

    With `workers` > 1 and enough pages, forked processes take interleaved slices (each
    makes and checks its own shells); the parent records the results in order, so the
    manifest and the site are the same whichever way the pages were made.
    """
    global _JOB, _RENDERER, _COMPRESSED
    _JOB, _RENDERER, _COMPRESSED = job, None, None
    indices = list(range(len(job.pending)))
    try:
        if pool_pays(len(indices), workers):
            slices = [indices[start::workers * 4] for start in range(workers * 4)]
            return sorted(pair for part in map_forked(_write_slice, slices, workers) for pair in part)
        return _write_slice(indices)
    finally:
        _JOB = _RENDERER = _COMPRESSED = None


def _write_slice(indices: list[int]) -> list[tuple[int, str, str, list | None, object]]:
    global _RENDERER, _COMPRESSED
    job = _JOB
    if _RENDERER is None:
        _RENDERER = ShellRenderer(job.config, job.env, job.nav, job.files)
    if _COMPRESSED is None and job.compressed is not None:
        from .compressed import CompressedCache

        _COMPRESSED = CompressedCache(job.compressed)
    out = []
    for index in indices:
        file, spec, key = job.pending[index]
        target = job.site_dir / file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if spec.deferred is not None:
            try:
                spec = spec.deferred()
            except RenderProblems as failed:
                out.append((index, "", "", failed.problems, None))
                continue
            file.content_string = spec.content
            key = page_input_key(job.context_key, spec.uri, spec.content, spec.blocks, spec.token_prefix)
            cached = job.outputs.lookup(spec.uri, key, spec.projection)
            if cached is not None:  # rendered to the same Markdown as a cached page
                place_blob(cached, target)
                out.append((index, key, cached.name, None, None))  # None: reused, not made
                continue
        html = render_entry_html(job, _RENDERER, file, spec)
        data = html.encode("utf-8", errors="xmlcharrefreplace")
        digest = job.outputs.write_placed(data, target)  # written once: the site file is the blob
        copies = _COMPRESSED.write_page_copies(data, digest, str(target)) if _COMPRESSED is not None else None
        out.append((index, key, digest, [], copies))
    log.debug(f"dvk: {_RENDERER.shelled} trang mục từ khuôn, {_RENDERER.themed} trang qua theme, {_RENDERER.markdown.shortened} trang chỉ chuyển tiêu đề qua Markdown")
    return out


def render_entry_html(job: ShellJob, renderer: ShellRenderer, file: File, spec) -> str:
    """mkdocs' steps for one page (read, Markdown, dvk's blocks back in), then the shell."""
    page = Page(None, file, job.config)
    job.config._current_page = page
    try:
        if job.date:
            page.update_date = job.date  # as the plugin's on_pre_page does
        known = spec.read_source() if file.content_string == spec.content else None
        if known is None:
            page.read_source(job.config)
        else:  # what read_source would set, from the values the front matter was written from
            page.markdown, page.meta = known
        renderer.markdown.render(page, spec.token_prefix)  # = page.render(config, files)
        page.content = spec.finish_html(page.content)  # as the plugin's on_page_content does
        return renderer.render(page, spec.path.rstrip("/").rsplit("/", 1)[-1], job.compact)
    except Exception as error:
        log.error(f"Error building page '{file.src_uri}': {error}")  # as mkdocs names a failing page
        raise
    finally:
        job.config._current_page = None

"""The mkdocs adapter: content/ -> validated entries -> derived site -> virtual pages.

A thin layer by design (see shared/style-anchors.md): validation, derivation and page
rendering live in pure modules; this file only translates between them and mkdocs'
events. The plugin defines `on_startup`, so mkdocs keeps one instance across `serve`
rebuilds and the `Validator`'s parse cache re-reads only changed entry files.

It is also the mkdocs *sink* of the core's build (generator/build/): a page whose input
key (its Markdown and HTML blocks, the configuration, theme, navigation and dvk's code)
is in the on-disk output cache is not handed to mkdocs at all — its finished HTML is
copied into the site after mkdocs wrote the others, so mkdocs' Markdown and theme
rendering (most of a build) runs only for stale pages.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from functools import partial
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from .build import BuildStats, CachedMemo, OutputCache, cache_root, load_validator, place_blob, project_cache_dir, save_validator, separate_links
from .build.aftercare import run_jobs
from .build.spare import KeptTree, set_served_site_aside
from .builddate import build_datetime
from .compact_html import compact_html
from .cores import forking_is_safe, usable_cores
from .derive import derive_site
from .mkdocs_static import drop_unused_theme_files, reserved_paths, static_allowed, take_static_files, warm_static_copies
from .mkdocs_shell import shells_allowed
from .imaging import ImagePipeline, ImagePipelineError, referenced_images
from .render import ENTRY, LISTING, RenderOptions, RenderProblems, render_site
from .render.env import make_environment
from .render.footer import FOOTER_KEYS, footer_date, unknown_footer_keys
from .render.opendata import DEFAULT_LICENCE
from .text import format_date
from .mkdocs_background import BackgroundFilesMixin, data_memo_for
from .mkdocs_finish import SiteFinishMixin
from .mkdocs_pages import PagePlacementMixin
from .mkdocs_served import ServedFilesMixin
from .mkdocs_files import add_error_page, context_key, finish_context_key, nav_uris, shown_path
from .servecollect import IdleCollector
from .servepreview import insert_banner, render_error_banner
from .sitemap import write_sitemap

log = logging.getLogger("mkdocs.plugins.dvk")
LISTINGS_MEMO = "dvk:listings"  # the output-cache name of the non-entry pages memo (render/listings.py): no site path


class DvkConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Folder of entries and places.yml, relative to the folder of mkdocs.yml."""
    per_page = c.Type(int, default=48)
    """Cards per page of a long listing (listings are paginated beyond this)."""
    preview = c.Type(int, default=6)
    """Cards per group on overview pages (district, field index)."""
    search = c.Type(bool, default=True)
    """Write the site search index from the core's search records (folded words, filters)."""
    fonts = c.Type(bool, default=True)
    """Copy Be Vietnam Pro from the fontpkg-be-vietnam-pro package into the site."""
    cms = c.Type(bool, default=True)
    """Publish the web editor (Decap CMS) at /admin/ with a config derived from the schema."""
    cms_backend = c.Type(dict, default={"name": "github", "repo": "", "branch": "main"})
    """Decap's `backend` block (github or gitlab, repo, branch, auth): see the README."""
    cms_editorial_workflow = c.Type(bool, default=False)
    """Drafts as pull/merge requests (Decap's editorial_workflow)."""
    licence = c.Type(str, default="")
    """Licence of the content and the open-data files (data page); default CC BY 4.0."""
    precompress = c.Type(bool, default=True)
    """Write .br/.gz copies of text files for static hosts (skipped by `serve`)."""
    compact_html = c.Type(bool, default=True)
    """Write pages without the templates' indentation and empty lines (generator/compact_html.py)."""
    shell_pages = c.Type(bool, default=True)
    """Write pages out of the nav from a checked theme shell instead of one theme render each (the
    same bytes, see generator/mkdocs_shell.py); off: mkdocs renders every page."""


class DvkPlugin(PagePlacementMixin, BackgroundFilesMixin, SiteFinishMixin, ServedFilesMixin, BasePlugin[DvkConfig]):
    def on_startup(self, *, command, dirty) -> None:
        """Keep one Validator (and its caches) for the life of the process.

        A build (one process, then it exits) runs without Python's cycle collector: its
        full collections walked every live object (the validator's cache, the derived site:
        millions at 10,000 entries) again and again, a sixth of a cold build's CPU and a
        second of loading and saving the validator; little of what a build makes is cyclic
        garbage (the peak memory stayed the same). `serve` keeps it: it runs for hours."""
        self.validator = None  # loaded from the disk cache in on_config
        self.serving = command == "serve"
        self.dirty = bool(dirty)
        self.kept_tree = None  # `dvk build` sets the last replaced site, to update (build/kept.py)
        self.collector_paused = command == "build" and gc.isenabled()
        if self.collector_paused:
            gc.disable()
        self.idle_collector = IdleCollector() if self.serving and gc.isenabled() else None

    def on_config(self, config):
        """Sections-only navigation when mkdocs.yml gives none. Priority: default."""
        if getattr(self, "idle_collector", None) is not None:
            self.idle_collector.pause()  # until this rebuild ends (servecollect.py)
        self.root = Path(config.config_file_path).resolve().parent
        self.content_dir = (self.root / self.config.content_dir).resolve()
        self.stats = BuildStats()
        self.cache_dir = project_cache_dir(self.root)
        if getattr(self, "validator", None) is None or getattr(self, "_validator_dir", None) != self.cache_dir:
            # first build of this process: the validation results of the last run, from disk
            self.validator, self._validator_dir = load_validator(self.cache_dir), self.cache_dir
        if getattr(self, "outputs", None) is None or self.outputs.folder != self.cache_dir / "outputs":
            self.outputs = OutputCache(self.cache_dir / "outputs")
            (self.cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
            self.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self.cache_dir / "jinja"))
        make_environment().bytecode_cache = self.bytecode_cache  # the render stage's templates too
        cache = cache_root(self.root) / "dvk-images"
        if getattr(self, "images", None) is None or self.images.cache_dir != cache:
            # one pipeline (and its hash memo) across serve rebuilds; mkdocs reuses this
            # instance for another config in the same process, so a new project gets its own
            self.images = ImagePipeline(cache, project=self.root)
        if self.config.search:
            config.extra["dvk_search_url"] = "tim-kiem/index.md" if not config.use_directory_urls else "tim-kiem/"
        if config.nav is None:
            from .render import NAV

            config.nav = [{title: (f"{path}index.md" if path else "index.md")} for title, path in NAV if self.config.search or path != "tim-kiem/"]
        # what on_files adds (the content's date, the nav's page titles) is added there
        self.config_key = self.context_key = context_key(config, self.config)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        """Validate content/, derive the site and add every generated page and asset."""
        started = time.monotonic()
        self.pending = {}  # nothing of an earlier build may be stored under this build's pages
        self.shell_pending = []  # nor written from shells (a build that failed after on_files)
        self.outputs.forget_listing()
        if getattr(self, "dirty", False):
            # --dirty keeps the last site, whose files may be hard links into the cache:
            # mkdocs would write its pages through them (see build.cache.place_blob)
            separate_links(Path(config.site_dir))
        checked_before = self.validator.checks
        # a first run checks files on every core (checkpool.py); `serve` never forks its threads
        content = self.validator.run(self.root, self.content_dir, workers=self._pool_size())
        self.stats.validated = self.validator.checks - checked_before
        started = self.stats.mark("validate", started)
        for problem in content.warnings:
            log.warning(problem.format())
        self.banner = ""
        if content.errors:
            for problem in content.errors:
                log.error(problem.format())
            if getattr(self, "serving", False):
                # the preview keeps running: the last good pages, every page saying what to fix;
                # the next save that fixes the file rebuilds without the banner
                self.banner = render_error_banner(content.errors)
                return self._last_files(files, config) if getattr(self, "last_good", None) else add_error_page(files, config, content.errors)
            raise PluginError(f"Nội dung có {len(content.errors)} lỗi — hãy sửa trước (dvk validate).")
        site = derive_site(content.entries, content.places)
        options = RenderOptions.from_settings(dict(self.config), site_url=config.site_url, site_name=config.site_name, directory_urls=config.use_directory_urls)
        self._start_background(site, options, content.places, config)
        self.build_date = build_datetime(content.entries)
        updated = footer_date(site, os.environ.get("SOURCE_DATE_EPOCH"))
        config.extra["dvk_updated"] = format_date(updated) if updated else ""
        config.extra["dvk_licence"] = self.config.licence or DEFAULT_LICENCE  # footer and data page say the same
        self.context_key = finish_context_key(self.config_key, config, self.build_date)
        for key in unknown_footer_keys(config.extra.get("dvk_footer") or {}):
            log.warning(f"mkdocs.yml: extra.dvk_footer.{key}: khóa không được hỗ trợ — dùng: {', '.join(FOOTER_KEYS)}")
        prepared = self._prepare_images(content.entries)
        if not config.site_url:
            log.info("dvk: mkdocs.yml chưa có site_url nên không tạo nguồn tin Atom (feed.xml); đặt site_url để có")
        started = self.stats.mark("images", started)
        in_nav = nav_uris(config)
        reuse = lambda uri, projection: uri not in in_nav and self.outputs.has_projection(uri, projection)  # noqa: E731
        shells = self.config.shell_pages and shells_allowed(config, self)
        try:
            # pages out of the nav are rendered where their shells are filled: on both cores
            # a preview makes the open data here, keeping the entries' pieces in memory (export/memo.py)
            memo = None if self.files_elsewhere else data_memo_for(getattr(self, "data_memo", None), site, options)
            result = render_site(site, options, prepared, reuse=reuse, salt=self.context_key, defer=(ENTRY, LISTING) if shells else (), open_data=not self.files_elsewhere, data_memo=memo, listings_memo=CachedMemo(self.outputs, LISTINGS_MEMO))
            if memo is not None:
                memo.keep_used()
                self.data_memo = memo
        except RenderProblems as failed:
            for problem in failed.problems:
                log.error(problem.format())
            raise PluginError(f"Có {len(failed.problems)} mục không dựng được trang — hãy sửa (xem các dòng trên).") from None
        started = self.stats.mark("render", started)
        self.stats.projected = sum(1 for page in result.pages if page.reused)
        self._place_pages(files, config, result.pages, in_nav, shells)
        self._add_made_files(files, config, result.files)  # a preview leaves unchanged ones served
        self._add_assets(files, config, result.assets)
        if self.config.cms:
            self._add_admin(files, config, content.places)
        self.page_urls = {file.url for file in files.documentation_pages()} | {file.url for file, _ in self.reused} | {file.url for file, _, _ in self.shell_pending}
        self.last_good = [f for f in files if f.generated_by == "dvk"] if getattr(self, "serving", False) else None
        self.last_good_left = self._last_good_made()  # FileSpecs left in the served site
        self.after_files = self.stats.mark("files", started)
        return files

    def _prepare_images(self, entries) -> dict:
        """Every referenced image, upright and stripped, as cached variants (encoded only when new).

        A photo the pipeline cannot read fails the build like a content error: one
        Vietnamese line per file, no traceback.
        """
        try:
            prepared = self.images.prepare(referenced_images(entries))
        except ImagePipelineError as error:
            for path, reason in sorted(error.failures.items()):
                log.error(f"{shown_path(path, self.root)}: {reason}")
            raise PluginError(f"Có {len(error.failures)} ảnh không xử lý được — hãy sửa hoặc thay ảnh (dvk validate).") from None
        stats = self.images.stats
        log.info(f"dvk: {stats.sources} ảnh, {stats.cache_hits} có sẵn trong bộ nhớ đệm, {stats.encoded} mới mã hoá")
        return prepared

    def _pool_size(self) -> int:
        """Processes a stage may fork: one while serving or while other threads run (a
        preview server's threads must not be forked), else the usable cores."""
        return 1 if getattr(self, "serving", False) or not forking_is_safe() else usable_cores()

    def on_nav(self, nav, *, config, files):
        """Keep the navigation for the pages written from shells after mkdocs."""
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        """Keep compiled theme templates on disk: compiling material's templates was a
        large part of a small incremental build. Jinja checks each template's source
        checksum, so an edited template is compiled again."""
        env.bytecode_cache = self.bytecode_cache
        self.env, self.files = env, files
        drop_unused_theme_files(files, config)
        # placed with the cached pages (mkdocs_static.py); after the pages' links are resolved
        self.placed_static = []
        if static_allowed(config, self):
            pages = [file for file, _ in getattr(self, "reused", [])] + [file for file, _, _ in getattr(self, "shell_pending", [])]
            reserved = reserved_paths(config, files, pages)
            immutable = (os.path.join(os.path.abspath(self.images.cache_dir), ""),)  # content-addressed variants
            self.placed_static = take_static_files(files, self.outputs, reserved, getattr(self, "background_whole", frozenset()), made=not getattr(self, "serving", False), immutable=immutable)
            self.warming = warm_static_copies(self.placed_static, self._compressed_folder(), self._editor_dirs())
        return env

    def on_pre_page(self, page, *, config, files):
        """Date every page by the content, not the clock (sitemap lastmod, sitemap.xml.gz header)."""
        if getattr(self, "build_date", None) is not None:
            page.update_date = self.build_date.strftime("%Y-%m-%d")
        return page

    def on_page_content(self, html: str, *, page, config, files) -> str:
        """Put back the generated HTML blocks the render stage kept away from Markdown."""
        spec = getattr(self, "specs", {}).get(page.file.src_uri)
        return spec.finish_html(html) if spec else html

    @event_priority(-100)  # after every other plugin (glightbox) has finished the page
    def on_post_page(self, output: str, *, page, config) -> str:
        """Keep the finished HTML of a page mkdocs made, under its input key; in `dvk serve`
        with content errors, put them at the top of every page (never into the cache)."""
        if self.config.compact_html:
            output = compact_html(output)
        if getattr(self, "banner", ""):
            return insert_banner(output, self.banner)
        keys = self.pending.get(page.file.src_uri) if hasattr(self, "pending") else None
        if keys is not None:
            self.outputs.store(page.file.src_uri, keys[0], output.encode("utf-8"), keys[1])
            self.stats.rendered += 1
        return output

    def on_serve(self, server, *, config, builder):
        """Rebuild (with live reload) when an entry, image or places.yml changes, or a file of
        the project's own theme (`custom_dir`): mkdocs watches a theme only with
        `--watch-theme`, which would also poll all of material's installed files."""
        server.watch(str(self.content_dir))
        custom_dir = config.theme.custom_dir
        if custom_dir and os.path.isdir(custom_dir):
            server.watch(str(custom_dir))
        if self.config.cms:
            from .cms.site import keep_admin_from_reloading

            keep_admin_from_reloading(server)
        return server

    def _finish_build(self, *, config) -> None:
        """Write the reused pages, remember this build, then the search bundle from the
        records made in on_files (no written page is read).

        Priority: default (after mkdocs wrote its pages). The cache manifest and the
        validation cache are saved only here, i.e. after a build that succeeded.
        """
        started = self.stats.mark("mkdocs", getattr(self, "after_files", time.monotonic()))  # its own pages
        site_dir = Path(config.site_dir)
        banner = getattr(self, "banner", "")
        holder, self.kept_tree = getattr(self, "kept_tree", None), None
        kept = None
        if holder is not None and banner:  # the last good pages are written whole, with the banner
            holder.discard()
        elif holder is not None:
            kept = holder.ready()
        placed: dict[str, Path] = {}  # pages placed into the kept tree at the end instead
        folders: set[str] = set()  # made already (os calls: pathlib cost a second at 10,000 pages)
        pages = getattr(self, "reused", [])  # in a preview with errors: the last good build's
        for number, (file, blob) in enumerate(pages + getattr(self, "placed_static", [])):
            if kept is not None:
                placed[file.dest_uri] = blob
                continue
            target = os.path.join(config.site_dir, file.dest_uri)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            if banner and number < len(pages):  # a page (not a script or style) shows the banner
                target = Path(target)
                target.unlink(missing_ok=True)  # never write through a hard link into the cache
                target.write_text(insert_banner(Path(blob).read_text(encoding="utf-8"), banner), encoding="utf-8")
            else:
                place_blob(blob, target)
        self.stats.reused = len(getattr(self, "reused", []))
        started = self.stats.mark("write", started)
        self._write_shell_pages(config, site_dir)
        started = self.stats.mark("shells", started)
        if config.site_url and hasattr(self, "page_urls"):
            write_sitemap(config, site_dir, self.page_urls, self.build_date.strftime("%Y-%m-%d") if getattr(self, "build_date", None) else "")
        started = self.stats.mark("write", started)
        # the caches the next build reads, written once the site is published (take_after_build)
        self.after_build = [] if banner else [self.outputs.commit]
        if self.stats.validated and getattr(self, "serving", False):
            self.validator_unsaved = True  # 0.5 s at 10,000 entries: saved when the preview stops
        elif self.stats.validated:
            self.after_build.append(partial(save_validator, self.cache_dir, self.validator))
        log.info(f"dvk: {self.stats.summary()}")
        # a forked run's files are placed last (_finish_tree): the site is merged and
        # precompressed while it goes on, on the core the page writers no longer need
        self.background_later = None if banner or getattr(self, "serving", False) else self._background_later(site_dir)
        if self.background_later is None:
            self._finish_background(config, banner)
            self.stats.mark("search", started)
        # merged last (_finish_tree), after every other plugin has written into the site
        self.kept_update = (kept, placed) if kept is not None and kept.is_dir() else None

    def on_pre_build(self, *, config) -> None:
        """A preview updates the site it serves instead of writing it anew (build/kept.py):
        it is moved aside before mkdocs empties the folder, and put back updated at the end
        (the server holds requests while a rebuild runs)."""
        if getattr(self, "serving", False):
            aside = set_served_site_aside(Path(config.site_dir))
            self.kept_tree = KeptTree(aside) if aside is not None else None

    def on_build_error(self, *, error) -> None:
        """A build that failed after on_files: stop its background run (and remove its folder)."""
        self._resume_collector()
        self._remember_served(False)  # the served site may be another now: hand every file over next time
        self._cancel_background()
        self._join_warming()
        self.after_build = []  # the caches of a failed build are never written
        if getattr(self, "serving", False) and getattr(self, "kept_tree", None) is not None:
            self.kept_tree.discard()
            self.kept_tree = None

    @event_priority(-110)  # after everything else of the build (_finish_tree: -100)
    def _resume_after_build(self, *, config) -> None:
        self._resume_collector()

    def _resume_collector(self) -> None:
        if getattr(self, "idle_collector", None) is not None:
            self.idle_collector.resume()

    def on_shutdown(self) -> None:
        """Also when the build was interrupted (Ctrl-C is no build error for mkdocs)."""
        if getattr(self, "idle_collector", None) is not None:
            self.idle_collector.stop()
        self._cancel_background()
        self._join_warming()
        run_jobs(self.take_after_build())
        if getattr(self, "validator_unsaved", False):
            save_validator(self.cache_dir, self.validator)
            self.validator_unsaved = False
        if getattr(self, "collector_paused", False) and not getattr(self, "exits_after_build", False):
            # (a process that ends right after the build keeps it off: the first allocation
            # with it on collects every object of the build, half a second at 10,000 entries)
            gc.enable()
            self.collector_paused = False

    on_post_build = CombinedEvent(_finish_build, SiteFinishMixin._finish_tree, _resume_after_build)

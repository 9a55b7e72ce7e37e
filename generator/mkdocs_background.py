"""The mkdocs plugin's side of build/background.py: which files are made beside the page
writers, and how a build ends with them.

A `dvk build` forks two processes, right after the site is derived, that make the search
records and index, the open data (data/, CSL-JSON, feeds) and /admin/config.yml: no page
shows their bytes, so they need not wait for the pages nor hold this process. A preview
(`dvk serve`) makes the search index in a thread (server threads must not be forked) and
leaves the rest to mkdocs, so a preview with content errors still serves the last good
files and indexes the last good records.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError

from .build.background import BackgroundFiles
from .build.fingerprint import code_version, hash_parts
from .export.memo import EntryMemo, read_memo, save_memo
from .fontfiles import font_files, woff2_files
from .compressed import CompressedCache
from .render import RenderOptions
from .render.fonts import FONT_DIR
from .render.opendata import collect_open_data
from .render.urls import CSL_DIR
from .render.spec import FileSpec
from .search import BUNDLE, BundleKeeper, SearchIndexError, SearchRecords, collect_search_records, collect_search_records_kept, write_search_index

log = logging.getLogger("mkdocs.plugins.dvk")
# entries' open-data pieces made anew that the kept memo may lack (export.memo.save_memo):
# after one edit, writing the 10,000 pieces again took 0.3 s of the run a build waits for,
# where making 50 pieces again in the next build takes milliseconds
OPEN_DATA_UNSAVED_MAX = 50


class BackgroundFilesMixin:
    """Methods of DvkPlugin (it holds config, root, cache_dir and _pool_size)."""

    def _start_background(self, site, options: RenderOptions, places, config) -> None:
        """Start making the files no page shows (background.py): the search index, from
        records made there too (1.7 s at 10,000 entries off this process), and, in a forked
        process, the open data and /admin/config.yml. A preview (`serve`) indexes in a
        thread (its server threads must not be forked) and leaves the other files to
        mkdocs, so a later preview with content errors still serves the last good ones."""
        self._cancel_background()
        in_thread = self._pool_size() == 1
        # a preview keeps the records of unchanged entries from one rebuild to the next
        # a build keeps them on disk, by entry digest (a new process each time)
        if in_thread:
            make = partial(collect_search_records, site, options.directory_urls, self.__dict__.setdefault("record_memo", {}))
        else:
            make = partial(collect_search_records_kept, site, options.directory_urls, self.cache_dir / "background" / "records.pickle")
        records = SearchRecords(make) if self.config.search else None
        # kept as the last good records only once this build has succeeded, see _finish_build
        self.new_search_records = records
        # WOFF2 copies of the fonts not cached yet are made there too (fontfiles.py)
        fonts_later = font_files(self.root, defer=True)[1] if self.config.fonts and not in_thread else []
        data = None if in_thread else partial(self._collect_other_files, site, options, places, config, fonts_later)
        self.files_elsewhere = False
        self.fonts_later = []
        if records is None and data is None:
            return
        try:
            # unchanged open-data files are linked from the site this build updates (build/kept.py)
            # the last search bundle, updated (search/keeper.py): in memory in a preview
            bundle = self.__dict__.setdefault("bundle_keeper", BundleKeeper()) if getattr(self, "serving", False) else self.cache_dir / "background" / "bundle.pickle"
            self.background = BackgroundFiles(records, Path(config.site_dir), self.cache_dir / "background", in_thread=in_thread, files=data, same_in=_kept_path(getattr(self, "kept_tree", None)), bundle=bundle)
        except OSError as error:  # an unwritable cache: the files are made after the pages instead
            log.debug(f"dvk: search indexed after the pages ({error})")
            return
        self.files_elsewhere = data is not None
        self.fonts_later = fonts_later if self.files_elsewhere else []
        # the folders the run makes whole (a build places them once it is done)
        self.background_whole = frozenset(([BUNDLE] if records is not None else []) + ([CSL_DIR] if data is not None else []))

    def _collect_other_files(self, site, options: RenderOptions, places, config, fonts_later: list) -> list:
        """The open data, /admin/config.yml and WOFF2 fonts not cached yet (in the forked
        background process)."""
        path = self.cache_dir / "background" / "opendata.pickle"
        memo = read_memo(path, open_data_context(site, options))
        files = collect_open_data(site, options, memo)
        save_memo(path, memo, unsaved_max=OPEN_DATA_UNSAVED_MAX)
        if self.config.precompress:
            compressed = CompressedCache(self.cache_dir / "compressed")
            for made in files:
                compressed.warm(made.data, made.path)
        files += [FileSpec(f"{FONT_DIR}/{name}", data) for name, data in woff2_files(self.root, fonts_later)]
        if self.config.cms:
            from .cms.site import make_admin_config_file

            admin = make_admin_config_file(self.root, places, self._admin_options(config), cache=self.cache_dir / "cms")
            files.append(FileSpec(admin.uri, admin.content))
        return files

    def _admin_options(self, config):
        from .cms import admin_options

        return admin_options(self.config.cms_backend, self.config.cms_editorial_workflow, self.config.content_dir, config.site_url or "")

    def _background_later(self, site_dir: Path) -> frozenset[str] | None:
        """The folders a forked background run makes whole (site paths), when its files
        may be placed after the site is otherwise finished (_finish_tree: the kept tree
        merged and precompressed while the run goes on); None: no such run, or another
        writer put files where those folders go (then they are placed first, as before)."""
        job = getattr(self, "background", None)
        whole = getattr(self, "background_whole", frozenset())
        if job is None or not job.forked or any(os.path.lexists(site_dir / name) for name in whole):
            return None
        return whole

    def _records(self, name: str) -> list:
        held = getattr(self, name, None)
        return held.get() if held is not None else []

    def _cancel_background(self) -> None:
        job, self.background = getattr(self, "background", None), None
        if job is not None:
            job.cancel()

    def _finish_background(self, config, banner: str, move=None) -> None:
        """Wait for the background files and move them into the site (or index here);
        `move(folder)` places them instead (see _finish_tree)."""
        job, self.background = getattr(self, "background", None), None
        try:
            if job is not None:
                job.finish(move)  # the search index, and the open data when it was made there
            elif not self.config.search:
                pass
            elif banner:
                # a preview with content errors keeps the last good build's records (none before one)
                write_search_index(self._records("search_records"), Path(config.site_dir), getattr(self, "bundle_keeper", None))
            else:
                write_search_index(self._records("new_search_records"), Path(config.site_dir), getattr(self, "bundle_keeper", None))
        except SearchIndexError as error:
            raise PluginError(f"Không tạo được chỉ mục tìm kiếm và dữ liệu mở: {error}") from None
        if not banner:
            self.search_records = getattr(self, "new_search_records", None)


def open_data_context(site, options: RenderOptions) -> str:
    """What an entry's open-data pieces read besides the entry (export/memo.py): dvk's
    code, the places, the site's URL and name."""
    return hash_parts(code_version(), site.places_key(), options.base_url, options.site_name)


def data_memo_for(held: EntryMemo | None, site, options: RenderOptions) -> EntryMemo:
    """The memo a preview keeps in memory across rebuilds, afresh when its context changed."""
    context = open_data_context(site, options)
    return held if held is not None and held.context == context else EntryMemo(context)


def _kept_path(kept) -> Path | int | None:
    """The folder of the build's kept tree (build/kept.py), or its descriptor while a
    spare maker still makes it (build/spare.py), read while `cp -al` may still be making
    it: a file there is a complete hard link or not there yet."""
    return kept.handle if kept is not None else None

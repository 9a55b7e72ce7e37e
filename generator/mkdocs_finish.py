"""The end of a build, for the mkdocs plugin (DvkPlugin): the pages written from theme
shells, the kept tree updated with this build's files (build/kept.py), the .br/.gz
copies, and the cache writes handed to whoever publishes the site (build/aftercare.py).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from .build.aftercare import run_jobs
from .build.kept import update_kept_tree
from .mkdocs_shell import ShellJob, write_shell_pages
from .precompress import is_text_asset, precompress_tree

log = logging.getLogger("mkdocs.plugins.dvk")


class SiteFinishMixin:
    """Methods of DvkPlugin (it holds config, stats, outputs, cache_dir and _pool_size)."""

    def _write_shell_pages(self, config, site_dir: Path) -> None:
        """The pages kept from mkdocs in on_files, written from checked theme shells
        (mkdocs_shell.py), on both cores for a full build (not in `serve`: its server threads)."""
        pending, self.shell_pending = getattr(self, "shell_pending", []), []
        if not pending:
            return
        date = self.build_date.strftime("%Y-%m-%d") if getattr(self, "build_date", None) is not None else None
        job = ShellJob(config, self.env, self.nav, self.files, site_dir, self.outputs, date, pending, self.context_key, self.config.compact_html)
        # one process in `serve` (its server threads must not be forked) and with --strict
        # (a warning logged in a worker would not reach mkdocs' strict counter)
        workers = 1 if config.strict else self._pool_size()
        problems = []
        for index, key, digest, failed in write_shell_pages(job, workers):
            if failed:
                problems += failed
                continue
            file, spec, _ = pending[index]
            # a later preview with content errors copies it again, with the banner
            self.reused.append((file, self.outputs.record(spec.uri, key, digest, spec.projection)))
            if failed is None:
                self.stats.reused += 1
            else:
                self.stats.rendered += 1
        if problems:
            for problem in problems:
                log.error(problem.format())
            raise PluginError(f"Có {len(problems)} mục không dựng được trang — hãy sửa (xem các dòng trên).")

    def _update_kept_tree(self, site_dir: Path):
        """Merge this build's new files into the kept tree (build/kept.py); the listing of
        the updated site, or None when the build wrote the whole site itself."""
        update, self.kept_update = getattr(self, "kept_update", None), None
        if update is None:
            return None
        started = time.monotonic()
        kept, placed = update
        try:
            listing = update_kept_tree(kept, site_dir, placed, is_text_asset)
        except OSError as error:  # the published site is untouched; the next build starts afresh
            raise PluginError(f"Không cập nhật được bản site giữ lại {kept.name}: {error.strerror or error} — site/ giữ nguyên; hãy chạy lại dvk build.") from None
        self.stats.mark("kept", started)
        return listing

    def take_after_build(self) -> list:
        """The cache writes of the build that just succeeded (output manifest, validator),
        for the caller to run once the site is published: `dvk build` after its swap, in a
        child that outlives the command (build/aftercare.py). Those nobody takes run in
        on_shutdown (`mkdocs build`), and a preview runs them at the end of each rebuild."""
        jobs, self.after_build = getattr(self, "after_build", []), []
        return jobs

    @property
    def page_count(self) -> int | None:
        """Pages of the last build (mkdocs', the cached and the shell-written ones)."""
        return len(self.page_urls) if hasattr(self, "page_urls") else None

    @event_priority(-100)
    def _finish_tree(self, *, config) -> None:
        """Last, after the search index and any other plugin's files: the kept tree updated
        with them, then .br/.gz copies of every text file."""
        listing = self._update_kept_tree(Path(config.site_dir))
        if self.config.precompress and not getattr(self, "serving", False):
            started = time.monotonic()
            # pages placed from the output cache (hard links to blobs named by their SHA-256)
            known = {os.path.join(config.site_dir, file.dest_uri): blob for file, blob in getattr(self, "reused", [])}
            stats = precompress_tree(Path(config.site_dir), workers=self._pool_size(), cache=self.cache_dir / "compressed", known=known, listing=listing)
            log.info(f"dvk: nén sẵn {stats.files} tệp văn bản ({stats.original_bytes // 1024} KiB -> {stats.br_bytes // 1024} KiB brotli)")
            self.stats.mark("precompress", started)
        if getattr(self, "serving", False):
            run_jobs(self.take_after_build())  # the next rebuild looks pages up in this manifest
        log.debug(f"dvk: thời gian: {self.stats.timing_line()}")

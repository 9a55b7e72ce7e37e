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
from .build.kept import TreeListing, TreeUpdate, remove_later, trash_for
from .build.treerecord import load_tree_record
from .cms.site import ADMIN_DIR
from .mkdocs_shell import ShellJob, write_shell_pages
from .compressed import CompressedCache, is_text_asset
from .precompress import PrecompressStats, precompress_tree

log = logging.getLogger("mkdocs.plugins.dvk")


class SiteFinishMixin:
    """Methods of DvkPlugin (it holds config, stats, outputs, cache_dir and _pool_size)."""

    def _write_shell_pages(self, config, site_dir: Path) -> None:
        """The pages kept from mkdocs in on_files, written from checked theme shells
        (mkdocs_shell.py), on both cores for a full build (not in `serve`: its server threads)."""
        pending, self.shell_pending = getattr(self, "shell_pending", []), []
        self.written_copies = {}  # dest_uri -> compressed.WrittenCopies, for _precompress
        if not pending:
            return
        date = self.build_date.strftime("%Y-%m-%d") if getattr(self, "build_date", None) is not None else None
        compressed = self._compressed_folder()
        job = ShellJob(config, self.env, self.nav, self.files, site_dir, self.outputs, date, pending, self.context_key, self.config.compact_html, compressed)
        # one process in `serve` (its server threads must not be forked) and with --strict
        # (a warning logged in a worker would not reach mkdocs' strict counter)
        workers = 1 if config.strict else self._pool_size()
        problems = []
        for index, key, digest, failed, copies in write_shell_pages(job, workers):
            if failed:
                problems += failed
                continue
            file, spec, _ = pending[index]
            if copies is not None:
                self.written_copies[file.dest_uri] = copies
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

    def _merge_kept_tree(self, site_dir: Path, later: frozenset[str]) -> tuple[TreeUpdate | None, TreeListing | None]:
        """Merge this build's new files into the kept tree (build/kept.py), leaving the
        folders at the site paths `later` for the background run; the update (its tree is
        put in place last) and the listing of the tree, or (None, None) when the build
        wrote the whole site itself."""
        update, self.kept_update = getattr(self, "kept_update", None), None
        if update is None:
            return None, None
        started = time.monotonic()
        kept, placed = update
        tree = TreeUpdate(kept, trash_for(site_dir), is_text_asset, load_tree_record(self.cache_dir, kept))
        try:
            tree.run(site_dir, placed, later)
        except OSError as error:
            raise _kept_tree_error(kept, error) from None
        self.stats.mark("kept", started)
        return tree, tree.listing

    def _compressed_folder(self) -> Path | None:
        """The compressed-copy cache of this build; None: no copies (turned off, or a
        preview, which serves the pages it just wrote)."""
        return self.cache_dir / "compressed" if self.config.precompress and not getattr(self, "serving", False) else None

    def _join_warming(self) -> None:
        """Wait for the process warm_static_copies started (mkdocs_static.py), if any: before
        precompress, and when a build fails or is interrupted (`dvk build` ends with
        os._exit, which would leave it running with the build lock it inherited)."""
        warming, self.warming = getattr(self, "warming", None), None
        if warming is not None:
            warming.join()

    def _editor_dirs(self) -> tuple[str, ...]:
        return (ADMIN_DIR,) if self.config.cms else ()  # Decap CMS: loaded by editors only

    def _precompress(self, root: Path, listing, compressed: CompressedCache) -> None:
        """The .br/.gz copies of the text files in `listing` (all under `root` when None)."""
        started = time.monotonic()
        self._join_warming()  # the static files' entries, made while the pages were written
        # pages placed from the output cache (hard links to blobs named by their SHA-256)
        known = {os.path.join(root, file.dest_uri): blob for file, blob in getattr(self, "reused", []) + getattr(self, "placed_static", [])}
        editor = self._editor_dirs()
        written = {os.path.join(root, name): copies for name, copies in getattr(self, "written_copies", {}).items()}
        # the compressed cache is pruned after the build, with its other cache writes
        stats = precompress_tree(root, workers=self._pool_size(), cache=compressed, known=known, listing=listing, prune=False, editor_dirs=editor, written=written)
        self.precompressed = getattr(self, "precompressed", PrecompressStats()) + stats
        self.stats.mark("precompress", started)

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
        with them, then .br/.gz copies of every text file.

        A forked background run's folders (`background_later`, see _finish_build) are
        placed after the rest is merged and compressed: after one edit at 10,000 entries
        the page writers are done two seconds before the search index, and the merge and
        precompression (1.5 s) used to wait for it with one core idle."""
        site_dir = Path(config.site_dir)
        later, self.background_later = getattr(self, "background_later", None), None
        # a preview's unchanged own files stay as served (mkdocs_served.py)
        tree, listing = self._merge_kept_tree(site_dir, (later or frozenset()) | self._left_paths())
        if tree is None:
            self._place_left_files(site_dir)  # no kept tree took this build: written after all
        self._remember_served(True)
        root = tree.kept if tree is not None else site_dir
        folder = self._compressed_folder()
        compressed = CompressedCache(folder) if folder is not None else None
        self.precompressed = PrecompressStats()
        if compressed is not None:
            self._precompress(root, listing, compressed)
        elif listing is not None:
            drop_kept_copies(root, listing)
        if later is not None:
            started = time.monotonic()
            mover = tree if tree is not None else TreeUpdate(site_dir, trash_for(site_dir), is_text_asset)
            moved: list[TreeListing] = []

            def move(folder: Path) -> None:
                placing = self.stats.mark("search", started)  # the wait for the run
                moved.append(mover.move_in(folder, later))
                self.stats.mark("place", placing)

            self._finish_background(config, "", move=move)
            if tree is None:
                remove_later(trash_for(site_dir))
            if compressed is not None:
                self._precompress(root, moved[0], compressed)
            elif moved:
                drop_kept_copies(root, moved[0])
        if compressed is not None:
            # entries no part used go once the site is published, with the other cache
            # writes (a listing of 24,000 entries, 0.02-0.05 s at 10,000 entries)
            self.after_build = [*getattr(self, "after_build", []), compressed.prune]
            stats = self.precompressed
            log.info(f"dvk: nén sẵn {stats.files} tệp văn bản ({stats.original_bytes // 1024} KiB -> {stats.br_bytes // 1024} KiB brotli)")
        if tree is not None:
            try:
                tree.put_in_place(site_dir)
            except OSError as error:
                raise _kept_tree_error(tree.kept, error) from None
        if getattr(self, "serving", False):
            run_jobs(self.take_after_build())  # the next rebuild looks pages up in this manifest
        log.debug(f"dvk: thời gian: {self.stats.timing_line()}")


def drop_kept_copies(root: Path, listing: TreeListing) -> None:
    """Without precompression: remove the .br/.gz copies the kept tree still holds beside
    its files (left for precompress to check, build/kept.py), keeping those this build's
    writers made (mkdocs' sitemap.xml.gz). Left there, a build after
    `precompress: false` kept 1,750 copies of a 400-entry site, and a server honouring
    them sent the old CSS after the stylesheet changed."""
    for name, inode in list(listing.copies.items()):
        if inode is None:
            continue
        try:
            os.unlink(os.path.join(root, name))
        except FileNotFoundError:
            pass
        del listing.copies[name]


def _kept_tree_error(kept: Path, error: OSError) -> PluginError:
    """The published site is untouched; the next build starts afresh."""
    return PluginError(f"Không cập nhật được bản site giữ lại {kept.name}: {error.strerror or error} — site/ giữ nguyên; hãy chạy lại dvk build.")

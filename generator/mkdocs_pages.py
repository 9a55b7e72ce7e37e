"""Where each page of a build goes: to mkdocs, to the shell writers, or straight from the cache.

Part of the mkdocs sink (mkdocs_plugin.py): the core has rendered every page's spec
(render/), and this decides per page who makes its HTML:
- a page whose projection (the values it shows) is a cached page's is placed from the
  output cache without being rendered (`reused`);
- a page out of the nav is written from a theme shell after mkdocs, on both cores
  (mkdocs_shell.py), rendered there when its spec was deferred (`shell_pending`);
- the nine pages in the nav stay with mkdocs, which builds the navigation from them
  (`pending`, keyed so their finished HTML is cached after mkdocs wrote them).
The generated assets, fonts and the editor's /admin/ are added to mkdocs' files here too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from .build import page_input_key
from .fontfiles import font_files
from .mkdocs_files import drop_file, placed_page, replace_file
from .render import ENTRY
from .render.fonts import FONT_DIR, render_font_css

log = logging.getLogger("mkdocs.plugins.dvk")


class PagePlacementMixin:
    """The page-placing half of DvkPlugin.on_files."""

    def _place_pages(self, files: Files, config, pages, in_nav: set, shells: bool) -> None:
        """Sort the rendered page specs into reused, shell_pending and pending (see above)."""
        self.specs = {page.uri: page for page in pages}
        self.pending: dict[str, tuple[str, str]] = {}  # src uri -> (input key, projection) of pages mkdocs makes
        self.reused: list[tuple[File, Path | str]] = []  # pages copied from the cache after mkdocs
        # pages out of the nav written from a theme shell after mkdocs (mkdocs_shell.py)
        self.shell_pending: list[tuple[File, object, str | None]] = []
        for page in pages:
            inclusion = InclusionLevel.UNDEFINED if page.role != ENTRY and page.uri in in_nav else InclusionLevel.NOT_IN_NAV
            if page.reused:  # same projection as a cached page: not even rendered
                self.reused.append((placed_page(config, page.uri, inclusion=inclusion), self.outputs.recorded_blob(page.uri)))
                drop_file(files, page.uri)
                continue
            if page.deferred is not None and not inclusion.is_not_in_nav():
                page = self.specs[page.uri] = page.deferred()  # a listing the nav names: mkdocs renders it
            file = File.generated(config, page.uri, content=page.content, inclusion=inclusion)
            # "edit this page" opens the entry file; mkdocs joins edit_uri (which points at docs/) with this
            file.edit_uri = os.path.relpath(self.root / page.source, config.docs_dir).replace(os.sep, "/") if page.source else None
            if page.deferred is not None:  # rendered, keyed and looked up by the shell writer
                self.shell_pending.append((file, page, None))
                drop_file(files, page.uri)
                continue
            key = page_input_key(self.context_key, page.uri, page.content, page.blocks, page.token_prefix)
            # pages in the nav stay with mkdocs (it builds the nav from them); there are nine
            blob = self.outputs.lookup(page.uri, key, page.projection) if inclusion.is_not_in_nav() else None
            if blob is not None:
                self.reused.append((file, blob))
                drop_file(files, page.uri)
                continue
            if shells and inclusion.is_not_in_nav():
                self.shell_pending.append((file, page, key))
                drop_file(files, page.uri)
                continue
            self.pending[page.uri] = (key, page.projection)
            replace_file(files, file)

    def _add_assets(self, files: Files, config, assets) -> None:
        """The core's static assets, the fonts (WOFF2 copies not cached yet are made by the
        background run, mkdocs_background.py) and the stylesheet that names them."""
        for asset in assets:
            replace_file(files, File.generated(config, asset.path, abs_src_path=str(asset.source)))
        later = getattr(self, "fonts_later", [])
        fonts = font_files(self.root, deferred=later)[0] if self.config.fonts else []
        for name, source in fonts:
            replace_file(files, File.generated(config, f"{FONT_DIR}/{name}", abs_src_path=str(source)))
        names = {name for name, _ in fonts} | {f"{ttf.stem}.woff2" for ttf in later}
        replace_file(files, File.generated(config, "assets/dvk/fonts.css", content=render_font_css(names)))

    def _add_admin(self, files: Files, config, places) -> None:
        """/admin/: Decap CMS, its config from the schema; `dvk edit` adds the local backend."""
        from .cms.site import build_admin_files

        admin, missing = build_admin_files(self.root, places, self._admin_options(config), with_config=not self.files_elsewhere, cache=self.cache_dir / "cms")
        if missing and not getattr(self, "cms_warned", False):
            log.info(missing)
            self.cms_warned = True
        for item in admin:
            if item.source is not None:
                replace_file(files, File.generated(config, item.uri, abs_src_path=str(item.source)))
            else:
                replace_file(files, File.generated(config, item.uri, content=item.content))

    def _last_files(self, files: Files, config) -> Files:
        """The generated files of the last build without errors, for a preview with errors."""
        for file in self.last_good:
            replace_file(files, file)
        for spec in getattr(self, "last_good_left", []):
            replace_file(files, File.generated(config, spec.path, content=spec.content))
        return files

"""The renderer every page family uses: templates + links + front matter -> PageSpec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from functools import partial

from markupsafe import Markup

from ..derive import Site
from .blocks import STORY_TOKEN, hoist_html_blocks, new_token_prefix
from .body import STORY_SECONDS, StoryPart, StorySource
from .env import Links, Pager, front_matter_text, front_matter_values, make_environment, paginate, template_globals
from .media import ImageSets
from .projection import Projector
from .safe import escape_markdown
from .spec import LISTING, PageSpec
from .urls import Linker, feed_path


@dataclass(frozen=True)
class RenderOptions:
    """Choices a site owner makes in mkdocs.yml (plugin config) that change pages."""

    per_page: int = 48  # cards per page of a listing
    preview: int = 6  # cards per group on overview pages (district, home)
    directory_urls: bool = True
    search: bool = True  # the search page and its tab (the index itself: generator/search/)
    story_seconds: float = STORY_SECONDS  # time budget to convert one entry's story
    site_url: str = ""  # absolute base URL (mkdocs site_url); feeds and absolute citations need it
    site_name: str = "Dân vận khéo — Hà Nội"
    licence: str = ""  # licence of the content and data files, shown on the data page

    @classmethod
    def from_settings(cls, plugin: dict, *, site_url: str = "", site_name: str = "", directory_urls: bool = True) -> "RenderOptions":
        """The options from the dvk plugin's settings in mkdocs.yml (a mapping) and the site's
        own (`site_url`, `site_name`, `use_directory_urls`): the mkdocs plugin and `dvk pages`
        both make them here. A setting that is not a positive number (an `!ENV` tag read
        without mkdocs) keeps its default."""
        defaults = cls()

        def number(key: str) -> int:
            value = plugin.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else getattr(defaults, key)

        return cls(
            per_page=number("per_page"),
            preview=number("preview"),
            directory_urls=directory_urls is not False,
            search=plugin.get("search") is not False,
            site_url=str(site_url or ""),
            site_name=str(site_name or defaults.site_name),
            licence=str(plugin.get("licence") or ""),
        )

    @property
    def base_url(self) -> str:
        """site_url with one trailing slash, or "" when the site has none."""
        return self.site_url if not self.site_url or self.site_url.endswith("/") else self.site_url + "/"


class CardCache:
    """An entry's card, rendered once per heading level and link: a card shows only its
    entry and the relative link to it (every other value it reads is the same for the
    whole site), and the same entry stands on its district, ward, field, year and level
    listings, the home page and its related entries' pages: 48,000 card renders at
    10,000 entries, a third of the template time of a cold build. The entry is held with
    its cards, so its id cannot be reused while the cache lives (one render run)."""

    def __init__(self, env, globals_: dict):
        self._fresh = env.get_template("_macros.j2").make_module(globals_).card_fresh
        self._cards: dict[tuple[int, int, str], tuple[object, Markup]] = {}

    def __call__(self, entry, links, h: int = 3) -> Markup:
        key = (id(entry), h, links.entry(entry))
        held = self._cards.get(key)
        if held is None or held[0] is not entry:
            held = self._cards[key] = (entry, Markup(self._fresh(entry, links, h)))
        return held[1]


class Renderer:
    """Holds the site, options and template environment for one render run.

    With `reuse` (a callback `(path, projection key) -> bool` from a build that has the
    finished page for that key), a page whose projection is known is not rendered: its
    PageSpec comes back with `reused=True` and no content. See projection.py.
    """

    def __init__(self, site: Site, options: RenderOptions, images: ImageSets | None = None, reuse=None, salt: str = "", defer=()):
        self.site = site
        self.options = options
        self.images = images or {}  # {source path: VariantSet} prepared by the image pipeline
        self.linker = Linker(options.directory_urls)
        self.env = make_environment()
        self.globals = template_globals(site)
        self.globals["card"] = CardCache(self.env, self.globals)
        self.token_prefix = new_token_prefix()
        self.reuse = reuse
        self.projector = Projector(site, options, self.images, salt) if reuse else None
        self.defer = frozenset(defer)  # roles whose pages come back unrendered (PageSpec.deferred)

    def make_keyed_page(self, path: str, template: str, title: str, description: str = "", *, entry=None, inputs: tuple = (), arguments: Callable[[], dict], role: str = LISTING, source: str = "", image: str = "", searchable: bool = False) -> PageSpec:
        """make_page for a page whose template arguments take time to gather but follow
        from `entry` (story included), `inputs` and the site-wide facts every projection
        holds (places, which places have pages, images, options). Its projection digests
        just those, so a build that has the page skips gathering the arguments too: at
        10,000 entries, digesting every entry page's arguments took two seconds of a
        one-edit rebuild. `arguments()` must read nothing else of the site.
        """
        fixed = {"role": role, "source": source, "image": image, "searchable": searchable}
        projection = None
        if self.projector is not None:
            projection = self.projector.digest(self.projector.base, "keyed", template, path, title, description, fixed, self.projector.own(entry), inputs)
            if self.reuse(self.linker.uri(path), projection):
                return self._reused_page(path, title, description, projection, **fixed)
        return self.make_page(path, template, title, description, projection=projection, **fixed, **arguments())

    def make_page(self, path: str, template: str, title: str, description: str = "", *, role: str = LISTING, source: str = "", image: str = "", searchable: bool = False, meta: dict | None = None, story: tuple[StoryPart, ...] | list[StoryPart] | StorySource = (), depends: tuple = (), projection: str | None = None, **context) -> PageSpec:
        """Render one template for the page at `path` and wrap it in a PageSpec.

        `story` (an entry's body, already converted and sanitised, see body.py) goes in
        after the template's HTML blocks are lifted out: its HTML as more lifted blocks,
        only its headings' plain text as escaped Markdown (for the TOC and heading ids).
        `depends` names data the template reads outside its arguments (part of the projection).
        `projection`: already known (make_keyed_page), and not in the cache.
        """
        if projection is None and self.projector is not None:
            projection = self.projector.digest(self.projector.base, template, path, title, description, role, source, image, searchable, meta, story, depends, self.projector.own(context.get("e")), context)
            if self.reuse(self.linker.uri(path), projection):
                return self._reused_page(path, title, description, projection, role=role, source=source, image=image, searchable=searchable)
        projection = projection or ""
        render = partial(self._render_page, path, template, title, description, role, source, image, searchable, meta, story, projection, context)
        if role in self.defer:
            return PageSpec(path, self.linker.uri(path), title, "", description, role, source, image, searchable, projection=projection, deferred=render)
        return render()

    def _reused_page(self, path: str, title: str, description: str, projection: str, *, role: str, source: str, image: str, searchable: bool) -> PageSpec:
        """The spec of a page the build already has for `projection`: not rendered."""
        return PageSpec(path, self.linker.uri(path), title, "", description, role, source, image, searchable, projection=projection, reused=True)

    def _render_page(self, path: str, template: str, title: str, description: str, role: str, source: str, image: str, searchable: bool, meta: dict | None, story, projection: str, context: dict) -> PageSpec:
        """The rendering half of make_page (now, or later where the page is written)."""
        if isinstance(story, StorySource):
            story = story.parts()  # only now: the page is being rendered
        links = Links(self.linker, path, self.site, self.images)
        body = self.env.get_template(template).render(u=links, title=title, description=description, opts=self.options, story=STORY_TOKEN if story else "", **self.globals, **context)
        body, blocks = hoist_html_blocks(body, self.token_prefix)
        if story:
            markdown, blocks = place_story(story, blocks, self.token_prefix)
            body = body.replace(STORY_TOKEN, markdown, 1)
        extra = {"hide": ["navigation"], **(meta or {})}  # the tabs (desktop) and the drawer (phone) carry the sections
        if searchable:
            extra["dvk_search"] = True
        if links.pictures:
            extra["dvk_lightbox"] = True  # theme/main.html loads lightbox.js only where there are pictures
        if image:
            extra["dvk_image"] = self.linker.url(image)
        if self.options.site_url:
            extra["dvk_feeds"] = [[self.options.site_name, feed_path()], *([[f"{self.options.site_name} — {feed[0]}", feed[1]]] if (feed := context.get("feed")) else [])]
        meta = front_matter_values(title, description, **extra)
        matter = front_matter_text(meta)
        return PageSpec(path, self.linker.uri(path), title, matter + body, description, role, source, image, searchable, blocks, self.token_prefix, projection, meta=meta, meta_end=len(matter))

    def make_paginated(self, base: str, template: str, title: str, items: list, description: str = "", **context) -> list[PageSpec]:
        """A listing split into numbered pages ("trang 2") with a pager on each."""
        pages = []
        for pager, chunk in paginate(items, self.options.per_page):
            if pager is None:
                pages.append(self.make_page(base, template, title, description, items=chunk, pager=None, total=len(items), **context))
                continue
            pager = Pager(pager.number, pager.count, base)
            page_title = title if pager.number == 1 else f"{title} (trang {pager.number})"
            role = context.pop("role", LISTING) if pager.number == 1 else LISTING
            pages.append(self.make_page(pager.path, template, page_title, description, role=role, items=chunk, pager=pager, total=len(items), **context))
        return pages


def place_story(parts, blocks: tuple[str, ...], prefix: str) -> tuple[str, tuple[str, ...]]:
    """Story parts as page Markdown: headings as escaped text, HTML as block tokens."""
    out, lifted = [], list(blocks)
    for part in parts:
        if part.level:
            out.append(f"{'#' * part.level} {escape_markdown(part.text)}")
        else:
            out.append(f"{prefix}{len(lifted)}")
            lifted.append(part.text)
    return "\n\n".join(out), tuple(lifted)

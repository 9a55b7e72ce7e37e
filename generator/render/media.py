"""Images of entries: the one place that decides how an image appears on a page.

The image pipeline (responsive variants, galleries) will replace `render_figure` and
`collect_image_assets`; pages only ever call these two functions.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..derive import Site
from ..model import Image
from .spec import AssetSpec
from .urls import Linker, image_path


def render_figure(image: Image, here: str, linker: Linker, css_class: str = "dvk-figure") -> Markup:
    """A <figure> with the caption and credit as text; lazy-loaded, never upscaled."""
    src = linker.rel(here, image_path(image.src))
    credit = Markup(' <span class="dvk-credit">{}</span>').format(image.credit) if image.credit else ""
    return Markup(
        '<figure class="{cls}"><img src="{src}" alt="{alt}" loading="lazy" decoding="async">'
        "<figcaption>{caption}{credit}</figcaption></figure>"
    ).format(cls=css_class, src=src, alt=image.caption, caption=image.caption, credit=credit)


def collect_image_assets(site: Site) -> list[AssetSpec]:
    """Every image an entry or award refers to, once, at a stable site path."""
    seen: dict[str, AssetSpec] = {}
    for entry in site.entries.values():
        images = list(entry.images)
        images += [a.image for a in getattr(entry, "awards", []) if a.image]
        for image in images:
            if image.abs_path is not None and image.src not in seen:
                seen[image.src] = AssetSpec(image_path(image.src), image.abs_path)
    return list(seen.values())


__all__ = ["render_figure", "collect_image_assets", "escape"]

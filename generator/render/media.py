"""Images of entries: the one place that decides how an image appears on a page.

Render stays pure: the plugin prepares every referenced image with the image pipeline
and passes the resulting `VariantSet`s in as data ({resolved source path: VariantSet}).
Pages get a `<picture>` (WebP + JPEG, width/height, srcset/sizes) inside a lightbox link
to the largest JPEG; `collect_image_assets` lists only the variants, never an original.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from markupsafe import Markup

from ..imaging import PublishedImage, VariantSet, figure_html, lightbox_html
from ..model import Image
from .spec import AssetSpec
from .urls import IMAGES, Linker

# A card in a gallery grid: two columns on phones, about 15rem wide on larger screens.
CARD_SIZES = "(max-width: 599px) 50vw, (max-width: 1219px) 33vw, 300px"
# A figure in an entry's own gallery (dvk-gallery: 14rem+ columns).
FIGURE_SIZES = "(max-width: 599px) 100vw, (max-width: 1219px) 50vw, 400px"

ImageSets = Mapping[Path, VariantSet]


def variant_set(image: Image | None, images: ImageSets) -> VariantSet | None:
    """The prepared variants of an entry image, None when it was not prepared."""
    if image is None or image.abs_path is None:
        return None
    path = Path(image.abs_path)
    return images.get(path) or images.get(path.resolve())


def images_prefix(here: str, linker: Linker) -> str:
    """Relative URL of the site's image folder from the page at `here`, ending in "/"."""
    return linker.rel(here, f"{IMAGES}/_")[:-1]


def published(image: Image | None, here: str, linker: Linker, images: ImageSets) -> PublishedImage | None:
    found = variant_set(image, images)
    return found.at(images_prefix(here, linker)) if found else None


def render_figure(image: Image, here: str, linker: Linker, images: ImageSets, *, css_class: str = "dvk-figure", gallery: str | None = None, lazy: bool = True, sizes: str = FIGURE_SIZES) -> Markup:
    """A <figure>: lightbox <picture> and a caption with the credit.

    An image the pipeline did not prepare (render used without it) keeps its caption
    and shows no picture, rather than linking to an original that is never published.
    """
    pub = published(image, here, linker, images)
    if pub is None:
        credit = Markup(' <span class="dvk-credit">{}</span>').format(image.credit_line) if image.credit_line else ""
        return Markup('<figure class="{}"><figcaption>{}{}</figcaption></figure>').format(css_class, image.caption, credit)
    html = figure_html(pub, image.caption, image.credit_line, gallery=gallery, sizes=sizes, lazy=lazy)
    if css_class != "dvk-figure":
        html = Markup(html.replace('<figure class="dvk-figure">', Markup('<figure class="{}">').format(css_class), 1))
    return html


def render_thumb(image: Image, here: str, linker: Linker, images: ImageSets, *, gallery: str | None = None, lazy: bool = True, sizes: str = CARD_SIZES) -> Markup:
    """A card's picture: the lightbox link alone (the card carries the caption text)."""
    pub = published(image, here, linker, images)
    if pub is None:
        return Markup("")
    return lightbox_html(pub, image.caption, image.caption, image.credit_line, gallery=gallery, sizes=sizes, lazy=lazy)


def og_image_path(image: Image | None, images: ImageSets) -> str:
    """Site path of the image social previews use: the 960 px JPEG (or the nearest)."""
    found = variant_set(image, images)
    if not found:
        return ""
    return f"{IMAGES}/{found.at('').fallback('jpg').url}"


def collect_image_assets(images: ImageSets) -> list[AssetSpec]:
    """Every variant of every prepared image, once; originals are never published."""
    seen: dict[str, AssetSpec] = {}
    for found in images.values():
        for variant in found.variants:
            seen.setdefault(variant.name, AssetSpec(f"{IMAGES}/{variant.name}", variant.path))
    return list(seen.values())


__all__ = ["render_figure", "render_thumb", "collect_image_assets", "og_image_path", "published", "variant_set", "CARD_SIZES", "FIGURE_SIZES"]

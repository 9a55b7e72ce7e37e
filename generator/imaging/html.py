"""HTML for published images: <picture> with WebP + JPEG fallback, and a lightbox link.

Markup is built with markupsafe so captions (editor text) are escaped exactly as Jinja2
autoescape would; the result is Markup and can be dropped into a template unescaped.
width/height come from the fallback variant (browsers use their ratio to reserve space,
so nothing shifts while images load).

The lightbox link (class "dvk-lightbox", data-gallery, data-caption, data-credit) is read
by theme/assets/dvk/lightbox.js, which inserts caption and credit as text only (GLightbox
inserted its data-title/data-description as HTML: a caption could run script). Without
JavaScript it is an ordinary link to the largest JPEG, which every browser can open.
"""

from __future__ import annotations

from markupsafe import Markup

from .variants import PublishedImage

DEFAULT_SIZES = "(max-width: 1000px) 100vw, 960px"
"""A page-wide slot: full width on phones and tablets, 960 CSS px on desktop."""


def _attrs(**values) -> Markup:
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value))
    return Markup("").join(parts)


def picture_html(image: PublishedImage, alt: str, sizes: str = DEFAULT_SIZES, lazy: bool = True, class_: str | None = None) -> Markup:
    """<picture> with a WebP <source> and a JPEG <img> carrying width, height, srcset, sizes, alt.

    `lazy=False` for images visible on first paint (the first card, an entry's lead photo):
    lazy-loading those delays the largest paint.
    """
    fallback = image.fallback("jpg")
    source = Markup('<source type="image/webp"{}>').format(_attrs(srcset=image.srcset("webp"), sizes=sizes))
    img = Markup("<img{}>").format(
        _attrs(
            src=fallback.url,
            srcset=image.srcset("jpg"),
            sizes=sizes,
            width=fallback.width,
            height=fallback.height,
            alt=alt,
            class_=class_,
            loading="lazy" if lazy else None,
            decoding="async",
        )
    )
    return Markup("<picture>{}{}</picture>").format(source, img)


def lightbox_html(
    image: PublishedImage,
    alt: str,
    caption: str = "",
    credit: str = "",
    gallery: str | None = None,
    sizes: str = DEFAULT_SIZES,
    lazy: bool = True,
) -> Markup:
    """The picture wrapped in a link to the largest JPEG, with the lightbox's caption attributes."""
    large = image.largest("jpg")
    return Markup("<a{}>{}</a>").format(
        _attrs(
            href=large.url,
            class_="dvk-lightbox",
            data_gallery=gallery,
            data_caption=caption or alt,
            data_credit=credit or None,
        ),
        picture_html(image, alt, sizes=sizes, lazy=lazy),
    )


def figure_html(image: PublishedImage, caption: str, credit: str = "", gallery: str | None = None, sizes: str = DEFAULT_SIZES, lazy: bool = True) -> Markup:
    """<figure> with the lightbox picture and a <figcaption> (caption, then credit)."""
    credit_html = Markup(' <span class="dvk-credit">{}</span>').format(credit) if credit else Markup("")
    return Markup('<figure class="dvk-figure">{}<figcaption>{}{}</figcaption></figure>').format(
        lightbox_html(image, caption, caption, credit, gallery, sizes, lazy), caption, credit_html
    )

"""Encode one upright image into its responsive variants (WebP + JPEG fallback per width).

Pure: image in, bytes out. Metadata arguments are passed explicitly empty so that no
Pillow version can carry EXIF/ICC/XMP over from the image's `info`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from .settings import Settings, plan_widths

FORMATS = (("webp", "image/webp"), ("jpg", "image/jpeg"))


@dataclass(frozen=True)
class Encoded:
    width: int
    height: int
    ext: str
    data: bytes


def encode_variants(image: Image.Image, settings: Settings) -> list[Encoded]:
    """All variants of `image`, smallest first, WebP before JPEG within a width."""
    out: list[Encoded] = []
    for width in plan_widths(image.width, settings.widths):
        height = max(1, round(image.height * width / image.width))
        sized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for ext, _mime in FORMATS:
            out.append(Encoded(width, height, ext, _encode(sized, ext, settings)))
    return out


def _encode(image: Image.Image, ext: str, settings: Settings) -> bytes:
    buffer = io.BytesIO()
    if ext == "webp":
        image.save(buffer, "WEBP", quality=settings.webp_quality, method=settings.webp_method, exif=b"", icc_profile=b"", xmp=b"")
    else:
        image.save(buffer, "JPEG", quality=settings.jpeg_quality, progressive=True, optimize=True, exif=b"", icc_profile=None, comment=b"")
    return buffer.getvalue()

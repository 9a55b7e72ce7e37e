"""Decode a source once: bomb-guarded, upright, sRGB, with every byte of metadata dropped.

The pixel ceiling and the Vietnamese messages come from generator.imagecheck so validation
and publishing refuse the same files with the same words. The ceiling is checked on the
header, before any pixel is decoded, without touching Pillow's global MAX_IMAGE_PIXELS or
the warnings filters: neither is thread-safe, and the book decodes in threads. Output is a fresh RGB image whose
`info` is empty: EXIF (GPS, camera serial), XMP, IPTC, comments and ICC profiles cannot
leak into an encoder that copies `info`.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps

from ..imagecheck import BOMB, HEIC_BRANDS, HEIC_REFUSED, MAX_PIXELS, describe_decode_error, heif_available, supported_formats


class ImagingError(Exception):
    """A source that cannot be published; `str()` is a Vietnamese sentence for editors."""


_SRGB = ImageCms.createProfile("sRGB")


def load_upright(data: bytes, target_width: int | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """Decode `data` into an upright, metadata-free RGB image in sRGB, and the original's upright size.

    `target_width` (the widest variant wanted) lets the JPEG decoder scale by DCT
    (draft mode), which cuts decode time of a 12 MP phone photo several-fold.
    Raises ImagingError with the editor-facing reason.
    """
    heic = any(brand in data[:16] for brand in HEIC_BRANDS)
    if heic and not heif_available():
        raise ImagingError(HEIC_REFUSED)
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if image.width * image.height > MAX_PIXELS:
                raise ImagingError(BOMB)
            if image.format not in supported_formats():
                raise ImagingError(f"định dạng ảnh {image.format or 'không rõ'} không được hỗ trợ — dùng JPEG, PNG hoặc WebP")
            rotated = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            original = (image.height, image.width) if rotated else image.size
            if target_width and image.format == "JPEG":
                _draft(image, target_width, original[0])
            image.load()
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            return _clean_rgb(upright, icc), original
    except ImagingError:
        raise
    except Exception as error:  # noqa: BLE001 - any decoder failure is a bad file, never a traceback
        raise ImagingError(describe_decode_error(error, heic)) from None


def _draft(image: Image.Image, target_width: int, upright_width: int) -> None:
    """Ask libjpeg for the smallest DCT scale that still covers the widest variant."""
    if upright_width <= target_width:
        return
    scale = target_width / upright_width
    image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))


def _clean_rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten to RGB on white, convert embedded ICC (Display P3, Adobe RGB) to sRGB, drop info."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode == "CMYK" and icc:
        pass  # converted through its profile below
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except Exception:  # noqa: BLE001 - a broken profile: keep the pixels as they are
            image = image.convert("RGB")
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean

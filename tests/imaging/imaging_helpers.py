"""Builders for test images: phone-like JPEGs with EXIF/GPS/ICC/XMP, bombs, truncations."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageCms

SERIAL = "SN-DVK-123456789"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="21,2.5N"/></rdf:RDF></x:xmpmeta>'


def phone_jpeg(path: Path, size=(2000, 1200), orientation: int = 6) -> Path:
    """A JPEG as a phone writes it: pixels stored sideways, orientation flag, GPS, serial, ICC, XMP.

    Stored left half red, right half blue; with orientation 6 (rotate 90° clockwise to
    view) the upright picture is red on top and blue at the bottom.
    """
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 40, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "DvkPhone"
    exif[0x0110] = "Model X"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 2.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc, xmp=XMP, comment=b"taken at home")
    return path


def plain_jpeg(path: Path, size=(1200, 800), color=(30, 120, 200)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG", quality=85)
    return path


def noisy_jpeg_bytes(size=(1600, 1200)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width×height but carries almost no data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")

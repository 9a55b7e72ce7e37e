"""The issue's headline promise: a phone photo with GPS and orientation 6 is published
upright, and no variant carries EXIF (or XMP, ICC, comments) of any kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from imaging_helpers import SERIAL, phone_jpeg
from PIL import Image

from generator.imaging import ImagePipeline


@pytest.fixture
def prepared(tmp_path: Path):
    source = phone_jpeg(tmp_path / "content" / "anh" / "dien-thoai.jpg")
    with Image.open(source) as original:  # the fixture really is a leaky phone photo
        exif = original.getexif()
        assert exif[0x0112] == 6 and exif.get_ifd(0x8825)[2] == (21.0, 2.0, 30.0)
        assert original.info.get("icc_profile") and original.info.get("xmp") and original.size == (2000, 1200)
    sets = ImagePipeline(tmp_path / "cache").prepare([source])
    return source, sets[source.resolve()]


def test_published_upright_with_dimensions_swapped(prepared):
    _source, variants = prepared
    assert (variants.width, variants.height) == (1200, 2000)  # stored 2000×1200, orientation 6
    for variant in variants.variants:
        with Image.open(variant.path) as image:
            assert image.height > image.width
            assert image.size == (variant.width, variant.height)
            rgb = image.convert("RGB")
            top = rgb.getpixel((image.width // 2, image.height // 8))
            bottom = rgb.getpixel((image.width // 2, image.height * 7 // 8))
            assert top[0] > 150 and top[2] < 90, f"{variant.name}: top should be red, got {top}"
            assert bottom[2] > 150 and bottom[0] < 90, f"{variant.name}: bottom should be blue, got {bottom}"


def test_no_metadata_at_all_in_any_variant(prepared):
    _source, variants = prepared
    assert {v.ext for v in variants.variants} == {"webp", "jpg"}
    for variant in variants.variants:
        data = variant.path.read_bytes()
        with Image.open(variant.path) as image:
            assert len(image.getexif()) == 0, variant.name
            for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
                assert not image.info.get(key), f"{variant.name} carries {key}"
        for marker in (b"Exif\x00", b"EXIF", b"XMP", b"xmpmeta", b"ICC_PROFILE", b"ICCP", SERIAL.encode(), b"DvkPhone", b"taken at home"):
            assert marker not in data, f"{variant.name} contains {marker!r}"


def test_jpeg_fallback_is_progressive(prepared):
    _source, variants = prepared
    for variant in variants.of("jpg"):
        with Image.open(variant.path) as image:
            assert image.info.get("progressive") or image.info.get("progression")


def test_original_never_published(prepared, tmp_path: Path):
    source, variants = prepared
    variants.publish(tmp_path / "site" / "anh", "/anh/")
    published = list((tmp_path / "site" / "anh").iterdir())
    assert len(published) == len(variants.variants)
    original = source.read_bytes()
    assert all(path.read_bytes() != original for path in published)
    assert all(path.suffix in (".webp", ".jpg") and "-" in path.stem for path in published)

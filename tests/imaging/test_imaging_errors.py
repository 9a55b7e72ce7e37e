"""Bad sources fail with one Vietnamese sentence each, never a traceback, and never stop
the good images from being prepared."""

from __future__ import annotations

from pathlib import Path

import pytest
from imaging_helpers import noisy_jpeg_bytes, plain_jpeg, png_header_only

from generator import imagecheck
from generator.imaging import ImagePipeline, ImagePipelineError, ImagingError, load_upright


def _fail(tmp_path: Path, name: str, data: bytes) -> tuple[str, ImagePipelineError]:
    bad = tmp_path / name
    bad.write_bytes(data)
    good = plain_jpeg(tmp_path / "tot.jpg")
    pipeline = ImagePipeline(tmp_path / "cache")
    with pytest.raises(ImagePipelineError) as caught:
        pipeline.prepare([bad, good])
    assert pipeline.stats.encoded == 1  # the good one is done and cached anyway
    assert list(caught.value.failures) == [bad.resolve()]
    return caught.value.failures[bad.resolve()], caught.value


def test_decompression_bomb(tmp_path: Path):
    reason, error = _fail(tmp_path, "bom.png", png_header_only(30000, 30000))
    assert "quá lớn" in reason and "triệu điểm ảnh" in reason
    assert "Traceback" not in str(error) and "bom.png" in str(error)


def test_truncated_jpeg(tmp_path: Path):
    data = noisy_jpeg_bytes()
    reason, error = _fail(tmp_path, "cut.jpg", data[: len(data) // 2])
    assert "cắt cụt" in reason
    assert "Traceback" not in str(error)


def test_not_an_image(tmp_path: Path):
    reason, _ = _fail(tmp_path, "gia.jpg", b"<html>not a photo</html>" * 10)
    assert "không phải là ảnh" in reason


def test_unsupported_format(tmp_path: Path):
    from PIL import Image

    Image.new("RGB", (1600, 1200)).save(tmp_path / "anh.tiff")
    reason, _ = _fail(tmp_path, "anh2.tiff", (tmp_path / "anh.tiff").read_bytes())
    assert "TIFF" in reason and "không được hỗ trợ" in reason


def test_heic_refused_with_conversion_hint_when_pillow_heif_missing(monkeypatch):
    monkeypatch.setattr(imagecheck, "_heif_state", False)
    with pytest.raises(ImagingError) as caught:
        load_upright(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200)
    assert "HEIC" in str(caught.value) and "JPEG" in str(caught.value)


def test_heic_decoded_when_pillow_heif_present(tmp_path: Path):
    if not imagecheck.heif_available():
        pytest.skip("pillow-heif not installed")
    from PIL import Image

    path = tmp_path / "iphone.heic"
    Image.new("RGB", (1600, 1200), (0, 160, 0)).save(path)
    sets = ImagePipeline(tmp_path / "cache").prepare([path])
    assert [v.width for v in sets[path.resolve()].of("jpg")] == [480, 960, 1600]


def test_validator_and_pipeline_agree_on_words(tmp_path: Path):
    """Validation (imagecheck) and publishing refuse a bomb with the same sentence."""
    bomb = tmp_path / "content" / "bom.png"
    bomb.parent.mkdir()
    bomb.write_bytes(png_header_only(30000, 30000))
    verdict = imagecheck.ImageChecker().check(bomb, tmp_path / "content")
    with pytest.raises(ImagingError) as caught:
        load_upright(bomb.read_bytes())
    assert verdict == str(caught.value) == imagecheck.BOMB


def test_pixel_ceiling_is_ours_and_leaves_pillow_globals_alone():
    """70 MP is under Pillow's own limit but over dvk's 60 MP ceiling; threads stay safe."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: _reason(png_header_only(10000, 7000)), range(8)))
    assert results == [imagecheck.BOMB] * 8
    assert Image.MAX_IMAGE_PIXELS == before


def _reason(data: bytes) -> str:
    try:
        load_upright(data)
    except ImagingError as error:
        return str(error)
    return "decoded"


@pytest.mark.parametrize("missing", [2, 500, 0.5])
def test_validation_catches_a_photo_cut_off_anywhere(tmp_path: Path, missing):
    """The validator decodes JPEGs at an eighth of their size to save time; an upload cut
    off at its very end (only the end marker lost) or half way must still be refused."""
    data = noisy_jpeg_bytes()
    cut = int(len(data) * missing) if isinstance(missing, float) else missing
    content = tmp_path / "content"
    photo = content / "models" / "anh" / "cut.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(data[:-cut])
    verdict = imagecheck.ImageChecker().check(photo, content)
    assert isinstance(verdict, str) and "cắt cụt" in verdict
    photo.write_bytes(data)
    assert not isinstance(imagecheck.ImageChecker().check(photo, content), str)

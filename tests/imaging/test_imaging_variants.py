"""Variant planning (never upscaled), colour handling, cache behaviour, parallel encoding."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from imaging_helpers import plain_jpeg
from PIL import Image, ImageCms

from generator import imagecheck
from generator.imaging import ImagePipeline, Settings, load_upright, plan_widths


def test_plan_widths_never_upscales():
    assert plan_widths(4000, (480, 960, 1600)) == [480, 960, 1600]
    assert plan_widths(1600, (480, 960, 1600)) == [480, 960, 1600]
    assert plan_widths(1200, (480, 960, 1600)) == [480, 960, 1200]
    assert plan_widths(960, (480, 960, 1600)) == [480, 960]
    assert plan_widths(300, (480, 960, 1600)) == [300]


def test_small_source_is_not_upscaled(tmp_path: Path):
    source = plain_jpeg(tmp_path / "nho.jpg", (300, 200))
    variants = ImagePipeline(tmp_path / "cache").prepare([source])[source.resolve()]
    assert {(v.width, v.height) for v in variants.variants} == {(300, 200)}
    for variant in variants.variants:
        with Image.open(variant.path) as image:
            assert image.size == (300, 200)


def test_large_source_gets_three_widths_with_aspect_kept(tmp_path: Path):
    source = plain_jpeg(tmp_path / "lon.jpg", (4000, 3000))
    variants = ImagePipeline(tmp_path / "cache").prepare([source])[source.resolve()]
    assert (variants.width, variants.height) == (4000, 3000)  # original size even though decode was drafted
    assert [(v.width, v.height) for v in variants.of("webp")] == [(480, 360), (960, 720), (1600, 1200)]
    assert [(v.width, v.height) for v in variants.of("jpg")] == [(480, 360), (960, 720), (1600, 1200)]


def test_png_with_alpha_is_flattened_on_white(tmp_path: Path):
    path = tmp_path / "chup-man-hinh.png"
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 400, 600))
    image.save(path)
    upright, size = load_upright(path.read_bytes())
    assert upright.mode == "RGB" and size == (800, 600)
    assert upright.getpixel((700, 300)) == (255, 255, 255)
    assert upright.getpixel((100, 300)) == (200, 0, 0)


def test_embedded_profile_is_applied_then_dropped():
    """Pixels go through the source's ICC profile to sRGB; the output is untagged (= sRGB)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(buffer, "JPEG", icc_profile=profile)
    upright, _ = load_upright(buffer.getvalue())
    assert "icc_profile" not in upright.info and upright.info == {}


def test_warm_cache_encodes_nothing(tmp_path: Path):
    sources = [plain_jpeg(tmp_path / f"a{i}.jpg", (1700, 1000), (40 * i, 90, 160)) for i in range(3)]
    cache = tmp_path / "cache"
    cold = ImagePipeline(cache, workers=2)
    first = cold.prepare(sources)
    assert cold.stats.encoded == 3 and cold.stats.cache_hits == 0
    mtimes = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}

    warm = ImagePipeline(cache)  # a new process would start exactly like this
    second = warm.prepare(sources)
    assert warm.stats.encoded == 0 and warm.stats.cache_hits == 3
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == mtimes
    assert second == first


def test_changed_source_or_settings_re_encode_only_what_changed(tmp_path: Path):
    a = plain_jpeg(tmp_path / "a.jpg", (1700, 1000))
    b = plain_jpeg(tmp_path / "b.jpg", (1700, 1000), (200, 10, 10))
    pipeline = ImagePipeline(tmp_path / "cache")
    pipeline.prepare([a, b])
    plain_jpeg(a, (1700, 1000), (0, 200, 0))  # editor replaced the photo
    pipeline.prepare([a, b])
    assert (pipeline.stats.encoded, pipeline.stats.cache_hits) == (1, 1)
    other = ImagePipeline(tmp_path / "cache", Settings(widths=(320, 640)))
    other.prepare([a, b])
    assert other.stats.encoded == 2


def test_cache_can_be_deleted(tmp_path: Path):
    source = plain_jpeg(tmp_path / "a.jpg")
    pipeline = ImagePipeline(tmp_path / "cache")
    before = pipeline.prepare([source])[source.resolve()]
    shutil.rmtree(tmp_path / "cache")
    after = pipeline.prepare([source])[source.resolve()]
    assert pipeline.stats.encoded == 1
    assert [v.name for v in after.variants] == [v.name for v in before.variants]
    assert all(v.path.is_file() for v in after.variants)


def test_half_written_cache_entry_is_not_trusted(tmp_path: Path):
    source = plain_jpeg(tmp_path / "a.jpg")
    pipeline = ImagePipeline(tmp_path / "cache")
    variants = pipeline.prepare([source])[source.resolve()]
    variants.variants[0].path.unlink()
    pipeline.prepare([source])
    assert pipeline.stats.encoded == 1


def test_publish_is_idempotent_and_names_are_content_addressed(tmp_path: Path):
    one = plain_jpeg(tmp_path / "x" / "anh.jpg", (1000, 800), (1, 2, 3))
    two = plain_jpeg(tmp_path / "y" / "anh.jpg", (1000, 800), (200, 2, 3))
    sets = ImagePipeline(tmp_path / "cache").prepare([one, two])
    out = tmp_path / "site" / "anh"
    first = sets[one.resolve()].publish(out, "../anh")
    sets[two.resolve()].publish(out, "../anh")
    assert len(list(out.iterdir())) == 2 * len(first.variants)  # same file name, no collision
    assert first.variants[0].url.startswith("../anh/anh-")
    stamp = {p: p.stat().st_mtime_ns for p in out.iterdir()}
    sets[one.resolve()].publish(out, "../anh")
    assert {p: p.stat().st_mtime_ns for p in out.iterdir()} == stamp


def test_image_advice_warns_small_and_very_large():
    small = imagecheck.ImageInfo(Path("a.jpg"), "a.jpg", 1000, 700, "JPEG", 200_000)
    assert any("in ra sẽ bị mờ" in message for message, _ in imagecheck.image_advice(small))
    big = imagecheck.ImageInfo(Path("b.jpg"), "b.jpg", 8000, 6000, "JPEG", 21_000_000)
    assert any("rất lớn" in m and "21.0 MB" in m for m, _ in imagecheck.image_advice(big))
    fine = imagecheck.ImageInfo(Path("c.jpg"), "c.jpg", 4000, 3000, "JPEG", 3_000_000)
    assert imagecheck.image_advice(fine) == []


def test_workers_default_to_every_core(tmp_path: Path):
    assert ImagePipeline(tmp_path).workers == (os.cpu_count() or 1)


def test_same_photo_under_two_names_is_encoded_once(tmp_path: Path):
    a = plain_jpeg(tmp_path / "x" / "le-trao-giai.jpg", (1700, 1000))
    b = tmp_path / "y" / "anh-1.jpg"
    b.parent.mkdir()
    shutil.copyfile(a, b)
    pipeline = ImagePipeline(tmp_path / "cache", workers=2)
    sets = pipeline.prepare([a, b])
    assert pipeline.stats.encoded == 1 and len(sets) == 2
    assert sets[a.resolve()].key == sets[b.resolve()].key
    assert sets[a.resolve()].variants[0].name.startswith("le-trao-giai-")
    assert sets[b.resolve()].variants[0].name.startswith("anh-1-")


def test_referenced_images_of_the_sample_content():
    from generator.imaging import referenced_images
    from generator.validate import validate_content

    content = validate_content(Path(__file__).resolve().parents[2])
    images = referenced_images(content.entries)
    assert len(images) >= 12 and all(image.abs_path.is_file() for image in images)
    assert sum(1 for entry in content.entries for award in getattr(entry, "awards", ()) if award.image) >= 7


def _count_photo_reads(monkeypatch) -> list[str]:
    """Names of the .jpg files read from now on (the pipeline reads a source with read_bytes)."""
    reads: list[str] = []
    read_bytes = Path.read_bytes

    def counted(self):
        if self.suffix == ".jpg":
            reads.append(self.name)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return reads


def test_a_rebuild_reads_only_the_photos_that_changed(tmp_path: Path, monkeypatch):
    """A district's photo library grows to thousands of files; a rebuild after one edit
    must not read and hash every photo to find its cached variants. A photo changed in
    place, even to the same size with its old modification time put back, is read again."""
    from generator.imaging import sources

    monkeypatch.setattr(sources, "RACY_NS", 0)  # these files were written a moment ago
    photos = [plain_jpeg(tmp_path / f"p{i}.jpg", (900, 600), (60 * i, 90, 160)) for i in range(3)]
    cache = tmp_path / "cache"
    first = ImagePipeline(cache).prepare(photos)
    reads = _count_photo_reads(monkeypatch)
    warm = ImagePipeline(cache)  # the next build
    assert warm.prepare(photos) == first and warm.stats.cache_hits == 3
    assert reads == []

    changed = photos[1]
    data = changed.read_bytes()
    stat = changed.stat()
    spot = data.index(b"\xff\xdb") + 10  # a value of the first quantisation table: other pixels, same size
    changed.write_bytes(data[:spot] + bytes([data[spot] ^ 1]) + data[spot + 1 :])
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert changed.stat().st_size == stat.st_size and changed.stat().st_mtime_ns == stat.st_mtime_ns
    reads.clear()
    again = ImagePipeline(cache)
    again.prepare(photos)
    assert (again.stats.encoded, again.stats.cache_hits) == (1, 2)
    assert sorted(set(reads)) == ["p1.jpg"]


def test_a_photo_saved_moments_ago_is_read_again_by_the_next_build(tmp_path: Path, monkeypatch):
    """Its stamp may not change if it is saved again within the same clock tick, so its
    digest is not kept until its last change is a while old (git's racy-entry rule)."""
    photo = plain_jpeg(tmp_path / "moi.jpg", (900, 600))
    cache = tmp_path / "cache"
    ImagePipeline(cache).prepare([photo])
    reads = _count_photo_reads(monkeypatch)
    ImagePipeline(cache).prepare([photo])
    assert reads == ["moi.jpg"]


def test_projects_sharing_an_image_cache_keep_their_own_photo_digests(tmp_path: Path, monkeypatch):
    """Several projects may share one image cache (DVK_CACHE_DIR): a build of one must not
    make the next build of the other read all its photos again."""
    from generator.imaging import sources

    monkeypatch.setattr(sources, "RACY_NS", 0)
    cache = tmp_path / "cache"
    a = [plain_jpeg(tmp_path / "a" / f"a{i}.jpg", (700, 500), (30 * i, 60, 90)) for i in range(2)]
    b = [plain_jpeg(tmp_path / "b" / f"b{i}.jpg", (700, 500), (90, 30 * i, 60)) for i in range(2)]
    ImagePipeline(cache, project=tmp_path / "a").prepare(a)
    ImagePipeline(cache, project=tmp_path / "b").prepare(b)
    reads = _count_photo_reads(monkeypatch)
    ImagePipeline(cache, project=tmp_path / "a").prepare(a)
    ImagePipeline(cache, project=tmp_path / "b").prepare(b)
    assert reads == []

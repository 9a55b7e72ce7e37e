"""Images in the built site: only metadata-free variants are published, every <img> is
responsive and sized, the awards gallery shows every award, lightbox links work without
JavaScript, and a warm image cache makes a rebuild encode nothing."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from generator.derive import derive_site
from generator.validate import validate_content
from sitefixtures import mini_project, project, sample_project  # noqa: F401 (fixtures)
from sitehelpers import REPO, dvk, html_pages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imaging"))
from imaging_helpers import SERIAL, phone_jpeg  # noqa: E402

METADATA_MARKERS = (b"Exif\x00", b"xmpmeta", b"ICC_PROFILE", b"ICCP")  # short ones (b"GPS") occur by chance in compressed data


class Tags(HTMLParser):
    """Start tags (name, attrs dict) of a page, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(page: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def published_images(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".webp", ".png", ".gif", ".heic") and "assets" not in p.relative_to(site).parts)


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as image:
        assert len(image.getexif()) == 0, path.name
        for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"):
            assert not image.info.get(key), f"{path.name} carries {key}"
    for marker in METADATA_MARKERS:
        assert marker not in data, f"{path.name} contains {marker!r}"


# -- the sample site -----------------------------------------------------------------------


def test_sample_site_publishes_only_metadata_free_variants_never_an_original(sample_project):
    site = sample_project / "site"
    images = published_images(site)
    assert images and all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}-\d+\.(jpg|webp)", p.name) and p.parent == site / "anh" for p in images), images
    for path in images:
        assert_no_metadata(path)
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (sample_project / "content").rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".heic")}
    assert originals
    published = {hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}
    assert not originals & published, "an original image was copied into site/"


def test_every_img_has_width_height_alt_and_srcset(sample_project):
    site = sample_project / "site"
    seen = 0
    for page in html_pages(site):
        for tag, attrs in tags(page):
            if tag != "img" or "anh/" not in attrs.get("src", ""):
                continue
            seen += 1
            assert attrs.get("width", "").isdigit() and attrs.get("height", "").isdigit(), (page, attrs)
            assert attrs.get("alt"), (page, attrs)
            assert re.fullmatch(r"[^ ,]+ \d+w(, [^ ,]+ \d+w)*", attrs.get("srcset", "")), (page, attrs)
            assert attrs.get("sizes"), (page, attrs)
    assert seen > 10


def test_first_picture_of_a_page_is_eager_the_rest_lazy(sample_project):
    page = sample_project / "site/khen-thuong/index.html"
    imgs = [attrs for tag, attrs in tags(page) if tag == "img" and "anh/" in attrs.get("src", "")]
    assert len(imgs) > 2
    assert "loading" not in imgs[0] and all(a.get("loading") == "lazy" for a in imgs[1:])


def test_awards_gallery_lists_every_award_and_links_each_card_to_its_entry(sample_project):
    content = validate_content(sample_project)
    derived = derive_site(content.entries, content.places)
    assert len(derived.awards) >= 7
    site = sample_project / "site"
    gallery = sorted([site / "khen-thuong/index.html", *site.glob("khen-thuong/trang-*/index.html")])
    cards = []
    for page in gallery:
        html = page.read_text(encoding="utf-8")
        for card in re.findall(r'<article class="dvk-award[^"]*".*?</article>', html, re.S):
            title = re.search(r'class="dvk-award__title">(.*?)</h\d>', card).group(1)
            href = re.search(r'<p class="dvk-award__to"><a href="([^"]+)"', card).group(1)
            target = (page.parent / href).resolve() / "index.html"
            assert target.is_file(), href
            cards.append((title, target.parent.name, "<picture>" in card))
    from markupsafe import escape

    expected = sorted((str(escape(rec.award.title)), rec.entry.id, rec.award.image is not None) for rec in derived.awards)
    assert sorted(cards) == expected
    assert any(photo for *_, photo in cards)


def test_lightbox_links_are_plain_links_to_the_largest_jpeg(sample_project):
    site = sample_project / "site"
    checked = 0
    for page in [site / "khen-thuong/index.html", *site.glob("su-kien/*/index.html"), *site.glob("mo-hinh/*/index.html")]:
        items = tags(page)
        for i, (tag, attrs) in enumerate(items):
            if tag != "a" or "dvk-lightbox" not in attrs.get("class", ""):
                continue
            href = attrs["href"]
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            assert target.is_file() and target.suffix == ".jpg", (page, href)
            img = next(a for t, a in items[i:] if t == "img")
            widths = [int(part.split()[1][:-1]) for part in img["srcset"].split(", ")]
            assert Image.open(target).width == max(widths)
            assert attrs.get("data-caption")
            checked += 1
    assert checked > 5


def test_event_page_gallery_has_its_photos_and_award_photos_given_there(sample_project):
    content = validate_content(sample_project)
    derived = derive_site(content.entries, content.places)
    events = [eid for eid, recs in derived.award_events.items() if any(r.award.image for r in recs)]
    assert events, "the sample needs an award photo given at an event"
    html = (sample_project / f"site/su-kien/{events[0]}/index.html").read_text(encoding="utf-8")
    assert "Ảnh khen thưởng tại sự kiện" in html and 'data-gallery="anh"' in html


def test_lightbox_script_is_local_deferred_and_only_on_pages_with_pictures(sample_project):
    site = sample_project / "site"
    assert (site / "assets/dvk/lightbox.js").is_file()
    gallery = [attrs for tag, attrs in tags(site / "khen-thuong/index.html") if tag == "script" and "lightbox" in attrs.get("src", "")]
    assert len(gallery) == 1 and "defer" in gallery[0]  # not render-blocking
    assert "lightbox.js" not in (site / "tim-kiem/index.html").read_text(encoding="utf-8")
    assert "innerHTML" not in (site / "assets/dvk/lightbox.js").read_text(encoding="utf-8")


# -- a phone photo in a fixture site --------------------------------------------------------


def _add_photo(project: Path, photo: Path) -> None:
    entry = project / "content/models/tay-ho/ngay-khong-giay-hen.md"
    text = entry.read_text(encoding="utf-8")
    item = f'images:\n  - src: anh/{photo.name}\n    caption: "Ảnh chụp bằng điện thoại"\n    credit: "Người dân"\n'
    entry.write_text(text.replace("images:\n", item, 1), encoding="utf-8")


def test_phone_jpeg_with_gps_and_orientation_6_is_published_upright_without_exif(project):
    photo = phone_jpeg(project / "content/models/tay-ho/anh/dien-thoai.jpg")
    _add_photo(project, photo)
    done = dvk("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / "site"
    variants = sorted((site / "anh").glob("dien-thoai-*"))
    assert {p.suffix for p in variants} == {".jpg", ".webp"}
    for path in variants:
        assert_no_metadata(path)
        assert SERIAL.encode() not in path.read_bytes()
        with Image.open(path) as image:
            rgb = image.convert("RGB")
            width, height = rgb.size
            assert height > width, (path.name, rgb.size)  # stored 2000×1200 sideways, shown 1200×2000
            top, bottom = rgb.getpixel((width // 2, height // 8)), rgb.getpixel((width // 2, height * 7 // 8))
            assert top[0] > 150 and top[2] < 100 and bottom[2] > 150 and bottom[0] < 100, (path.name, top, bottom)
    assert not list(site.rglob("dien-thoai.jpg"))
    page = (site / "mo-hinh/ngay-khong-giay-hen/index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="../../anh/dien-thoai-[0-9a-f]{10}-\d+\.jpg"[^>]* width="\d+" height="\d+" alt="Ảnh chụp bằng điện thoại"', page)


def test_a_broken_photo_fails_the_build_with_a_vietnamese_line_not_a_traceback(project):
    photo = project / "content/models/tay-ho/anh/hong.jpg"
    photo.write_bytes(phone_jpeg(project / "tmp.jpg").read_bytes()[:2000])  # truncated upload
    _add_photo(project, photo)
    done = dvk("build", cwd=project)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in output
    assert "hong.jpg" in output


def test_warm_image_cache_rebuild_encodes_nothing(project, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.delenv("DVK_CACHE_DIR", raising=False)
    monkeypatch.chdir(project)
    stats = []
    for _ in range(2):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        stats.append(config.plugins["dvk"].images.stats)
    cold, warm = stats
    assert config.plugins["dvk"].images.cache_dir == project / ".cache/dvk-images", config.plugins["dvk"].images.cache_dir
    assert (project / ".cache/dvk-images").is_dir()
    assert cold.encoded >= 1 and cold.sources == warm.sources
    assert warm.encoded == 0 and warm.files_written == 0 and warm.cache_hits == warm.sources
    # each published variant is the image cache's file (a hard link), not a second copy on disk
    cached = {p.stat().st_ino for p in (project / ".cache/dvk-images").rglob("*") if p.suffix in (".jpg", ".webp")}
    published = [p for p in (project / "site/anh").iterdir() if p.suffix in (".jpg", ".webp")]
    assert published and all(p.stat().st_ino in cached for p in published)
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in published)


def test_pipeline_failure_is_a_vietnamese_plugin_error_like_validation(tmp_path, caplog):
    """A photo validation passed but the encoder refused still ends as one line per file."""
    from mkdocs.exceptions import PluginError

    from generator.imaging import ImagePipelineError
    from generator.mkdocs_plugin import DvkPlugin

    class Failing:
        def prepare(self, images):
            raise ImagePipelineError({tmp_path / "content/anh/x.jpg": "không xử lý được ảnh (OSError) — hãy xuất lại ảnh dạng JPEG"})

    plugin = DvkPlugin()
    plugin.root, plugin.images = tmp_path, Failing()
    with pytest.raises(PluginError, match="1 ảnh không xử lý được"):
        plugin._prepare_images([])
    assert "content/anh/x.jpg: không xử lý được ảnh (OSError) — hãy xuất lại ảnh dạng JPEG" in caplog.text

"""Photos at print resolution: originals resized with Pillow before layout.

A phone photo (4000×3000, 5 MB) printed 16 cm wide needs only ~1900 px at 300 dpi, so
each original is decoded once by the shared pipeline (generator.imaging.decode: bomb
guard, EXIF orientation applied, sRGB, every byte of metadata dropped), resized, and cached
under `.cache/dvk/book-images/` keyed by (file, size, mtime, target box). WeasyPrint then
embeds the small copy, which keeps a 500-entry book fast and its PDF small.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage

from ..imagecheck import BOMB, MAX_PIXELS
from ..imaging.decode import ImagingError, load_upright
from ..model import Image
from ..stamps import stat_stamp
from .layout import Book, Photo, Section

CACHE_VERSION = "1"
# Photos reach WeasyPrint as "dvk-book-image:<digest>.jpg", resolved by the PDF fetcher
# (generator.book.pdf): WeasyPrint names each image object after the MD5 of its URL, so a
# file: URL would put this checkout's absolute path (and the cache key) into the PDF.
IMAGE_SCHEME = "dvk-book-image"
TEXT_WIDTH_MM = {"A4": 160.0, "A5": 112.0}
JPEG_QUALITY = 85


class ImageError(Exception):
    """An image that cannot be printed; the message names the entry file and the image."""


@dataclass(frozen=True)
class Job:
    source: Path
    box: int  # longest side in pixels


def print_box(paper: str, dpi: int) -> int:
    """Longest side, in pixels, of a photo printed across the text block at `dpi`."""
    return int(round(TEXT_WIDTH_MM[paper] / 25.4 * dpi))


def cache_dir(root: Path) -> Path:
    return root / ".cache" / "dvk" / "book-images"


def attach_photos(book: Book, root: Path, paper: str, dpi: int, per_entry: int, workers: int | None = None) -> list[str]:
    """Resize the first `per_entry` printable images of every section; return problem messages."""
    box = print_box(paper, dpi)
    target = cache_dir(root)
    target.mkdir(parents=True, exist_ok=True)
    wanted: list[tuple[Section, Image]] = []
    for section in book.sections():
        for image in printable_images(section.entry)[:per_entry]:
            wanted.append((section, image))
    jobs = {Job(Path(image.abs_path), box) for _, image in wanted if image.abs_path}
    done: dict[Job, tuple[Path, int, int] | str] = {}
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        for job, result in zip(jobs, pool.map(lambda j: _safe_resize(j, target), jobs)):
            done[job] = result
    problems = []
    for section, image in wanted:
        if not image.abs_path:
            problems.append(f"{section.entry.path}: images: không tìm thấy tệp ảnh \"{image.src}\"")
            continue
        result = done[Job(Path(image.abs_path), box)]
        if isinstance(result, str):
            problems.append(f"{section.entry.path}: images: \"{image.src}\": {result}")
            continue
        path, width, height = result
        url = photo_url(image.src, box)
        book.image_files[url] = path
        # a drawing is never called a photo: "Ảnh minh họa · …" instead of "Ảnh: …"
        credit = image.credit_line if image.illustrative else (f"Ảnh: {image.credit}" if image.credit else "")
        section.photos.append(Photo(url, image.caption, credit, width, height))
    return problems


def photo_url(src: str, box: int) -> str:
    """The same URL for the same photo (path in content/) and print size on every machine."""
    digest = hashlib.sha256(f"{CACHE_VERSION}|{src}|{box}".encode("utf-8")).hexdigest()[:32]
    return f"{IMAGE_SCHEME}:{digest}.jpg"


def printable_images(entry) -> list[Image]:
    """The entry's own photos first, then photos of its award certificates (no repeats)."""
    found: dict[str, Image] = {}
    for image in entry.images:
        found.setdefault(image.src, image)
    for award in getattr(entry, "awards", []):
        if award.image:
            found.setdefault(award.image.src, award.image)
    return list(found.values())


def _safe_resize(job: Job, target: Path) -> tuple[Path, int, int] | str:
    try:
        return resize(job.source, job.box, target)
    except ImageError as error:
        return str(error)


def resize(source: Path, box: int, target: Path) -> tuple[Path, int, int]:
    """Resized, oriented, metadata-free JPEG copy of `source` (cached); returns (path, w, h)."""
    try:
        stat = source.stat()
    except OSError:
        raise ImageError("không đọc được tệp ảnh") from None
    key = hashlib.sha256(f"{CACHE_VERSION}|{source.resolve()}|{stat_stamp(stat)}|{box}".encode()).hexdigest()[:32]
    out = target / f"{key}.jpg"
    if out.is_file():
        try:
            with PILImage.open(out) as done:
                return out, done.width, done.height
        except (OSError, ValueError):
            out.unlink(missing_ok=True)
    image = _open(source, box)
    target.mkdir(parents=True, exist_ok=True)
    # a unique name per writer (threads of this build, other builds sharing the cache), then
    # one rename: a reader sees no file or a whole one, and concurrent writers never collide
    handle, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=target)
    try:
        with os.fdopen(handle, "wb") as stream:
            image.save(stream, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out, image.width, image.height


def _open(source: Path, box: int) -> PILImage.Image:
    """Decode with the shared pipeline's guard (bomb, HEIC, ICC -> sRGB, no metadata)."""
    try:
        data = source.read_bytes()
    except OSError:
        raise ImageError("không đọc được tệp ảnh") from None
    try:  # header-only size check first: bomb_guard swaps process globals, threads race on it
        with PILImage.open(io.BytesIO(data)) as probe:
            too_big = probe.width * probe.height > MAX_PIXELS
    except Exception:  # noqa: BLE001 - load_upright below reports a bad file in editor words
        too_big = False
    if too_big:
        raise ImageError(BOMB)
    try:
        image, _ = load_upright(data, target_width=box)
    except ImagingError as error:
        raise ImageError(str(error)) from None
    if max(image.size) > box:
        image.thumbnail((box, box), PILImage.Resampling.LANCZOS)
    return image

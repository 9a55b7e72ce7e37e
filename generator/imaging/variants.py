"""Value objects for prepared images, and publishing them into a built site.

A VariantSet lives in the cache; `at(url_prefix)` gives the URLs pages use (no I/O, so
pages can be rendered before anything is written) and `publish(out_dir, url_prefix)`
hard-links (or copies) the cached files into the site. File names are content-addressed
(`<name>-<key10>-<width>.<ext>`), so two `anh/1.jpg` in different folders never collide
and a changed photo gets a new URL (safe for long browser caching). The original file is
never published.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from ..text import slugify

MIME = {"webp": "image/webp", "jpg": "image/jpeg"}


@dataclass(frozen=True)
class Variant:
    """One encoded file in the cache."""

    width: int
    height: int
    ext: str  # "webp" | "jpg"
    path: Path  # cache file
    name: str  # file name in the site
    bytes: int

    @property
    def mime(self) -> str:
        return MIME[self.ext]


@dataclass(frozen=True)
class PublishedVariant:
    """A variant as a page sees it: its URL and the facts the HTML needs."""

    url: str
    width: int
    height: int
    ext: str
    bytes: int

    @property
    def mime(self) -> str:
        return MIME[self.ext]


@dataclass(frozen=True)
class PublishedImage:
    """A VariantSet with URLs: what picture_html() and lightbox_html() take."""

    source: "VariantSet"
    variants: tuple[PublishedVariant, ...]

    @property
    def width(self) -> int:
        return self.source.width

    @property
    def height(self) -> int:
        return self.source.height

    def of(self, ext: str) -> list[PublishedVariant]:
        return [v for v in self.variants if v.ext == ext]

    def largest(self, ext: str = "jpg") -> PublishedVariant:
        return self.of(ext)[-1]

    def fallback(self, ext: str = "jpg", width: int = 960) -> PublishedVariant:
        """The `src` of <img>: the variant closest to `width` without exceeding it when possible."""
        items = self.of(ext)
        fitting = [v for v in items if v.width <= width]
        return fitting[-1] if fitting else items[0]

    def srcset(self, ext: str) -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in self.of(ext))


@dataclass(frozen=True)
class VariantSet:
    """All variants of one source (smallest first), plus the source's upright size."""

    source: Path  # absolute path of the original
    key: str
    width: int  # upright original width
    height: int
    source_bytes: int
    variants: tuple[Variant, ...]

    def of(self, ext: str) -> list[Variant]:
        return [v for v in self.variants if v.ext == ext]

    def chosen(self, css_width: float, dpr: float = 1.0, ext: str = "webp") -> Variant:
        """The variant a browser picks from srcset for a slot of `css_width` at `dpr`."""
        need = css_width * dpr
        items = self.of(ext)
        for variant in items:
            if variant.width >= need:
                return variant
        return items[-1]

    def at(self, url_prefix: str) -> PublishedImage:
        """URLs under `url_prefix` (e.g. "../assets/anh/" or "/assets/anh/"); no I/O."""
        prefix = url_prefix if url_prefix.endswith("/") or not url_prefix else url_prefix + "/"
        return PublishedImage(self, tuple(PublishedVariant(prefix + v.name, v.width, v.height, v.ext, v.bytes) for v in self.variants))

    def publish(self, out_dir: Path, url_prefix: str) -> PublishedImage:
        """Place the variants in `out_dir` (hard link, else copy); skip files already there."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for variant in self.variants:
            target = out_dir / variant.name
            if target.is_file() and target.stat().st_size == variant.bytes:
                continue
            # unique per process and thread: two publishers of one folder never share a temp name
            tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
            tmp.unlink(missing_ok=True)
            try:
                os.link(variant.path, tmp)
            except OSError:
                shutil.copyfile(variant.path, tmp)
            os.replace(tmp, target)
        return self.at(url_prefix)

    @classmethod
    def from_manifest(cls, source: Path, folder: Path, manifest: dict) -> "VariantSet":
        stem = slugify(source.stem)[:60] or "anh"
        key = manifest["key"]
        variants = tuple(
            Variant(v["width"], v["height"], v["ext"], folder / v["file"], f"{stem}-{key[:10]}-{v['width']}.{v['ext']}", v["bytes"])
            for v in manifest["variants"]
        )
        info = manifest["source"]
        return cls(source, key, info["width"], info["height"], info["bytes"], variants)

"""Checks on images referenced by entries: the path stays inside content/, the file decodes.

Images are opened with Pillow's decompression-bomb guard turned into a hard error, and
fully decoded so that a truncated upload is caught here instead of at publish time.
Results are cached by (path, size, mtime) because decoding a phone photo costs ~50 ms.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage

MAX_PIXELS = 60_000_000  # a 60 MP photo is the largest a phone makes; above is a bomb
LARGE_BYTES = 15_000_000
SUPPORTED = {"JPEG", "PNG", "WEBP", "GIF"}
HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypheim", b"ftypavif")


@dataclass(frozen=True)
class ImageInfo:
    """What a successful check learned about an image."""

    path: Path
    rel: str  # relative to content/, POSIX
    width: int
    height: int
    format: str
    size: int


def resolve_image_path(src: str, entry_file: Path, content_dir: Path) -> tuple[Path | None, str]:
    """Resolve `src` relative to the entry file; return (path, "") or (None, reason).

    Refuses absolute paths, URLs and anything that resolves (symlinks included) outside
    content/.
    """
    if "://" in src or src.startswith(("data:", "//")):
        return None, "ảnh phải là tệp trong content/, không phải địa chỉ web"
    if "\\" in src or "\x00" in src:
        return None, "đường dẫn ảnh dùng dấu '/' và không chứa ký tự đặc biệt"
    posix = PurePosixPath(src)
    if posix.is_absolute():
        return None, "đường dẫn ảnh không được bắt đầu bằng '/'"
    root = content_dir.resolve()
    candidate = (entry_file.parent / posix).resolve()
    if candidate != root and root not in candidate.parents:
        return None, "đường dẫn ảnh ra ngoài thư mục content/"
    return candidate, ""


def _sniff_heic(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return any(brand in head for brand in HEIC_BRANDS)


class ImageChecker:
    """Decodes each image once per (size, mtime) and remembers the verdict."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], ImageInfo | str]] = {}

    def check(self, path: Path, content_dir: Path) -> ImageInfo | str:
        """ImageInfo, or a Vietnamese reason why the file is not a usable image."""
        try:
            stat = path.stat()
        except OSError:
            return "không tìm thấy tệp ảnh"
        if not path.is_file():
            return "đường dẫn ảnh không phải là tệp"
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        verdict = self._decode(path, content_dir, stat.st_size)
        self._cache[path] = (stamp, verdict)
        return verdict

    @staticmethod
    def _decode(path: Path, content_dir: Path, size: int) -> ImageInfo | str:
        if _sniff_heic(path):
            return "ảnh HEIC/AVIF (iPhone) chưa được hỗ trợ — hãy chuyển sang JPEG (trên iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất)"
        old_limit = PILImage.MAX_IMAGE_PIXELS
        PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(path) as image:
                    fmt = image.format or ""
                    if fmt not in SUPPORTED:
                        return f"định dạng ảnh {fmt or 'không rõ'} không được hỗ trợ — dùng JPEG, PNG hoặc WebP"
                    width, height = image.size
                    image.load()
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            return f"ảnh quá lớn (quá {MAX_PIXELS // 1_000_000} triệu điểm ảnh) — có thể là ảnh độc hại; hãy thu nhỏ ảnh"
        except PILImage.UnidentifiedImageError:
            return "tệp không phải là ảnh hoặc bị hỏng — hãy xuất lại ảnh dạng JPEG hoặc PNG"
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            text = str(error).lower()
            if "truncated" in text:
                return "tệp ảnh bị cắt cụt (tải lên chưa xong) — hãy tải lại ảnh gốc"
            return "tệp ảnh bị hỏng, không đọc được — hãy xuất lại ảnh dạng JPEG hoặc PNG"
        except Exception:  # noqa: BLE001 - any decoder failure is a bad file, never a traceback
            return "tệp ảnh bị hỏng, không đọc được — hãy xuất lại ảnh dạng JPEG hoặc PNG"
        finally:
            PILImage.MAX_IMAGE_PIXELS = old_limit
        rel = path.relative_to(content_dir.resolve()).as_posix()
        return ImageInfo(path, rel, width, height, fmt, size)

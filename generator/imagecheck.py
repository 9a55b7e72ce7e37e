"""Checks on images referenced by entries: the path stays inside content/, the file decodes.

Images are opened with Pillow's decompression-bomb guard turned into a hard error, and
decoded to the end so that a truncated upload is caught here instead of at publish time
(a JPEG at an eighth of its size: libjpeg still reads every byte, and a cut-off file
still fails). Results are cached by the file's stamp: decoding a phone photo costs
30-60 ms.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage

from .stamps import stat_stamp

MAX_PIXELS = 60_000_000  # a 60 MP photo is the largest a phone makes; above is a bomb
LARGE_BYTES = 15_000_000
LARGE_PIXELS = 24_000_000
SUPPORTED = {"JPEG", "PNG", "WEBP", "GIF"}
HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypheim", b"ftypavif")
PRINT_LONG_SIDE = 1200  # below this on the long side a photo prints blurry in the book (~10 cm at 300 dpi)

HEIC_HINT = "hãy chuyển sang JPEG (trên iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất)"
HEIC_REFUSED = f"ảnh HEIC/AVIF (iPhone) chưa được hỗ trợ — {HEIC_HINT}"
HEIC_BROKEN = f"ảnh HEIC/AVIF (iPhone) bị hỏng, không đọc được — {HEIC_HINT}"
BOMB = f"ảnh quá lớn (quá {MAX_PIXELS // 1_000_000} triệu điểm ảnh) — có thể là ảnh độc hại; hãy thu nhỏ ảnh"
NOT_AN_IMAGE = "tệp không phải là ảnh hoặc bị hỏng — hãy xuất lại ảnh dạng JPEG hoặc PNG"
TRUNCATED = "tệp ảnh bị cắt cụt (tải lên chưa xong) — hãy tải lại ảnh gốc"
BROKEN = "tệp ảnh bị hỏng, không đọc được — hãy xuất lại ảnh dạng JPEG hoặc PNG"

_heif_state: bool | None = None


def heif_available() -> bool:
    """True when pillow-heif is installed; registers its opener once so Pillow reads HEIC.

    Optional on purpose: without it HEIC photos are refused with a message that says how to
    convert them, instead of failing the install on platforms without a libheif wheel.
    """
    global _heif_state
    if _heif_state is None:
        try:
            import pillow_heif  # type: ignore[import-not-found]

            pillow_heif.register_heif_opener()
            _heif_state = True
        except Exception:  # noqa: BLE001 - missing or broken wheel: fall back to refusing
            _heif_state = False
    return _heif_state


def supported_formats() -> set[str]:
    """Pillow format names accepted as sources (HEIF only when pillow-heif is present)."""
    return SUPPORTED | ({"HEIF"} if heif_available() else set())


@contextmanager
def bomb_guard():
    """Within the block, an image over MAX_PIXELS raises instead of only warning.

    Pillow's own guard warns at its limit and raises only at twice it; a 60 MP ceiling
    with the warning turned into an error is what a phone photo can never exceed.
    """
    old_limit = PILImage.MAX_IMAGE_PIXELS
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            yield
    finally:
        PILImage.MAX_IMAGE_PIXELS = old_limit


def describe_decode_error(error: BaseException, heic: bool = False) -> str:
    """The Vietnamese sentence an editor sees for an exception raised while decoding."""
    if isinstance(error, (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)):
        return BOMB
    if heic:
        return HEIC_BROKEN
    if isinstance(error, PILImage.UnidentifiedImageError):
        return NOT_AN_IMAGE
    if isinstance(error, (OSError, SyntaxError, ValueError, EOFError)) and "truncated" in str(error).lower():
        return TRUNCATED
    return BROKEN


def image_advice(info: "ImageInfo") -> list[tuple[str, str]]:
    """Warnings (message, hint) for a readable image: too small to print, very large original."""
    advice = []
    long_side = max(info.width, info.height)
    if long_side < PRINT_LONG_SIDE:
        advice.append((f"ảnh nhỏ ({info.width}×{info.height}), in ra sẽ bị mờ", f"dùng ảnh gốc có cạnh dài từ {PRINT_LONG_SIDE} điểm ảnh trở lên"))
    if info.width * info.height > LARGE_PIXELS or info.size > LARGE_BYTES:
        advice.append((f"ảnh rất lớn ({info.width}×{info.height}, {info.size / 1e6:.1f} MB)", "thu nhỏ còn khoảng 3000 điểm ảnh chiều rộng"))
    return advice


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


def sniff_heic(path: Path) -> bool:
    """True when the file starts like an ISO-BMFF HEIC/HEIF/AVIF container, whatever its name."""
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
        stamp = stat_stamp(stat)
        cached = self._cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        verdict = self._decode(path, content_dir, stat.st_size)
        self._cache[path] = (stamp, verdict)
        return verdict

    @staticmethod
    def _decode(path: Path, content_dir: Path, size: int) -> ImageInfo | str:
        heic = sniff_heic(path)
        if heic and not heif_available():
            return HEIC_REFUSED
        try:
            with bomb_guard():
                with PILImage.open(path) as image:
                    fmt = image.format or ""
                    if fmt not in supported_formats():
                        return f"định dạng ảnh {fmt or 'không rõ'} không được hỗ trợ — dùng JPEG, PNG hoặc WebP"
                    width, height = image.size
                    if fmt == "JPEG":  # every byte is still decoded (a truncated file still fails),
                        # at an eighth of the size: 40 % less time for a 12 MP photo
                        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    image.load()
        except Exception as error:  # noqa: BLE001 - any decoder failure is a bad file, never a traceback
            return describe_decode_error(error, heic)
        rel = path.relative_to(content_dir.resolve()).as_posix()
        return ImageInfo(path, rel, width, height, fmt, size)

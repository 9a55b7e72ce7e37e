"""The site's font files: Be Vietnam Pro from its package, plus WOFF2 copies made once.

Kept out of the mkdocs plugin (generator/mkdocs_plugin.py), which only adds them to the site.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from .build.cache import write_atomic
from .build.fingerprint import package_versions
from .render.fonts import FACES

log = logging.getLogger("mkdocs.plugins.dvk")


def font_files(root: Path, defer: bool = False, deferred: tuple[Path, ...] | list[Path] = ()) -> tuple[list[tuple[str, Path]], list[Path]]:
    """(TTF files of the package plus WOFF2 copies cached (`font_cache`) when fontTools
    can make them, TTFs whose WOFF2 copy is still to be made).

    `defer`: a missing WOFF2 copy is not made here but left to the caller (the build's
    background run, see `woff2_files`): making the four took 1.9 s of a cold build's
    single-process stage. `deferred`: TTFs left so earlier, whose copies are not listed."""
    try:
        import fontpkg_be_vietnam_pro as fontpkg
    except ImportError:
        log.warning("thiếu gói fontpkg-be-vietnam-pro: trang sẽ dùng phông hệ thống")
        return [], []
    folder = Path(fontpkg.__file__).parent / "files"
    found, later = [], []
    cache = font_cache(root)
    for stem, _, _ in FACES:
        ttf = folder / f"{stem}.ttf"
        if not ttf.exists():
            continue
        found.append((ttf.name, ttf))
        if ttf in deferred:
            continue
        if defer and not woff2_path(ttf, cache).exists() and can_make_woff2():
            later.append(ttf)
            continue
        woff2 = woff2_copy(ttf, cache)
        if woff2:
            found.append((woff2.name, woff2))
    return found, later


def woff2_files(root: Path, later: list[Path]) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the WOFF2 copies font_files left for later, made (and cached) now."""
    made = []
    for ttf in later:
        woff2 = woff2_copy(ttf, font_cache(root))
        if woff2:
            made.append((woff2.name, woff2.read_bytes()))
    return made


def font_cache(root: Path) -> Path:
    """Where WOFF2 copies are kept: `$DVK_CACHE_DIR/dvk-fonts` when set (tests, CI), else the
    user's cache (`$XDG_CACHE_HOME/dvk/fonts`, `~/.cache/dvk/fonts`), else the project's
    `.cache/dvk-fonts`.

    A copy depends on the installed font package and fontTools, not on the project: made
    in the project's `.cache/`, the four took 4 CPU seconds of every cold build (a deleted
    `.cache/`, a fresh clone, a second project) for the same bytes. Like pip's wheels,
    they are kept once per user; deleting that folder only costs the next build the time."""
    configured = os.environ.get("DVK_CACHE_DIR")
    if configured:
        return Path(configured) / "dvk-fonts"
    user = _user_cache()
    return user / "dvk" / "fonts" if user is not None else Path(root) / ".cache" / "dvk-fonts"


def _user_cache() -> Path | None:
    """The user's cache folder when it can be written (a build user without a home: None)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # the XDG rule: a relative value is invalid and ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base)
    try:
        (folder / "dvk").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder / "dvk", os.W_OK) else None


def _maker_versions() -> str:
    """fontTools and brotli versions: another release may write other WOFF2 bytes for the
    same font, and a cache shared by projects (and their virtual environments) must not
    hand one the other's."""
    return "-".join(package_versions(("fonttools", "brotli")))


def woff2_path(ttf: Path, cache: Path) -> Path:
    # "-2": copies made before the timestamp fix carry their creation time; never reuse them
    stat = ttf.stat()
    return cache / f"{ttf.stem}-{stat.st_size}-{int(stat.st_mtime)}-2-{_MAKERS}" / f"{ttf.stem}.woff2"


_MAKERS = _maker_versions()


def can_make_woff2() -> bool:
    try:
        import brotli  # noqa: F401  (fontTools needs it for WOFF2)
        import fontTools.ttLib  # noqa: F401
    except ImportError:
        return False
    return True


def woff2_copy(ttf: Path, cache: Path) -> Path | None:
    """A WOFF2 version of ttf, made once per font version; None without fontTools+brotli.

    Byte-identical on every machine: the font's own head.modified is kept (fontTools would
    stamp "now" into it), and the file is written under a unique temporary name, then
    renamed, so concurrent builds sharing the cache never read or clobber a half-written file.
    """
    target = woff2_path(ttf, cache)
    if target.exists():
        return target
    try:
        import brotli  # noqa: F401  (fontTools needs it for WOFF2)
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(ttf, recalcTimestamp=False)  # keep head.modified: same font, same bytes
    font.flavor = "woff2"
    stream = io.BytesIO()
    font.save(stream)
    write_atomic(target, stream.getvalue())
    return target

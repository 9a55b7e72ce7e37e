"""The site's font files: Be Vietnam Pro from its package, plus WOFF2 copies made once.

Kept out of the mkdocs plugin (generator/mkdocs_plugin.py), which only adds them to the site.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from .build.cache import write_atomic
from .render.fonts import FACES

log = logging.getLogger("mkdocs.plugins.dvk")


def font_files(root: Path) -> list[tuple[str, Path]]:
    """TTF files of the package, plus WOFF2 copies (cached in .cache/dvk-fonts/) when fontTools can make them."""
    try:
        import fontpkg_be_vietnam_pro as fontpkg
    except ImportError:
        log.warning("thiếu gói fontpkg-be-vietnam-pro: trang sẽ dùng phông hệ thống")
        return []
    folder = Path(fontpkg.__file__).parent / "files"
    found = []
    for stem, _, _ in FACES:
        ttf = folder / f"{stem}.ttf"
        if ttf.exists():
            found.append((ttf.name, ttf))
            woff2 = woff2_copy(ttf, Path(os.environ.get("DVK_CACHE_DIR") or root / ".cache") / "dvk-fonts")
            if woff2:
                found.append((woff2.name, woff2))
    return found


def woff2_copy(ttf: Path, cache: Path) -> Path | None:
    """A WOFF2 version of ttf, made once per font version; None without fontTools+brotli.

    Byte-identical on every machine: the font's own head.modified is kept (fontTools would
    stamp "now" into it), and the file is written under a unique temporary name, then
    renamed, so concurrent builds sharing the cache never read or clobber a half-written file.
    """
    # "-2": copies made before the timestamp fix carry their creation time; never reuse them
    target = cache / f"{ttf.stem}-{ttf.stat().st_size}-{int(ttf.stat().st_mtime)}-2" / f"{ttf.stem}.woff2"
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

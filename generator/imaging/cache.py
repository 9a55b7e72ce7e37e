"""Content-addressed store of encoded variants, safe to delete at any time.

Layout: `<cache_dir>/<key[:2]>/<key>/` holding `manifest.json` and the variant files.
A directory is written under a temporary name and renamed into place, so a crashed or
concurrent build never leaves a half-written entry that a later build would trust.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..build.cache import PUBLIC_MODE
from .encode import Encoded

DEFAULT_CACHE_DIR = Path(".cache/dvk-images")
MANIFEST = "manifest.json"


def entry_dir(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def load_manifest(cache_dir: Path, key: str) -> dict | None:
    """The manifest of a complete entry, or None (missing, unreadable or files gone)."""
    folder = entry_dir(cache_dir, key)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all((folder / v["file"]).is_file() for v in manifest.get("variants", [])):
        return None
    return manifest


def store(cache_dir: Path, key: str, source: dict, encoded: list[Encoded]) -> dict:
    """Write variants + manifest atomically; returns the manifest."""
    folder = entry_dir(cache_dir, key)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=folder.parent))
    variants = []
    for item in encoded:
        name = f"{item.width}.{item.ext}"
        (tmp / name).write_bytes(item.data)
        os.chmod(tmp / name, PUBLIC_MODE)  # whatever the umask: the site's copy may be a hard link to this file
        variants.append({"file": name, "width": item.width, "height": item.height, "ext": item.ext, "bytes": len(item.data)})
    manifest = {"key": key, "source": source, "variants": variants}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    try:
        os.replace(tmp, folder)
    except OSError:  # the folder exists: another worker won the race, or a damaged entry is in the way
        if load_manifest(cache_dir, key) is None:
            _set_aside(folder)  # damaged (files deleted by hand…): trusting it would publish missing files
            try:
                os.replace(tmp, folder)
                return manifest
            except OSError:
                pass  # yet another worker put a complete entry there meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _set_aside(folder: Path) -> None:
    """Move a damaged entry out of the way in one rename, then delete it."""
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name[:12]}-damaged-", dir=folder.parent))
    try:
        os.replace(folder, aside / "entry")
    except OSError:
        pass
    shutil.rmtree(aside, ignore_errors=True)

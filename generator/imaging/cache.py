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
        variants.append({"file": name, "width": item.width, "height": item.height, "ext": item.ext, "bytes": len(item.data)})
    manifest = {"key": key, "source": source, "variants": variants}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    try:
        os.replace(tmp, folder)
    except OSError:  # another worker won the race with identical content
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest

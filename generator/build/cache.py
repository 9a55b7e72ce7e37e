"""The on-disk output cache: a manifest of outputs and content-addressed bytes.

Layout under `<cache_root>/outputs/`:
- `manifest.json`: {site path: [input key, content digest]} of the last successful build;
- `blobs/<digest[:2]>/<digest>`: the bytes, named by their SHA-256, so two outputs with
  the same bytes share one file and a blob is never half-written (temporary name, rename).

Safe to delete at any time: a missing manifest or blob only makes the output stale.
The cache root honours DVK_CACHE_DIR (as the image cache does), else `<root>/.cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = 1


def cache_root(project_root: Path) -> Path:
    """`$DVK_CACHE_DIR` when set, else `.cache/` in the project (shared by every dvk command)."""
    configured = os.environ.get("DVK_CACHE_DIR")
    return Path(configured) if configured else Path(project_root) / ".cache"


def project_cache_dir(project_root: Path) -> Path:
    """dvk's own cache folder for one project: `.cache/dvk/` in it, or, when DVK_CACHE_DIR is
    shared by several projects (tests, CI), a sub-folder named after the project's path,
    so two projects never overwrite each other's manifest."""
    root = Path(project_root).resolve()
    if os.environ.get("DVK_CACHE_DIR"):
        return cache_root(root) / "dvk" / hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
    return cache_root(root) / "dvk"


class OutputCache:
    """Remembers, per site path, which input key made which bytes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.blobs = self.folder / "blobs"
        self._manifest = self._read_manifest()
        self._next: dict[str, list[str]] = {}

    def _read_manifest(self) -> dict[str, list[str]]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("outputs"), dict):
            return {}
        return data["outputs"]

    def blob_path(self, digest: str) -> Path:
        return self.blobs / digest[:2] / digest

    def lookup(self, path: str, key: str) -> Path | None:
        """The cached file holding `path`'s bytes for input `key`, or None when stale."""
        known = self._manifest.get(path) or self._next.get(path)
        if not known or known[0] != key:
            return None
        blob = self.blob_path(known[1])
        if not blob.is_file():
            return None
        self._next[path] = known
        return blob

    def store(self, path: str, key: str, data: bytes) -> Path:
        """Keep `data` as the output of `path` for input `key`; returns the blob."""
        digest = hashlib.sha256(data).hexdigest()
        blob = self.blob_path(digest)
        if not blob.is_file():
            blob.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(dir=blob.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(partial, blob)
        self._next[path] = [key, digest]
        return blob

    def keep(self, path: str, key: str) -> bool:
        """Carry an unchanged output into the next manifest; False when it is not cached."""
        return self.lookup(path, key) is not None

    def commit(self) -> None:
        """Write the manifest of this build (only the outputs it used) and drop unused blobs.

        Called after a successful build only, so a failed build leaves the last good
        manifest in place.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=self.folder, prefix=".manifest-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, "outputs": dict(sorted(self._next.items()))}, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(partial, self.folder / MANIFEST)
        self._manifest, self._next = self._next, {}
        self._prune()

    def _prune(self) -> None:
        """Remove blobs no output of the current manifest points at (keeps the cache bounded)."""
        used = {digest for _, digest in self._manifest.values()}
        if not self.blobs.is_dir():
            return
        for shard in self.blobs.iterdir():
            if not shard.is_dir():
                continue
            for blob in shard.iterdir():
                if blob.name not in used:
                    blob.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._manifest, self._next = {}, {}

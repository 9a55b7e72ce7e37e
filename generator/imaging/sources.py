"""Source digests kept between builds, so a rebuild does not read every photo again.

The variant cache is addressed by the SHA-256 of each source's bytes (settings.cache_key),
and every build read and hashed every referenced photo to find its entry: 0.25 s of each
rebuild for 300 photos of 1.2 MB, growing with the photo library a district collects
(3,000 photos of 3 MB would be 9 GB read after every edit). Each source's digest is kept
here with its stamp (stamps.py: size, modification and change time, inode); a source
whose stamp is unchanged is not read.

A stamp taken less than RACY_NS after its file's last change is not kept: a second write
within the same tick of the file system's clock could leave the stamp as it was (git's
"racy" index entries, same remedy). There is one file per project (several may share
the image cache), listing only the sources of its last build, so it stays the size of the
photo library; it is only a shortcut, safe to delete, and one that cannot be read is
ignored.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from ..build.cache import write_atomic

FILE = "sources.json"
FORMAT = 1
RACY_NS = 2_000_000_000  # two seconds: file systems with whole-second times included


def digests_file(scope: str | None) -> str:
    """The file's name in the image cache: one per project (`scope`, its folder), as
    several projects may share that cache (DVK_CACHE_DIR) and each keeps only its own."""
    if not scope:
        return FILE
    return f"sources-{hashlib.sha256(scope.encode('utf-8')).hexdigest()[:16]}.json"


class SourceDigests:
    """{source path: (stamp, digest)} of one project's photos, read once per process."""

    def __init__(self, cache_dir: Path, scope: str | None = None):
        self.path = Path(cache_dir) / digests_file(scope)
        self._known: dict[str, list] | None = None  # read at the first lookup
        self._seen: dict[str, list] = {}  # this run's sources (what save() writes)
        self._changed = False

    def begin(self) -> None:
        """Start a run: save() will write only the sources looked up or remembered from now."""
        self._seen = {}

    def lookup(self, path: Path, stamp: tuple) -> str | None:
        """The digest of `path` when its stamp is the one it was hashed with, else None."""
        if self._known is None:
            self._known = self._read()
        found = self._known.get(str(path))
        if found is None or tuple(found[:-1]) != tuple(stamp):
            return None
        self._seen[str(path)] = found
        return found[-1]

    def remember(self, path: Path, stamp: tuple, digest: str, change_ns: int) -> None:
        """Keep `digest` for `path` at `stamp` (taken from a stat whose change time is
        `change_ns`), unless that change is too recent to trust the stamp."""
        if time.time_ns() - change_ns < RACY_NS:
            return
        entry = [*stamp, digest]
        if self._known is None:
            self._known = self._read()
        self._changed = self._changed or self._known.get(str(path)) != entry
        self._known[str(path)] = self._seen[str(path)] = entry

    def save(self) -> None:
        """Write this run's sources when something changed (atomic; a failure is ignored:
        the next build reads the photos again, as without this file)."""
        if not self._changed and (self._known is None or len(self._seen) == len(self._known)):
            return
        data = json.dumps({"format": FORMAT, "sources": dict(sorted(self._seen.items()))}, separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data.encode("utf-8"))  # (removes its partial file on failure)
        except OSError:
            return
        self._known, self._seen, self._changed = dict(self._seen), {}, False

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("sources"), dict):
            return {}
        return {path: entry for path, entry in data["sources"].items() if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[-1], str)}

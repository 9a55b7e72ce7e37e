"""The on-disk output cache: a manifest of outputs and content-addressed bytes.

Layout under `<cache_root>/outputs/`:
- `manifest.json`: {output name: [input key, content digest, projection key]} of the last
  successful build (the projection key is known before rendering, the input key after);
- `blobs/<digest[:2]>/<digest>`: the bytes, named by their SHA-256, so two outputs with
  the same bytes share one file and a blob is never half-written (temporary name, rename).

Safe to delete at any time: a missing manifest or blob only makes the output stale.
The cache root honours DVK_CACHE_DIR (as the image cache does), else `<root>/.cache`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import stat
import tempfile
from pathlib import Path

from ..stamps import file_identity

MANIFEST = "manifest.json"
FORMAT = 2


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


PUBLIC_MODE = 0o644  # cached files become site files (hard links): readable by a web server


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` under a unique temporary name, then rename: never half-written, even
    with two builds at once; mode 644, not mkstemp's 600 (the file may be published)."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), PUBLIC_MODE)
            out.write(data)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def write_pid_partial(path: Path, data: bytes) -> Path:
    """Write `data` as `.<name>.PID` beside `path` and return that file, for the caller to
    rename over `path` once it still holds (a record written without the build lock;
    buildlock.remove_dead_partials removes one whose writer was killed). A write that
    fails leaves nothing behind."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.write_bytes(data)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return partial


def open_folder(path: Path | str | None, dir_fd: int | None = None) -> int | None:
    """A descriptor of the folder at `path` (relative to the folder `dir_fd`, when given),
    None when there is none: it keeps naming that folder when it is renamed, as a kept
    tree is while a build runs (build/spare.py: the spare maker's copy becomes
    `.site.spare`, then the build's `.site.kept-PID`)."""
    if path is None:
        return None
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY, dir_fd=dir_fd)
    except OSError:
        return None


def write_inside(folder: Path, relative: str, data: bytes, same_in: Path | int | None = None, made: set[str] | None = None) -> str:
    """Write folder/relative (folders made as needed), refusing a path that would leave
    `folder`: generated site paths come from slugs, but a writer never trusts that.
    A string check on the normalised path: `folder` is one the caller just made.

    `same_in`: another tree (the site a build updates, build/kept.py) whose file at the
    same place, when it holds these very bytes, is hard-linked instead of written: after
    one edit, 10,000 citation files are the same, and reading a small file costs a fifth
    of writing one. Files there are never written in place, so a link stays those bytes.
    An int is a descriptor of that tree (open_folder), followed wherever it is renamed.

    `made`: the folders made so far by the caller's writes into `folder` (each made once:
    the 10,000 citation files share one folder). Returns the path written (a string: a
    Path per file was a fifth of writing 10,000 citation files)."""
    base = os.path.abspath(folder)
    path = _inside(base, relative)
    parent = os.path.dirname(path)
    if made is None or parent not in made:
        os.makedirs(parent, exist_ok=True)
        if made is not None:
            made.add(parent)
    if same_in is not None:
        if isinstance(same_in, int):  # the tree's descriptor: the same place, relative to it
            there, tree = path[len(base) + 1 :], same_in
        else:
            there, tree = _inside(same_in, relative), None
        try:
            if _holds(there, data, tree):
                os.link(there, path, src_dir_fd=tree)
                return path
        except OSError:
            pass  # not there, another file system: written below
    with open(path, "wb") as out:
        out.write(data)
    return path


def _holds(path: str, data: bytes, folder: int | None) -> bool:
    """Whether the file at `path` (relative to the folder descriptor, when given) holds
    exactly `data` (no file object: this runs for 10,000 citation files per build)."""
    fd = os.open(path, os.O_RDONLY, dir_fd=folder)
    try:
        return os.read(fd, len(data) + 1) == data
    finally:
        os.close(fd)


def _inside(folder: Path | str, relative: str) -> str:
    base = os.path.abspath(folder)
    if _is_plain(relative):  # nothing to normalise (every generated path): no normpath
        return f"{base}/{relative}"
    path = os.path.normpath(os.path.join(base, relative))
    if not path.startswith(base + os.sep):
        raise ValueError(f"đường dẫn ra ngoài thư mục: {relative}")
    return path


def _is_plain(relative: str) -> bool:
    """A relative path of named parts only ("a/b.json"): no "..", ".", empty part or NUL."""
    return bool(relative) and os.sep == "/" and "\0" not in relative and all(part not in ("", ".", "..") for part in relative.split("/"))


def write_and_keep(data: bytes, target: str | Path, blob: str | Path) -> None:
    """Write `target` (a new site file) and keep it as `blob` too: one new file and a hard
    link, where writing the blob (under a temporary name, renamed) and linking it into the
    site made two files and a rename; at 10,000 entries that was seconds of a cold build.
    The blob appears only once its bytes are complete; one that appeared meanwhile (the same
    bytes, by its name) is kept. The site file is then a blob: never written in place."""
    target = os.fspath(target)
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    with open(target, "xb") as out:
        out.write(data)
    try:
        os.link(target, blob)
    except FileExistsError:
        pass
    except OSError:  # the cache on another file system
        write_atomic(Path(blob), data)


def place_blob(blob: Path, target: Path) -> None:
    """Put a cached blob into the site as `target`: a hard link (one system call instead of
    reading and writing 20,000 pages on a one-edit rebuild), a copy where links are not
    possible (the cache on another file system). Blobs are never written in place (new
    bytes get a new name), so a link always shows the bytes it was made with; files in
    site/ must not be edited in place either (a build replaces site/ whole)."""
    try:
        os.link(blob, target)
    except FileExistsError:
        os.unlink(target)
        place_blob(blob, target)
    except OSError:
        shutil.copyfile(blob, target)


def separate_links(folder: Path) -> int:
    """Give every hard-linked file under `folder` bytes of its own (before something writes
    into files in place, as `mkdocs build --dirty` does); returns how many were separated."""
    separated = 0
    for path in folder.rglob("*") if folder.is_dir() else ():
        if path.is_file() and not path.is_symlink() and path.stat().st_nlink > 1:
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
            separated += 1
    return separated


class OutputCache:
    """Remembers, per site path, which input key made which bytes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.blobs = self.folder / "blobs"
        self._blobs = str(self.blobs)
        self._manifest = self._read_manifest()
        self._next: dict[str, list[str]] = {}
        self._present: set[str] | None = None  # blob names, listed once per build (_has_blob)
        self._shards: set[str] = set()  # blob folders this process knows to exist (made once)

    def _read_manifest(self) -> dict[str, list[str]]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("outputs"), dict):
            return {}
        return data["outputs"]

    def blob_path(self, digest: str) -> Path:
        return Path(f"{self._blobs}/{digest[:2]}/{digest}")  # one parse: 23,000 per rebuild

    def forget_listing(self) -> None:
        """Call at the start of a build: blobs are listed afresh (another build may have
        pruned some, a worker process written others), and their folders are made again
        when missing (`.cache/` may be deleted while `dvk serve` runs)."""
        self._present = None
        self._shards = set()

    def _has_blob(self, digest: str) -> bool:
        """Whether the blob is there, from one listing of the blob folders per build: a
        rebuild looks up every page (23,000 lookups at 10,000 entries), and one file
        system call each cost seconds on a slow disk."""
        if self._present is None:
            self._present = set()
            try:
                shards = [entry.path for entry in os.scandir(self.blobs) if entry.is_dir(follow_symlinks=False)]
            except OSError:
                shards = []
            for shard in shards:
                try:
                    self._present.update(entry.name for entry in os.scandir(shard) if not entry.name.startswith(".tmp-"))
                except OSError:
                    continue
        return digest in self._present

    def lookup(self, name: str, key: str, projection: str = "") -> Path | None:
        """The cached file holding output `name`'s bytes for input `key`, or None when stale.

        A hit carries the output into the next manifest, with `projection` (the pre-render
        key of the same output) so the next build can skip rendering it.
        """
        known = self._next.get(name) or self._manifest.get(name)
        if not known or known[0] != key or not self._has_blob(known[1]):
            return None
        self._next[name] = [key, known[1], projection or (known[2] if len(known) > 2 else "")]
        return self.blob_path(known[1])

    def lookup_projection(self, name: str, projection: str) -> Path | None:
        """The cached bytes of output `name` when it was made from the same `projection`."""
        return self.blob_path(self._manifest[name][1]) if self.has_projection(name, projection) else None

    def recorded_blob(self, name: str) -> str:
        """The blob this build has recorded for output `name` (after a hit), as a string: the
        build asks for 12,000 of them after one edit at 10,000 entries, and only places them."""
        digest = self._next[name][1]
        return f"{self._blobs}/{digest[:2]}/{digest}"

    def has_projection(self, name: str, projection: str) -> bool:
        """lookup_projection without the path (the render stage only asks whether)."""
        known = self._manifest.get(name)
        if not projection or not known or len(known) < 3 or known[2] != projection or not self._has_blob(known[1]):
            return False
        self._next[name] = list(known)
        return True

    def store(self, name: str, key: str, data: bytes, projection: str = "") -> Path:
        """Keep `data` as output `name` made from input `key` (and `projection`); returns the blob."""
        digest = self.write_blob(data)
        return self.record(name, key, digest, projection)

    def write_blob(self, data: bytes, link: tuple[str | Path, tuple[int, int, int, int]] | None = None) -> str:
        """Put `data` among the blobs (a worker process may do this); returns its digest.

        `link`: (source, its stamps.file_identity when `data` was read from it), for a
        file never rewritten in place (an image variant in dvk's content-addressed image
        cache): the blob becomes a hard link to it instead of a second copy. A first build
        with 1,000 photos wrote their variants twice, 0.6 GB more on disk and seconds of
        writing. The link is made under a temporary name and kept only if it is that same
        file (a damaged cache entry replaced meanwhile would give the blob other bytes
        than its name says); the bytes are written where a link cannot be made (another
        file system) or would publish a file other users cannot read (a mode other than
        PUBLIC_MODE)."""
        digest = hashlib.sha256(data).hexdigest()
        blob = self.blob_path(digest)
        if not blob.is_file():
            self._make_shard(digest[:2])
            if link is None or not self._link_same(*link, blob):
                write_atomic(blob, data)
        if self._present is not None:
            self._present.add(digest)
        return digest

    @staticmethod
    def _link_same(source: str | Path, read: tuple[int, int, int, int], blob: Path) -> bool:
        partial = f"{blob.parent}/.tmp-link-{os.getpid()}-{blob.name[:16]}"
        try:
            os.link(source, partial)
        except OSError:
            return False
        try:
            found = os.stat(partial)
            if file_identity(found) != read or stat.S_IMODE(found.st_mode) != PUBLIC_MODE:
                return False
            os.replace(partial, blob)  # (the same bytes by name, if another build put it there)
            return True
        except OSError:
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)

    def write_placed(self, data: bytes, target: str | Path) -> str:
        """write_blob, then place_blob at `target`, writing the bytes once (write_and_keep)."""
        digest = hashlib.sha256(data).hexdigest()
        blob = self.blob_path(digest)
        if self._present is not None and digest in self._present or blob.is_file():
            place_blob(blob, target)
        else:
            self._make_shard(digest[:2])
            write_and_keep(data, target, blob)
        if self._present is not None:
            self._present.add(digest)
        return digest

    def _make_shard(self, shard: str) -> None:
        """The blob folder `shard`, made once per process: a cold build at 10,000 entries
        asked for it with every one of its 12,000 new pages."""
        if shard not in self._shards:
            os.makedirs(f"{self._blobs}/{shard}", exist_ok=True)
            self._shards.add(shard)

    def record(self, name: str, key: str, digest: str, projection: str = "") -> Path:
        """Name the blob `digest` as output `name` of this build; returns the blob."""
        self._next[name] = [key, digest, projection]
        return self.blob_path(digest)

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
        self._present = None  # listed again by the next build

    def _prune(self) -> None:
        """Remove blobs no output of the current manifest points at (keeps the cache bounded)."""
        used = {known[1] for known in self._manifest.values()}
        if not self.blobs.is_dir():
            return
        for shard in self.blobs.iterdir():
            if not shard.is_dir():
                continue
            for blob in shard.iterdir():
                if blob.name not in used and not blob.name.startswith(".tmp-"):  # another build's, being written
                    blob.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._manifest, self._next, self._present = {}, {}, None


class CachedMemo:
    """A value a render stage hands back to the next build (`recall(key)`, `keep(key, value)`),
    kept in the output cache as output `name`: recorded like a page, so it is carried into
    the manifest of a build that succeeds and dropped with the blobs of one that fails.
    Pickled (the cache is this project's own, like the validator's); a blob that does not
    load is a miss. A value's key must cover dvk's code version: the classes it pickles are
    not checked."""

    def __init__(self, outputs: OutputCache, name: str):
        self.outputs, self.name = outputs, name

    def recall(self, key: str):
        blob = self.outputs.lookup(self.name, key)
        if blob is None:
            return None
        try:
            return pickle.loads(blob.read_bytes())
        except Exception:  # damaged, or written by other code: render afresh
            return None

    def keep(self, key: str, value) -> None:
        self.outputs.store(self.name, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

"""Load stage: content files -> raw records (front matter with key lines, body).

Reading never raises on bad input: every unreadable file becomes a `Problem`, so one run
reports every file's faults. A cache keyed by (path, size, mtime) lets `mkdocs serve`
re-read only the files that changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .model import ERROR, Problem
from .stamps import stat_stamp
from .yamlsafe import LineDict, YamlProblem, parse_yaml

MAX_FILE_BYTES = 1_000_000
COLLECTION_DIRS = ("models", "events")
ENTRY_SUFFIX = ".md"


@dataclass
class RawEntry:
    """One entry file as read: its front matter (a LineDict) and its Markdown body."""

    path: str  # relative to the project root, POSIX, for messages
    abs_path: Path
    collection: str  # "models" or "events"
    id: str
    meta: LineDict | None
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)


class _FrontMatterDropped:
    """RawEntry.meta of a raw entry kept without its front matter: the validator's cache on
    disk drops it once the file is checked (validate.Validator.__getstate__), and a file
    that must be checked again is read again (EntryCache.read_again)."""

    def __reduce__(self) -> str:
        return "FRONT_MATTER_DROPPED"  # pickled by name: one object, compared with `is`

    def __repr__(self) -> str:
        return "FRONT_MATTER_DROPPED"


FRONT_MATTER_DROPPED = _FrontMatterDropped()


def display_path(path: Path, root: Path) -> str:
    """Path as an editor sees it in messages: relative to the project root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def find_entry_files(content_dir: Path) -> list[tuple[str, Path]]:
    """(collection, path) of every entry file, sorted; hidden files and folders skipped.

    Folder symlinks are not followed (no loops, nothing outside content/).
    """
    found: list[tuple[str, Path]] = []
    for collection in COLLECTION_DIRS:
        base = content_dir / collection
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            here = Path(dirpath)  # once per folder: parsing the folder's path again for each of
            for name in sorted(filenames):  # 10,000 files was a third of a one-edit validation
                if name.startswith(".") or not name.lower().endswith(ENTRY_SUFFIX):
                    continue
                found.append((collection, here / name))
    return found


def find_stray_entries(content_dir: Path) -> list[Path]:
    """Markdown files with front matter outside models/ and events/ (a mistyped folder).

    They would be silently ignored, so the validator warns about them.
    """
    stray: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        here = Path(dirpath)
        if here == content_dir:
            dirnames[:] = [d for d in dirnames if d not in COLLECTION_DIRS]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.lower().endswith(ENTRY_SUFFIX):
                continue
            try:
                with (here / name).open("rb") as handle:
                    head = handle.read(4)
            except OSError:
                continue
            if head.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                stray.append(here / name)
    return stray


def split_front_matter(text: str) -> tuple[str, str, int, int] | str:
    """Split text into (yaml, body, yaml_first_line, body_first_line), or an error message."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "tệp phải bắt đầu bằng dòng --- rồi đến phần khai báo (front matter)"
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            # the story without the blank lines around it, and the line it starts on: the
            # validator's line numbers count from there, and the entry keeps this very
            # string (one copy of each story in the validator's cache, not two)
            first = index + 1
            while first < len(lines) and not lines[first]:
                first += 1
            body = "\n".join(lines[first:]).rstrip("\n")
            return yaml_text, body, 2, (first if body else index + 1) + 1
    return "thiếu dòng --- đóng phần khai báo (front matter)"


def decode_text(data: bytes) -> tuple[str | None, int]:
    """Decode UTF-8 (BOM tolerated) with newlines unified; (text, 0) or (None, bad line)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, line
    return text.replace("\r\n", "\n").replace("\r", "\n"), 0


def read_entry(collection: str, abs_path: Path, root: Path) -> RawEntry:
    """Read one entry file into a RawEntry; faults become problems, never exceptions."""
    rel = display_path(abs_path, root)
    entry = RawEntry(rel, abs_path, collection, abs_path.name[: -len(ENTRY_SUFFIX)], None)

    def fail(line: int, message: str, hint: str = "", key: str = "") -> RawEntry:
        entry.problems.append(Problem(rel, line, key, message, hint, ERROR))
        return entry

    try:
        if abs_path.is_symlink():
            return fail(0, "tệp là liên kết tượng trưng (symlink)", "hãy đặt tệp thật trong content/")
        size = abs_path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(0, f"tệp quá lớn ({size:,} byte)", f"một mục không quá {MAX_FILE_BYTES:,} byte")
        data = abs_path.read_bytes()
    except OSError as error:
        return fail(0, f"không đọc được tệp ({error.strerror or error})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail(1, "tệp lưu bằng mã UTF-16", "lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành › Mã hóa › UTF-8)")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return fail(line, "tệp chứa byte NUL — đây không phải tệp văn bản", "lưu lại tệp dưới dạng văn bản UTF-8")
    text, bad_line = decode_text(data)
    if text is None:
        return fail(bad_line, "tệp không phải mã UTF-8 hợp lệ", "lưu lại tệp với bảng mã UTF-8 (Unicode)")
    parts = split_front_matter(text)
    if isinstance(parts, str):
        return fail(1, parts, "xem mẫu bằng lệnh: dvk new model")
    yaml_text, body, yaml_line, body_line = parts
    try:
        meta, duplicates = parse_yaml(yaml_text, yaml_line)
    except YamlProblem as problem:
        return fail(problem.line, problem.message, key=problem.key)
    for line, key in duplicates:
        entry.problems.append(
            Problem(rel, line, key, "khóa bị khai báo hai lần", "giữ một dòng, xóa dòng còn lại", ERROR)
        )
    if meta is None:
        return fail(1, "phần khai báo (front matter) trống", "xem mẫu bằng lệnh: dvk new model")
    if not isinstance(meta, LineDict):
        return fail(yaml_line, "phần khai báo phải là các dòng `khóa: giá trị`")
    entry.meta = meta
    entry.body = body
    entry.body_line = body_line
    return entry


class EntryCache:
    """Keeps RawEntry objects between runs, keyed by path and (size, mtime_ns)."""

    def __init__(self) -> None:
        self._items: dict[Path, tuple[tuple[int, int], RawEntry]] = {}
        self._root: Path | None = None  # of the last read: for read_again

    def read(self, collection: str, abs_path: Path, root: Path) -> RawEntry:
        self._root = root
        try:
            stat = abs_path.lstat()
            stamp = stat_stamp(stat)
        except OSError:
            return read_entry(collection, abs_path, root)
        cached = self._items.get(abs_path)
        if cached and cached[0] == stamp and cached[1].collection == collection:
            return cached[1]
        entry = read_entry(collection, abs_path, root)
        self._items[abs_path] = (stamp, entry)
        return entry

    def read_again(self, raw: RawEntry) -> RawEntry:
        """`raw` read from its file again (one kept without its front matter must be checked
        again: its places or images changed)."""
        self._items.pop(raw.abs_path, None)
        return self.read(raw.collection, raw.abs_path, self._root or Path.cwd())

    def without_front_matter(self, lighten) -> "EntryCache":
        """A copy whose raw entries went through `lighten` (validate.Validator.__getstate__)."""
        copy = EntryCache()
        copy._items = {path: (stamp, lighten(raw)) for path, (stamp, raw) in self._items.items()}
        return copy

    def stamp_of(self, abs_path: Path) -> tuple[int, int] | None:
        """The (size, mtime_ns) the cached RawEntry of abs_path was read at."""
        cached = self._items.get(abs_path)
        return cached[0] if cached else None

    def put(self, abs_path: Path, stamp: tuple[int, int] | None, entry: RawEntry) -> None:
        """Keep an entry read elsewhere (another process) at `stamp`."""
        if stamp is not None:
            self._items[abs_path] = (stamp, entry)


def load_entries(content_dir: Path, root: Path, cache: EntryCache | None = None, files: list[tuple[str, Path]] | None = None) -> list[RawEntry]:
    """Read every entry file under content/models and content/events (`files`: their
    list from find_entry_files, when the caller has it already)."""
    reader = cache.read if cache else read_entry
    return [reader(collection, path, root) for collection, path in (find_entry_files(content_dir) if files is None else files)]

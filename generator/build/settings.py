"""Configuration as a cache-key input: settings written the same way in every process, and
the files a project's `watch:` paths hold.

A key must not change between two runs of the same inputs (every page would render again)
nor stay when an input changed (pages would be reused stale). Settings are Python values
as mkdocs loaded them: strings and lists, but also functions (a TOC slugify), partials
(`!!python/object/apply:pymdownx.slugs.slugify {kwds: …}`), Markdown extension objects a
plugin added, pathspec objects and mappings with keys of mixed types. `stable_json`
writes each by what it is, never by its memory address.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

MAX_DEPTH = 12  # an object graph deeper than this is written by type and text only
ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]+")
# files an editor or a tool leaves for a moment in a folder it writes to (vim's "4913"
# probe and swap files, backups): never inputs, and they may vanish while being read
LITTER_RE = re.compile(r"(~|\.sw[a-p]|\.tmp|\.pyc)$|^4913$")
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})


MAX_NODES = 20_000  # objects written in full per key; past that, by type and text only


def stable_json(value) -> str:
    """`value` as JSON that is the same in every process for the same settings."""
    return json.dumps(_plain(value, 0, set(), [MAX_NODES]), sort_keys=True, ensure_ascii=False)


def _plain(value, depth: int, seen: set[int], budget: list[int]):
    """`budget`: objects left to write in full (an extension object that holds the whole
    config, as mkdocstrings' does, would otherwise be walked once per path to it)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    budget[0] -= 1
    if depth > MAX_DEPTH or id(value) in seen or budget[0] < 0:
        return _named(value)
    seen = seen | {id(value)}
    if isinstance(value, functools.partial):
        return {"partial": _plain(value.func, depth + 1, seen, budget), "args": _plain(list(value.args), depth + 1, seen, budget), "keywords": _plain(value.keywords, depth + 1, seen, budget)}
    if callable(value) and hasattr(value, "__qualname__"):  # a function or a class: by name
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if isinstance(getattr(value, "patterns", None), (list, tuple)):  # exclude_docs, not_in_nav (pathspec)
        return [f"{getattr(pattern, 'pattern', pattern)}:{getattr(pattern, 'include', '')}" for pattern in value.patterns]
    if hasattr(value, "items"):  # dict, mkdocs' LegacyConfig: keys as text (1 and "b" sort together)
        return {str(key): _plain(item, depth + 1, seen, budget) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_named(item) if not isinstance(item, str) else item for item in value)
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1, seen, budget) for item in value]
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict):  # another object (a Markdown extension): its type and state
        return {"type": _type_name(value), "state": _plain(state, depth + 1, seen, budget)}
    return _named(value)


def _type_name(value) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _named(value) -> str:
    """The last resort: the type and text, memory addresses taken out."""
    return f"{_type_name(value)}:{ADDRESS_RE.sub('', str(value))}"


def watched_files(path: Path, inputs: Iterable[Path], outputs: Iterable[Path]) -> list[Path] | None:
    """The files of one `watch:` path that are inputs of every page, in a fixed order.

    [] for a path inside one of `inputs` (docs/, content/, the theme: keyed already, file
    by file). None for a path that holds one of `inputs` or `outputs` (site/, the cache),
    such as `watch: [.]`: keyed whole it would change with every build, so it is no input
    (the caller says so). Hidden files and folders (.git, .cache, .site.*, .venv),
    __pycache__, node_modules and editors' passing files are left out."""
    path = Path(path).resolve()
    inputs = [Path(folder).resolve() for folder in inputs]
    outputs = [Path(folder).resolve() for folder in outputs]
    if any(path == folder or folder in path.parents for folder in inputs):
        return []
    if any(path in folder.parents for folder in inputs) or any(path == folder or path in folder.parents for folder in outputs):
        return None
    if not path.is_dir():
        return [path]
    found = []
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and name not in SKIPPED_FOLDERS)
        found += [Path(folder) / name for name in sorted(files) if not name.startswith(".") and not LITTER_RE.search(name)]
    return found


def hook_sources(hook: Path, root: Path) -> list[Path]:
    """What a mkdocs hook file runs or reads besides the input folders: the hook, then its
    folder's other files (helper modules and packages: mkdocs puts that folder first on
    the import path while it loads the hook; data the hook reads). For a hook in the
    project's own folder (`root`), or above it, only the `.py` files beside it: the
    folder holds the inputs and the site."""
    hook = Path(hook).resolve()
    files = watched_files(hook.parent, (), (root,))
    if files is None:
        try:
            files = sorted(hook.parent.glob("*.py"))
        except OSError:
            files = []
    return [hook, *(path for path in files if path != hook)]

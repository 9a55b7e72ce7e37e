"""The whole build as one memoised output: when no input changed, the site is already made.

A build's inputs are the project files it reads (mkdocs.yml, the content, docs and theme
folders with the names of their sub-folders, the hook files mkdocs.yml names with what
they read from their folder, the files of its `watch:` paths), dvk's code
and the host packages, and environment settings (dvk's own and the variables mkdocs.yml
reads with `!ENV`). Their
fingerprint uses file stamps (path, size, mtime, change time, inode) — one `stat` per file, a fraction of a
second for 10,000 entries — and is recorded after each successful build together with
the stamps of the published site's files. A `dvk build` that finds both unchanged does nothing, so a
no-change run costs a directory walk instead of a build.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from ..hostconfig import TolerantLoader, dvk_plugin_options, plugin_names
from ..stamps import stat_stamp
from .cache import cache_root, write_pid_partial
from .fingerprint import code_version, hash_parts
from .settings import hook_sources, watched_files
from .treerecord import TreeRecorder, folder_stamp
from .walk import walk_files

RECORD = "last-build.json"
ENVIRONMENT = ("DVK_CACHE_SALT", "SOURCE_DATE_EPOCH", "DVK_CACHE_DIR")


def site_dir_of(loaded: tuple[dict | None, set[str]], config_file: Path) -> Path | None:
    """site_dir of mkdocs.yml as load_config read it (default site/), None when unknown
    without mkdocs."""
    data = loaded[0]
    return None if data is None else config_file.parent / str(data.get("site_dir") or "site")


def load_config(config_file: Path) -> tuple[dict | None, set[str]]:
    """mkdocs.yml's data (None when it cannot be known without mkdocs: unreadable, not a
    mapping, or an INHERIT file) and the variables its `!ENV` tags read, from one parse:
    the no-change check needs both, with its folders, plugins and hooks."""
    try:
        loader = _EnvNamesLoader(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None, set()
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        data = None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or "INHERIT" in data:
        data = None
    return data, loader.env_names


def read_plugin_versions(config_file: Path) -> list[str]:
    """"name=version" of the package behind each plugin mkdocs.yml names besides dvk: the
    page key holds a plugin's package version (mkdocs_files.plugin_code), so an upgrade
    must not be answered with "nothing changed"."""
    return _plugin_versions(load_config(config_file)[0] or {})


def _plugin_versions(data: dict) -> list[str]:
    """read_plugin_versions of parsed data; entry points are read only when there is such
    a plugin (a few ms)."""
    names = [name for name in plugin_names(data) if name != "dvk"]
    if not names:
        return []
    from importlib import metadata

    found = {point.name: point for point in metadata.entry_points(group="mkdocs.plugins")}
    return [f"plugin {name}={found[name].dist.version if name in found and found[name].dist else '-'}" for name in sorted(names)]


def _hook_files(data: dict, root: Path) -> list[Path]:
    """The files mkdocs.yml names under `hooks:` (relative to it): Python outside the input
    folders that can rewrite every page, so their stamps are inputs."""
    hooks = data.get("hooks") if isinstance(data.get("hooks"), list) else []
    return [root / str(hook) for hook in hooks]


def _watched_files(data: dict, root: Path) -> list[Path] | None:
    """The files of the paths mkdocs.yml names under `watch:` (relative to it) that are
    inputs (settings.watched_files; mkdocs_files.watched_digests keys pages by the same);
    None when a path is not plain text (`!ENV`): then what it holds cannot be known here."""
    watched = data.get("watch") if isinstance(data.get("watch"), list) else []
    if not all(isinstance(path, str) for path in watched):
        return None
    inputs = list(_folders_of(data, root).values())
    outputs = [root / str(data.get("site_dir") or "site"), cache_root(root)]
    found: list[Path] = []
    for path in watched:
        found += watched_files(root / path, inputs, outputs) or []
    return found


def _folders_of(data: dict, root: Path) -> dict[str, Path]:
    content = dvk_plugin_options(data).get("content_dir", "content")
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    folders = {"docs": root / str(data.get("docs_dir") or "docs"), "content": root / str(content)}
    if theme.get("custom_dir"):
        folders["theme"] = root / str(theme["custom_dir"])
    return folders


def _stamp_tree(folder: Path, inputs: bool = False, on_folder=None) -> list:
    """(relative path, size, mtime_ns) of every file under folder, in a fixed order (links
    to files stamped by their target). `inputs`: the full stamp (generator/stamps.py), which
    also gives away a file edited in place to the same size and dated back; not for the
    published site, whose files' change time moves whenever the
    spare copy links them (build/spare.py). With `inputs` each folder's entry names come
    too: an empty folder in content/models/ is a collection of the web editor (a new
    admin/config.yml), and a link to a folder is never walked. `on_folder`: inputs=False only."""
    stamps: list = []
    if inputs:
        assert on_folder is None, "inputs records folders itself"

        def on_folder(prefix: str, stat, entries: list) -> None:
            stamps.append((prefix, tuple(entry.name for entry in entries)))
    for name, entry in walk_files(folder, on_folder):
        try:
            stat = entry.stat()
        except OSError:
            continue
        stamps.append((name, *stat_stamp(stat)) if inputs else (name, stat.st_size, stat.st_mtime_ns))
    return stamps


def input_fingerprint(config_file: Path, options: dict, loaded: tuple[dict | None, set[str]] | None = None) -> str | None:
    """One digest of everything a build reads; None when it cannot be computed safely.
    `loaded`: load_config(config_file), when the caller read it already."""
    data, env_names = loaded if loaded is not None else load_config(config_file)
    if data is None:
        return None
    root = config_file.parent
    stat = config_file.stat()
    parts = [code_version(), str(config_file.resolve()), repr(stat_stamp(stat)), json.dumps(options, sort_keys=True)]
    parts += [_environment_value(name) for name in sorted(set(ENVIRONMENT) | env_names)]
    for name, folder in sorted(_folders_of(data, root).items()):
        parts.append(f"{name}:{folder.resolve()}:{_stamp_tree(folder, inputs=True)!r}")
    parts += _plugin_versions(data)
    watched = _watched_files(data, root)  # mkdocs.yml `watch:`, outside the folders above
    if watched is None:
        return None
    sources = [source for hook in _hook_files(data, root) for source in hook_sources(hook, root)]  # `hooks:` and what they read
    for path in [*watched, *sources]:
        try:
            parts.append(f"file:{path}:{stat_stamp(path.stat())!r}")
        except OSError:
            parts.append(f"file:{path}:-")
    return hash_parts(*parts)


class _EnvNamesLoader(TolerantLoader):
    """TolerantLoader that records the variables `!ENV` tags read (mkdocs' yaml_env_tag:
    `!ENV NAME`, or a list of names whose last item, when there are two or more, is the
    default), in any YAML form: flow, block or quoted."""

    def __init__(self, stream):
        super().__init__(stream)
        self.env_names: set[str] = set()


def _record_env_names(loader: _EnvNamesLoader, node) -> None:
    if isinstance(node, yaml.ScalarNode):
        loader.env_names.add(str(node.value))
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
        names = items[:-1] if len(items) > 1 else items
        loader.env_names.update(str(item.value) for item in names if isinstance(item, yaml.ScalarNode))
        if len(items) > 1:  # the default may read another variable: !ENV [A, !ENV [B, d]]
            loader.construct_object(items[-1], deep=True)


_EnvNamesLoader.add_constructor("!ENV", _record_env_names)


def _environment_value(name: str) -> str:
    """An unset variable apart from an empty one: `!ENV [NAME, default]` takes the default
    only when NAME is unset."""
    return f"{name}={os.environ[name]!r}" if name in os.environ else f"{name} unset"


def _site_stamp(target: Path, stamps: list | None = None) -> str | None:
    """Stamps of every published file: a site changed or damaged by hand is rebuilt."""
    if not target.is_dir():
        return None
    return hash_parts(repr(_stamp_tree(target) if stamps is None else stamps))


def is_unchanged(cache_dir: Path, fingerprint: str | None, target: Path, fresh: bool = False) -> dict | None:
    """The record of the last build when it made `target` from these very inputs.

    `fresh`: the record was written while the caller waited for it (a run right after a
    build, build/aftercare.py), so its walk of the site ended after the caller started,
    and the published folder is still the one walked (same inode and change time): its
    stamps are taken instead of walking 60,000 files again (0.37 s of a no-change run at
    10,000 entries). Only a hand edit of site/ within that walk, in the second after the
    build, would go unseen, and the next build with a change replaces site/ anyway."""
    if fingerprint is None:
        return None
    record = read_record(cache_dir)
    if record is None:
        return None
    if record.get("fingerprint") != fingerprint or record.get("target") != str(target):
        return None
    walked = fresh and record.get("identity") is not None and record.get("identity") == list(site_identity(target) or ())
    if not walked and record.get("site") != _site_stamp(target):
        return None
    return record


def read_record(cache_dir: Path) -> dict | None:
    """The last build's record, None when there is none readable."""
    try:
        record = json.loads((cache_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def recorded_fingerprint(cache_dir: Path) -> str | None:
    """The input fingerprint in the last build's record (None: no readable record)."""
    record = read_record(cache_dir)
    return record.get("fingerprint") if record is not None else None


def record_stamp(cache_dir: Path) -> tuple | None:
    """(size, mtime, inode) of the last build's record, to notice a new one being written."""
    try:
        stat = (cache_dir / RECORD).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def remember_build(cache_dir: Path, fingerprint: str | None, target: Path, pages: int | None = None, published: tuple[int, int] | None = None) -> int:
    """Record a successful build (after the swap), or forget the last one; returns its page
    count (`pages`, else the index.html files counted in the same walk as the stamps).
    The same walk records the site's folders for the build that will update this tree
    (build/treerecord.py).

    `published`: site_identity of the folder the build put at `target`. The record is written
    after the build lock is given up (build/aftercare.py): when another build has replaced
    the site by the end of the walk, the walk saw some other site and nothing is
    recorded (that build records its own)."""
    recorder = TreeRecorder()
    stamps = _stamp_tree(target, on_folder=recorder.add)
    if published is not None and site_identity(target) != published:
        return pages or 0
    try:
        recorder.save(cache_dir, target)
    except OSError:
        pass  # (the update then lists every folder, as without a record)
    if pages is None:
        pages = sum(1 for name, _, _ in stamps if name.rsplit("/", 1)[-1] == "index.html")
    path = cache_dir / RECORD
    if fingerprint is None:
        path.unlink(missing_ok=True)
        return pages
    cache_dir.mkdir(parents=True, exist_ok=True)
    identity = published if published is not None else site_identity(target)
    record = {"fingerprint": fingerprint, "target": str(target), "site": _site_stamp(target, stamps), "pages": pages, "identity": list(identity or ())}
    partial = write_pid_partial(path, json.dumps(record).encode("utf-8"))  # (a later build's child may write one too)
    if published is not None and site_identity(target) != published:
        partial.unlink(missing_ok=True)  # replaced while this was written
        return pages
    os.replace(partial, path)
    return pages


def site_identity(path: Path) -> tuple[int, int] | None:
    """(inode, change time) of the published site's folder: the two trees a build swaps
    take turns at site/, and each swap renames the folder, which sets its change time."""
    try:
        return folder_stamp(os.stat(path))
    except OSError:
        return None


def forget_build(cache_dir: Path) -> None:
    (cache_dir / RECORD).unlink(missing_ok=True)

"""mkdocs.yml read without mkdocs.

The commands that do not build a site (`dvk export`, `dvk book`, `dvk places`, `dvk
pages`, the no-change check of `dvk build`) need a few plain keys of mkdocs.yml, and
mkdocs' own tags (`!ENV`, `!relative`, `!!python/name:`) must not stop them: they are
read as None. One loader for all of them; each caller decides what an unreadable file
means for it (an error for the book, "unknown" for the no-change check).
"""

from __future__ import annotations

from pathlib import Path

import yaml


class TolerantLoader(yaml.SafeLoader):
    """SafeLoader that turns every tag it does not know (mkdocs' and Python's) into None."""


TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_mkdocs_yml(path: Path) -> object:
    """The data of a mkdocs.yml; raises OSError, UnicodeDecodeError or yaml.YAMLError."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=TolerantLoader)  # noqa: S506 - SafeLoader subclass


def plugin_names(data: object) -> list[str]:
    """The names under `plugins:` (a list of names or one-key mappings, or a mapping)."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        return [str(name) for name in plugins]
    names = []
    for item in plugins if isinstance(plugins, list) else []:
        names += [str(item)] if isinstance(item, str) else [str(name) for name in item] if isinstance(item, dict) else []
    return names


def dvk_plugin_options(data: object) -> dict:
    """The options under `plugins: - dvk:` (a list or a mapping of plugins), or {}."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    items = plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, dict) else []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("dvk"), dict):
            return item["dvk"]
    return {}

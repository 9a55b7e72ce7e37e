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


def iter_plugins(data: object):
    """(name, options or None) of each plugin under `plugins:` (a list of names and one-key
    mappings, or a mapping)."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for item in plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, dict) else []:
        if isinstance(item, str):
            yield item, None
        elif isinstance(item, dict):
            for name, options in item.items():
                yield str(name), options


def plugin_names(data: object) -> list[str]:
    """The names under `plugins:`."""
    return [name for name, _ in iter_plugins(data)]


def dvk_plugin_options(data: object) -> dict:
    """The options under `plugins: - dvk:` (a list or a mapping of plugins), or {}."""
    return next((options for name, options in iter_plugins(data) if name == "dvk" and isinstance(options, dict)), {})

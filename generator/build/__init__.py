"""The build stage the core owns: outputs keyed by the hash of their inputs, an on-disk
cache shared by `dvk build`, `dvk serve` and `mkdocs build`, and counters.

Host-free by design: nothing here imports mkdocs. A sink (the mkdocs plugin, or a
plain-files writer) asks `OutputCache` whether an output's bytes for a given input key
are already known, makes only the stale ones, and stores what it made.
"""

from .cache import CachedMemo, OutputCache, cache_root, place_blob, project_cache_dir, separate_links
from .fingerprint import code_version, hash_files, hash_parts, hash_tree
from .outputs import BuildStats, page_input_key


def __getattr__(name: str):
    """load_validator, save_validator and validate_project when first asked for: the validator's persistence
    imports validation and rendering (0.1 s), which a build that finds nothing changed,
    the commands that only read the cache and the spare maker's callers never need."""
    if name in ("load_validator", "save_validator", "validate_project"):
        from . import persist

        return getattr(persist, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CachedMemo",
    "OutputCache",
    "cache_root",
    "place_blob",
    "separate_links",
    "project_cache_dir",
    "code_version",
    "hash_files",
    "hash_parts",
    "hash_tree",
    "BuildStats",
    "page_input_key",
    "load_validator",
    "save_validator",
    "validate_project",
]

"""The build stage the core owns: outputs keyed by the hash of their inputs, an on-disk
cache shared by `dvk build`, `dvk serve` and `mkdocs build`, and counters.

Host-free by design: nothing here imports mkdocs. A sink (the mkdocs plugin, or a
plain-files writer) asks `OutputCache` whether an output's bytes for a given input key
are already known, makes only the stale ones, and stores what it made.
"""

from .cache import OutputCache, cache_root, place_blob, project_cache_dir, separate_links
from .fingerprint import code_version, hash_files, hash_parts, hash_tree
from .outputs import BuildStats, page_input_key
from .persist import load_validator, save_validator

__all__ = [
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
]

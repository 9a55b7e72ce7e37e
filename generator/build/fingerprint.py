"""Hashes of build inputs: byte strings, files, folders and dvk's own code.

Every output's cache key starts from these, so a change to the code, a template, the
theme or the configuration invalidates exactly the outputs made with the old one.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1]
# Packages whose templates, hooks or tools shape what a build publishes: the host, the
# Markdown converters and sanitiser, the fonts, and ICU's collation (list order; its C
# library's version is added too).
HOST_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-glightbox", "markdown", "jinja2", "pymdown-extensions", "fontpkg-be-vietnam-pro", "fonttools", "markdown-it-py", "nh3", "pyicu")


def hash_parts(*parts: str | bytes) -> str:
    """One hex digest of several parts; a separator keeps ("ab", "c") apart from ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, "" when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def hash_files(paths) -> str:
    """Digest of the bytes of the given files (name and content), in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        digest.update(str(path).encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def hash_tree(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """Digest of every file under `folder` (relative names and bytes), in sorted order."""
    folder = Path(folder)
    if not folder.is_dir():
        return hash_parts("no folder", str(folder))
    files = sorted(p for p in folder.rglob("*") if p.is_file() and (suffixes is None or p.suffix in suffixes) and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """dvk's version as far as outputs are concerned: its source, templates and the host packages.

    Hashing the source rather than trusting `__version__` means a developer's edit to a
    template or a render function never serves stale pages from the cache.
    """
    versions = package_versions(HOST_PACKAGES)
    versions.append(f"icu={_icu_version()}")
    return hash_parts(hash_tree(GENERATOR, (".py", ".j2", ".html", ".css", ".js")), *versions, os.environ.get("DVK_CACHE_SALT", ""))


def package_versions(names) -> list[str]:
    """"name=version" of each installed package ("name=-" when it is not installed): the
    part of a cache key that says which release made the bytes."""
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return versions


def _icu_version() -> str:
    try:
        import icu
    except ImportError:
        return "-"
    return str(getattr(icu, "ICU_VERSION", "-"))

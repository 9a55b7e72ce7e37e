"""ImagePipeline: sources -> cached, content-addressed VariantSets, encoding on every core.

The parent process reads and hashes each new or changed source (~3 ms for a 3 MB photo;
the digests of the others are kept by their stamps, sources.py) and looks the key up in
the cache; only misses are decoded and encoded, in a process pool (Pillow
encoders hold the GIL for most of their work, so threads would not scale). One miss is
done in-process: starting a pool costs more than it saves.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import cache
from .decode import ImagingError, load_upright
from ..cores import usable_cores
from ..stamps import stat_stamp
from .encode import encode_variants
from .settings import Settings, cache_key
from .sources import SourceDigests
from .variants import VariantSet


class ImagePipelineError(Exception):
    """Some sources could not be prepared; `failures` maps each path to its Vietnamese reason."""

    def __init__(self, failures: dict[Path, str]):
        self.failures = failures
        super().__init__("\n".join(f"{path}: {reason}" for path, reason in sorted(failures.items())))


@dataclass
class Stats:
    """What the last prepare() did; `encoded` is 0 on a fully warm rebuild."""

    sources: int = 0
    cache_hits: int = 0
    encoded: int = 0
    failed: int = 0
    files_written: int = 0


@dataclass
class _Job:
    path: Path
    key: str
    data: bytes
    settings: Settings
    cache_dir: Path


def _run(job: _Job) -> tuple[Path, dict | None, str]:
    """Worker: decode once, encode every variant, store in the cache. Never raises."""
    try:
        image, (width, height) = load_upright(job.data, target_width=max(job.settings.widths))
        source = {"width": width, "height": height, "bytes": len(job.data), "name": job.path.name}
        encoded = encode_variants(image, job.settings)
        return job.path, cache.store(job.cache_dir, job.key, source, encoded), ""
    except ImagingError as error:
        return job.path, None, str(error)
    except Exception as error:  # noqa: BLE001 - report as a broken file, never a traceback
        return job.path, None, f"không xử lý được ảnh ({type(error).__name__}) — hãy xuất lại ảnh dạng JPEG"


class ImagePipeline:
    """Prepare images for publishing; keep one instance across `serve` rebuilds."""

    def __init__(self, cache_dir: Path | str = cache.DEFAULT_CACHE_DIR, settings: Settings | None = None, workers: int | None = None, project: Path | str | None = None):
        """`project`: the project folder, which names the file of its photos' digests
        (sources.py) in a cache several projects may share."""
        self.cache_dir = Path(cache_dir)
        self.settings = settings or Settings()
        self.workers = workers or usable_cores()  # not os.cpu_count(): the host's, in a container
        self.stats = Stats()
        self.digests = SourceDigests(self.cache_dir, str(Path(project).resolve()) if project else None)  # kept across `serve` rebuilds

    def prepare(self, images: Iterable) -> dict[Path, VariantSet]:
        """{absolute source path: VariantSet} for `images` (model.Image objects or paths).

        Every source is attempted; if any fail, ImagePipelineError lists them all (after the
        good ones are cached, so fixing one photo does not re-encode the others).
        """
        self.stats = Stats()
        paths = _unique_paths(images)
        self.stats.sources = len(paths)
        result: dict[Path, VariantSet] = {}
        failures: dict[Path, str] = {}
        jobs: dict[str, _Job] = {}  # one encode per distinct content, even under two names
        same: dict[str, list[Path]] = {}
        self.digests.begin()
        for path in paths:
            try:
                key, data = self._key(path)
                manifest = cache.load_manifest(self.cache_dir, key)
                if manifest is None and data is None:  # to encode: the bytes themselves
                    kept, (key, data) = key, self._key(path, known=False)
                    if key != kept:  # (changed within its stamp: only a racy file can)
                        manifest = cache.load_manifest(self.cache_dir, key)
            except OSError:
                failures[path] = "không tìm thấy tệp ảnh"
                continue
            if manifest is not None:
                self.stats.cache_hits += 1
                result[path] = VariantSet.from_manifest(path, cache.entry_dir(self.cache_dir, key), manifest)
            else:
                jobs.setdefault(key, _Job(path, key, data, self.settings, self.cache_dir))
                same.setdefault(key, []).append(path)
        self.digests.save()
        for job, (_path, manifest, reason) in zip(jobs.values(), self._execute(list(jobs.values()))):
            if manifest is not None:
                self.stats.encoded += 1
                self.stats.files_written += len(manifest["variants"])
            for path in same[job.key]:
                if manifest is None:
                    failures[path] = reason
                else:
                    result[path] = VariantSet.from_manifest(path, cache.entry_dir(self.cache_dir, job.key), manifest)
        self.stats.failed = len(failures)
        if failures:
            raise ImagePipelineError(failures)
        return result

    def _execute(self, jobs: list[_Job]):
        if len(jobs) <= 1 or self.workers <= 1:
            yield from map(_run, jobs)
            return
        with make_pool(min(self.workers, len(jobs))) as pool:
            yield from pool.map(_run, jobs)

    def _key(self, path: Path, known: bool = True) -> tuple[str, bytes | None]:
        """(cache key, the source's bytes or None when they were not read): the digest kept
        for the source's stamp where there is one (imaging/sources.py), else its bytes
        hashed (`known` False: always). Raises OSError when the file cannot be read."""
        stat = path.stat()
        stamp = stat_stamp(stat)
        digest = self.digests.lookup(path, stamp) if known else None
        if digest is not None:
            return cache_key(digest, self.settings), None
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if len(data) == stat.st_size:  # (a file that changed while read is hashed again next time)
            self.digests.remember(path, stamp, digest, stat.st_ctime_ns)
        return cache_key(digest, self.settings), data


def _unique_paths(images: Iterable) -> list[Path]:
    seen: dict[Path, None] = {}
    for item in images:
        path = getattr(item, "abs_path", item)
        if path is None:
            continue
        seen[Path(path).resolve()] = None
    return list(seen)


def make_pool(workers: int) -> ProcessPoolExecutor:
    """The image workers: on the fork server (_context), each ending with this process."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=end_with_owner, initargs=(os.getpid(),))


OWNER_POLL = 0.5  # seconds between a worker's checks that the process that started it lives


def end_with_owner(owner: int) -> None:
    """In each image worker: end it once `owner` (the build that made the pool) is gone.
    The workers are children of the fork server, not of the build, and each holds the
    pipe the fork server waits on: a build killed outright (SIGKILL) left the server and
    its workers idle for good."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(OWNER_POLL)
            try:
                os.kill(owner, 0)
            except OSError:  # gone (or its number taken by another user's process)
                os._exit(1)

    threading.Thread(target=watch, name="dvk-owner-watch", daemon=True).start()


def _context():
    """forkserver where available: forking the (multi-threaded) `mkdocs serve` process can
    deadlock on a lock held by another thread; the fork server is a clean single thread."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else None)

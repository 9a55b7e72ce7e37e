"""Which tree a build updates (build/kept.py says how): the site its last swap replaced.

`dvk build` keeps the site each swap replaces beside the published one (`.site.spare`)
and the next build updates that tree. Right after the first build of a site there is
none: that build replaced nothing. The next build then had to copy the published site
with hard links (`cp -al`: 11,700 folders and 47,000 links at 10,000 entries, 3–5 s on
this disk, the largest part of the first edit after a cold build). So the build that
leaves no spare starts that copy itself, in a process of its own that outlives the
command (`start_spare_maker`), and the next build adopts it: it takes the finished spare,
or waits beside its own first stages for the copy still being made.

The copy needs no lock: nothing in a kept tree is trusted (kept.TreeUpdate checks every
page against its blob and replaces everything else), so a copy that raced with another
build's swap only costs that build more work.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from ..buildlock import is_running
from ..cores import usable_cores
from .cache import open_folder
from .kept import discard_now, remove_later

# the copy under the maker's own PID (so buildlock.remove_leftovers deletes it only once the
# maker is gone), renamed to the spare when whole, unless a spare appeared meanwhile; the
# note (maker_note) is written by the maker first, so a build started before it copies for
# itself as before; it goes when the copy is done, whole or not
# The copy is `cp -al` of each top-level entry, on as many processes as there are cores:
# linking is kernel work (cp ran at 95 % of a core), and a site's entries split well (the
# entry pages' folder is a third to a half of it). The 10,000-entry site: 0.92 s on one
# process, 0.56 s on two; right after the cold build that wrote it, one took 2.9 s, all
# of which the first edit waited for. The copy's root takes the site's mode.
_MAKER = (
    'echo $$ > "$4"; making="$1/.$2.kept-$$"; '
    'if mkdir -- "$making" && chmod --reference="$1/$2" -- "$making" '
    '&& find "$1/$2" -mindepth 1 -maxdepth 1 -print0 | xargs -0 -r -P "$5" -I{} cp -al -- {} "$making/" '
    '&& [ ! -e "$3" ]; then mv -T -- "$making" "$3"; fi; rm -rf -- "$making"; rm -f -- "$4"'
)
WAIT_STEP = 0.02
WAIT_MAX = 600.0  # seconds a build waits for a copy (a safety net: a maker that never ends)


def spare_path(target: Path) -> Path:
    """Where the site replaced by the last swap is kept (hidden, beside site/)."""
    return target.with_name(f".{target.name}.spare")


def maker_note(target: Path) -> Path:
    """The PID of the process making the spare (start_spare_maker)."""
    return target.with_name(f".{target.name}.spare-maker")


def take_spare(target: Path) -> Path | None:
    """The kept tree under this build's own name (`.site.kept-PID`, removed as a leftover
    if the build dies), or None when there is none to update."""
    spare = spare_path(target)
    if spare.is_symlink() or not spare.is_dir():
        return None
    kept = target.with_name(f".{target.name}.kept-{os.getpid()}")
    try:
        os.rename(spare, kept)
    except OSError:
        return None
    return kept


def start_spare_maker(target: Path) -> int | None:
    """After a swap that left no spare: start copying the published site into one, in a
    process that outlives this one (see the module docstring); its PID, or None."""
    if spare_path(target).exists() or not target.is_dir() or target.is_symlink():
        return None
    try:
        maker = subprocess.Popen(["sh", "-c", _MAKER, "dvk-spare", str(target.parent), target.name, str(spare_path(target)), str(maker_note(target)), str(usable_cores())], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return maker.pid


def running_maker(target: Path) -> int | None:
    """The PID of a spare maker still copying, or None."""
    try:
        pid = int(maker_note(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return pid if pid != os.getpid() and _is_alive(pid) and target.with_name(f".{target.name}.kept-{pid}").is_dir() else None


def _is_alive(pid: int) -> bool:
    """Whether the process still runs; a child of this process that ended (a build run
    twice in one process started the maker itself) is reaped, not waited for forever."""
    try:
        ended, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not this process's child: it is reaped by its own parent
        return is_running(pid)
    return ended != pid


class KeptTree:
    """The tree a build updates: the spare; or the spare a maker is still copying
    (`maker`: its PID, waited for); or, when there is none, a copy of the published site
    being made with hard links by `cp -al` beside the build's first stages (`making`: a
    second process; it reads the published site, which the build never touches before
    its swap)."""

    def __init__(self, path: Path, making: subprocess.Popen | None = None, maker: int | None = None, target: Path | None = None):
        self.path, self._making, self._maker, self._target = path, making, maker, target
        # a maker's copy by descriptor, opened now: the maker renames it to the spare when
        # done and ready() renames that to `path`, while a background run links from it
        self._copy = None
        if maker is not None:
            self._copy = open_folder(self.source)
            if self._copy is None:  # renamed to the spare already
                self._copy = open_folder(spare_path(target))

    @property
    def source(self) -> Path:
        """Where the tree's files are now (the maker's folder while it copies), for a
        background run to link unchanged files from: a file there is a complete link or
        not there (then it is written)."""
        if self._maker is not None:
            return self._target.with_name(f".{self._target.name}.kept-{self._maker}")
        return self.path

    @property
    def handle(self) -> Path | int | None:
        """`source` for a run that starts before ready(): the copy's descriptor while a
        maker makes it (it is renamed meanwhile; None when it could not be opened)."""
        return self._copy if self._maker is not None else self.path

    def _close_copy(self) -> None:
        if self._copy is not None:
            os.close(self._copy)
            self._copy = None

    def ready(self) -> Path | None:
        """The tree once made, else None (the copy failed: the build writes a new folder)."""
        if self._maker is not None:
            # until the copy is renamed away (or removed) and the maker is gone; a maker
            # that is never reaped (a container without an init) still looks alive
            copy, deadline = self.source, time.monotonic() + WAIT_MAX
            while _is_alive(self._maker) and copy.is_dir() and time.monotonic() < deadline:
                time.sleep(WAIT_STEP)
            self._maker = None
            self._close_copy()  # (the runs that link from it hold their own)
            taken = take_spare(self._target)
            if taken is None:
                return None
            self.path = taken
        if self._making is not None:
            failed = self._making.wait() != 0
            self._making = None
            if failed or not self.path.is_dir():
                remove_later(self.path)
                return None
        return self.path if self.path.is_dir() else None

    def discard(self) -> None:
        if self._making is not None and self._making.poll() is None:
            self._making.kill()
            self._making.wait()
        self._making = self._maker = None  # (another process's copy is left to finish)
        self._close_copy()
        remove_later(self.path)


def keep_tree_for(target: Path) -> KeptTree | None:
    """The spare as this build's kept tree, the spare a maker is making, or a copy of the
    published site started now (`cp -al`), or None (no published site, no `cp`)."""
    maker = running_maker(target)
    if maker is None:
        maker_note(target).unlink(missing_ok=True)  # (a maker killed before it removed it)
    taken = take_spare(target)
    if taken is not None:
        return KeptTree(taken)
    kept = target.with_name(f".{target.name}.kept-{os.getpid()}")
    if maker is not None:
        return KeptTree(kept, maker=maker, target=target)
    if target.is_symlink() or not target.is_dir():
        return None
    try:
        making = subprocess.Popen(["cp", "-al", "--", str(target), str(kept)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return KeptTree(kept, making)


def set_served_site_aside(site_dir: Path) -> Path | None:
    """`dvk serve`: move the site it serves aside (`<folder>.kept-PID`) and leave an empty
    folder for the rebuild; None when there is nothing to keep (the first build)."""
    try:
        if site_dir.is_symlink() or not site_dir.is_dir() or not any(os.scandir(site_dir)):
            return None
        kept = site_dir.with_name(f"{site_dir.name}.kept-{os.getpid()}")
        discard_now(kept)
        os.rename(site_dir, kept)
        os.mkdir(site_dir)
    except OSError:
        return None
    return kept

"""Builds at the same time, killed builds and shared caches: nothing crashes, nothing is left behind.

Two `dvk build` runs in one project queue on a lock; a staging folder left by a killed build
is removed by the next one; many writers of one font, photo or image-cache entry at once
never crash and never leave a half-written file.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from sitehelpers import REPO, SITE_MINI, make_project, wait_for_spare_maker

from generator.build import project_cache_dir
from generator.buildlock import BuildBusy, hold_build_lock, lock_path, remove_leftovers
from generator.search import BUNDLE


def _env(cache: Path) -> dict:
    return {"PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "DVK_CACHE_DIR": str(cache)}


def _dead_pid() -> int:
    """The PID of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _assert_complete_site(site: Path) -> None:
    """Every page and the whole search index are there, and nothing temporary is left."""
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    index = json.loads((site / BUNDLE / "index.json").read_text(encoding="utf-8"))
    assert all((site / BUNDLE / name).is_file() for name in [*index["shards"].values(), *index["chunks"]])
    wait_for_spare_maker(site)  # the copy a first build leaves for the next (build/spare.py)
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.")] in ([], [f".{site.name}.spare"])


def test_two_builds_at_once_both_succeed_one_waits(tmp_path):
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    command = [sys.executable, "-m", "generator", "build"]
    procs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path / "cache")) for _ in range(2)]
    outputs = [proc.communicate(timeout=900) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    waited = [err for _, err in outputs if "Một lần dựng khác đang chạy trong dự án này" in err]
    assert len(waited) == 1, outputs
    _assert_complete_site(project / "site")


def test_build_gives_up_with_a_plain_message_when_another_holds_the_lock(tmp_path):
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    lock = lock_path(project)
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242\n")
        held.flush()
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--wait", "1"], cwd=project, capture_output=True, text=True, env=_env(tmp_path / "cache"), timeout=300)
    assert done.returncode == 1
    assert "đang chờ" in done.stderr and "vẫn chưa xong" in done.stderr and "tiến trình 4242" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site").exists()


def test_a_no_change_run_does_not_wait_for_the_last_builds_cache_writes(tmp_path):
    """Right after a build, its child writes the caches holding the lock (two seconds at
    10,000 entries); a run with nothing to do needs only the build's record, written
    first, so it answers at once instead of queueing behind the cache writes."""
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    env = _env(tmp_path / "cache")
    first = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    wait_for_spare_maker(project / "site")
    lock = lock_path(project)
    for _ in range(600):  # the build's own cache writer is done
        with open(lock, "a+") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                threading.Event().wait(0.1)
    with open(lock, "w") as held:  # a cache writer still at work
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{os.getpid()} finishing\n")
        held.flush()
        again = subprocess.run([sys.executable, "-m", "generator", "build", "--wait", "2"], cwd=project, capture_output=True, text=True, env=env, timeout=300)
        assert again.returncode == 0 and "Không có gì thay đổi" in again.stdout, again.stdout + again.stderr
        assert "đang chờ" not in again.stderr
        # the writer has not written the build's record yet: the run waits for that alone
        record = next((tmp_path / "cache").rglob("last-build.json"))
        aside = record.with_name("aside.json")
        os.replace(record, aside)
        later = threading.Timer(3.0, os.replace, (aside, record))
        later.start()
        try:
            waited = subprocess.run([sys.executable, "-m", "generator", "build", "--wait", "1"], cwd=project, capture_output=True, text=True, env=env, timeout=300)
        finally:
            later.join()
    assert waited.returncode == 0 and "Không có gì thay đổi" in waited.stdout, waited.stdout + waited.stderr


def test_build_killed_mid_way_leaves_no_lock_and_next_build_cleans_up(tmp_path, monkeypatch):
    """SIGKILL (power cut, closed terminal): the kernel drops the lock; the next build does not
    wait and removes every staging folder whose process is gone, and only those."""
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    env = _env(tmp_path / "cache")
    alive = project / f".site.tmp-{os.getpid()}"  # a live process's folder is not ours to delete
    alive.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    staging = project / f".site.tmp-{proc.pid}"
    for _ in range(1200):
        if staging.exists() or proc.poll() is not None:
            break
        threading.Event().wait(0.1)
    proc.kill()
    proc.wait()
    assert staging.exists()  # killed while writing: the leftover a real editor would get
    dead = _dead_pid()
    (project / f".site.old-{dead}" / "dia-ban").mkdir(parents=True)  # and a swap cut short
    monkeypatch.setenv("DVK_CACHE_DIR", env["DVK_CACHE_DIR"])
    cache = project_cache_dir(project)  # and records whose writer was killed before the rename
    half_written = [cache / f".last-build.json.{dead}", cache / "trees" / f".1-2.pickle.{proc.pid}"]
    being_written = cache / f".last-build.json.{os.getpid()}"
    for partial in (*half_written, being_written):
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text('{"fingerprint": "', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--wait", "5"], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "đang chờ" not in done.stderr
    assert f".site.tmp-{proc.pid}" in done.stderr and f".site.old-{dead}" in done.stderr  # the editor is told
    assert not staging.exists() and not (project / f".site.old-{dead}").exists()
    assert not any(partial.exists() for partial in half_written) and being_written.is_file()
    being_written.unlink()
    assert alive.is_dir()
    alive.rmdir()
    _assert_complete_site(project / "site")


def test_lock_wait_times_out_and_names_the_holder(tmp_path):
    lock = tmp_path / ".cache" / "dvk" / "build.lock"
    waited = []
    with hold_build_lock(lock, timeout=0):
        with pytest.raises(BuildBusy) as raised:
            with hold_build_lock(lock, timeout=0.3, on_wait=waited.append):
                pass
    assert raised.value.holder == os.getpid() and waited == [os.getpid()]
    with hold_build_lock(lock, timeout=0):  # released: taken at once
        pass


def test_remove_leftovers_only_touches_dead_staging_of_this_target(tmp_path):
    target = tmp_path / "site"
    dead, alive = _dead_pid(), os.getpid()
    names = [f".site.tmp-{dead}", f".site.kept-{dead}", f".site.old-{dead}", f".site.tmp-{dead}.trash", f".site.tmp-{alive}", f".site.kept-{alive}", f".other.tmp-{dead}", f".site.tmp-{dead}x", ".site.spare", "site"]
    for name in names:
        (tmp_path / name).mkdir()
    removed = remove_leftovers(target)
    # reported: what an interrupted build left; removed silently: a trash being deleted
    assert sorted(p.name for p in removed) == sorted([f".site.tmp-{dead}", f".site.kept-{dead}", f".site.old-{dead}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[4:])


# --- caches shared by concurrent builds -------------------------------------------------


def _woff2(cache: str) -> bytes:
    import fontpkg_be_vietnam_pro as fontpkg

    from generator.fontfiles import woff2_copy

    ttf = Path(fontpkg.__file__).parent / "files" / "BeVietnamPro-Regular.ttf"
    return woff2_copy(ttf, Path(cache)).read_bytes()


def test_many_writers_of_the_same_font_cache_never_crash(tmp_path):
    pytest.importorskip("brotli")
    with ThreadPoolExecutor(8) as threads:
        from_threads = list(threads.map(_woff2, [str(tmp_path / "t")] * 8))
    with ProcessPoolExecutor(3) as processes:  # other builds: other processes, one fresh cache
        from_processes = list(processes.map(_woff2, [str(tmp_path / "p")] * 6))
    assert len(set(from_threads + from_processes)) == 1 and from_threads[0][:4] == b"wOF2"
    assert not list(tmp_path.rglob("*.tmp"))


def _store(args) -> list[str]:
    from generator.imaging import cache
    from generator.imaging.encode import Encoded

    cache_dir, seed = args
    encoded = [Encoded(320, 200, "jpg", b"J" * 1000), Encoded(320, 200, "webp", b"W" * 900)]
    manifest = cache.store(Path(cache_dir), "ab" * 32, {"width": 320, "height": 200, "bytes": 1}, encoded)
    loaded = cache.load_manifest(Path(cache_dir), "ab" * 32)
    assert loaded is not None
    return sorted(v["file"] for v in manifest["variants"])


def test_many_writers_of_the_same_image_cache_entry_never_crash(tmp_path):
    with ThreadPoolExecutor(8) as threads:
        results = list(threads.map(_store, [(str(tmp_path), i) for i in range(16)]))
    with ProcessPoolExecutor(3) as processes:
        results += list(processes.map(_store, [(str(tmp_path), i) for i in range(6)]))
    assert all(r == results[0] for r in results)
    folder = tmp_path / "ab" / ("ab" * 32)
    assert (folder / "320.jpg").read_bytes() == b"J" * 1000
    assert [p.name for p in folder.parent.iterdir()] == ["ab" * 32]  # no temporary folder left


def test_damaged_image_cache_entry_is_replaced_not_trusted(tmp_path):
    from generator.imaging import cache

    _store((str(tmp_path), 0))
    folder = tmp_path / "ab" / ("ab" * 32)
    (folder / "320.webp").unlink()  # someone cleaned files by hand
    assert cache.load_manifest(tmp_path, "ab" * 32) is None
    _store((str(tmp_path), 1))
    assert (folder / "320.webp").read_bytes() == b"W" * 900


def test_many_writers_of_the_same_book_photo_never_crash(tmp_path):
    from PIL import Image

    from generator.book.images import resize

    source = tmp_path / "anh.jpg"
    Image.new("RGB", (1600, 1000), (120, 40, 200)).save(source, "JPEG")
    target = tmp_path / "book-images"
    with ThreadPoolExecutor(8) as threads:
        results = list(threads.map(lambda _: resize(source, 800, target), range(12)))
    assert len({(path, w, h) for path, w, h in results}) == 1
    assert [p.suffix for p in target.iterdir()] == [".jpg"]


def test_a_holder_that_only_writes_caches_is_waited_for_without_a_message(tmp_path):
    """A build hands the lock to the child that writes its caches after the command
    returned (build/aftercare.py); the next build waits for it silently."""
    lock = tmp_path / ".cache" / "dvk" / "build.lock"
    script = (
        "import sys, time\n"
        "from generator.buildlock import hold_build_lock\n"
        f"with hold_build_lock(__import__('pathlib').Path({str(lock)!r}), timeout=0) as held:\n"
        "    held.note_holder(finishing=True)\n"
        "    print('held', flush=True)\n"
        "    time.sleep(0.8)\n"
        "    print('done', flush=True)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env={**_env(tmp_path / "cache")})
    assert holder.stdout.readline().strip() == "held"
    waited = []
    with hold_build_lock(lock, timeout=30, on_wait=waited.append):
        # taken only once the holder was done: its last line is there already
        assert select.select([holder.stdout], [], [], 0)[0] and holder.stdout.readline().strip() == "done"
    holder.wait()
    assert waited == []


def test_a_build_returns_before_its_caches_are_written_and_the_next_build_finds_them(tmp_path):
    """The second build starts while the first one's child may still be writing the
    validator cache and the no-change record: it waits for them without a message and
    finds nothing to do."""
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    env = _env(tmp_path / "cache")
    command = [sys.executable, "-m", "generator", "build"]
    first = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and "Không có gì thay đổi" in again.stdout, again.stdout + again.stderr
    assert "đang chờ" not in again.stderr
    _assert_complete_site(project / "site")


def test_woff2_copies_are_kept_per_user_so_a_deleted_project_cache_does_not_remake_them(tmp_path, monkeypatch):
    """Without DVK_CACHE_DIR the copies live in the user's cache (a cold build of a fresh
    clone or after `rm -rf .cache` does not spend seconds on the same fonts again); a
    home that cannot be written falls back to the project's own `.cache/`."""
    pytest.importorskip("brotli")
    from generator import fontfiles

    monkeypatch.delenv("DVK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    project = tmp_path / "project"
    project.mkdir()
    cache = fontfiles.font_cache(project)
    assert cache == tmp_path / "xdg" / "dvk" / "fonts"
    found, later = fontfiles.font_files(project)
    assert not later and any(name.endswith(".woff2") for name, _ in found)
    assert all(str(path).startswith(str(cache)) for name, path in found if name.endswith(".woff2"))
    assert not (project / ".cache").exists()
    blocked = tmp_path / "not-a-folder"  # a cache home that cannot hold folders (as root, modes would not stop it)
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert fontfiles.font_cache(project) == project / ".cache" / "dvk-fonts"


def test_a_finished_cache_writer_not_yet_reaped_is_not_waited_for(tmp_path):
    """The child that writes a build's caches outlives the build; once it has ended it is
    done, even while nobody has reaped it yet (a container's init may take a second or
    two): the next edit must not wait for it."""
    import time

    from generator.buildlock import holder_is_finishing, is_running

    lock = tmp_path / "build.lock"
    pid = os.fork()
    if pid == 0:  # the cache writer: notes itself as finishing, holds the lock, ends
        try:
            with hold_build_lock(lock, timeout=0) as held:
                held.note_holder(finishing=True, pid=os.getpid())
        finally:
            os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].startswith(b" Z") and time.monotonic() < deadline:
            time.sleep(0.01)  # ended, not reaped: signal 0 still finds it
        os.kill(pid, 0)
        assert not is_running(pid)
        assert not holder_is_finishing(lock), "its note still says finishing, but it has ended"
    finally:
        os.waitpid(pid, 0)
    assert is_running(os.getpid())


def test_the_record_walk_runs_beside_the_cache_writer_without_the_lock(tmp_path):
    """After a build, one child writes what the next build reads, holding the lock; another
    walks the site for the no-change record without it: an editor's next save waits only
    for the caches, and a no-change run only for the record. The lock file names the
    record coming and both children, so a no-change run still waits for it."""
    import time

    from generator.build.aftercare import finish_after_exit
    from generator.buildlock import holder_is_finishing, lock_is_free, pending_record

    lock = tmp_path / "build.lock"
    seen = tmp_path / "seen.json"
    caches = tmp_path / "caches.txt"

    def write_caches():
        caches.write_text("đã ghi", encoding="utf-8")

    def walk_for_record():
        deadline = time.monotonic() + 10
        while not (caches.exists() and lock_is_free(lock)) and time.monotonic() < deadline:
            time.sleep(0.01)  # the cache writer is done and gone: this child does not hold the lock
        partial = tmp_path / "seen.tmp"
        partial.write_text(json.dumps({"free": lock_is_free(lock), "pending": pending_record(lock), "finishing": holder_is_finishing(lock)}), encoding="utf-8")
        os.replace(partial, seen)

    with hold_build_lock(lock, timeout=0) as held:
        assert finish_after_exit([write_caches], held, detach=True, record="ab" * 32, unlocked=[walk_for_record])
    deadline = time.monotonic() + 20
    while not seen.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert json.loads(seen.read_text(encoding="utf-8")) == {"free": True, "pending": "ab" * 32, "finishing": True}


def test_a_note_naming_a_pid_now_given_to_another_process_is_not_waited_for(tmp_path):
    """The lock file's note outlives the children it names. When their PIDs have since gone
    to other processes, a no-change run and the next build must not take those for the
    children and wait (up to two minutes) for a record nobody will write."""
    from generator.buildlock import FINISHING, HeldLock, holder_is_finishing, pending_record, process_token

    lock = tmp_path / "build.lock"
    me = os.getpid()
    record = "cd" * 32
    started = process_token(me).partition(".")[2]
    assert started.isdigit(), "on Linux the note names a process with its start time"
    for token, alive in ((process_token(me), True), (f"{me}.{int(started) + 1}", False)):
        note = [token, FINISHING, record, token]
        lock.write_text(" ".join(note) + "\n", encoding="ascii")
        assert holder_is_finishing(lock) is alive
        assert pending_record(lock) == (record if alive else None)
        assert HeldLock(-1, note).record_coming() == (record if alive else None)


def test_a_no_change_run_waits_for_the_record_writer_not_for_the_cache_writer(tmp_path):
    """Right after a build, a no-change run waits for the no-change record only while the
    child writing it runs: once that child has ended without one (another build replaced
    the site meanwhile), the cache writer still holding the lock is no reason to wait."""
    from generator.buildlock import FINISHING, NO_RECORD, holder_is_finishing, process_token, record_being_written

    lock = tmp_path / "build.lock"
    me, gone = process_token(os.getpid()), str(_dead_pid())
    for holder, record, writer, waits in ((me, "ab" * 32, me, True), (me, "ab" * 32, gone, False), (me, NO_RECORD, me, False), (me, "ab" * 32, None, True), (gone, "ab" * 32, None, False)):
        lock.write_text(" ".join([holder, FINISHING, record] + ([writer] if writer else [])) + "\n", encoding="ascii")
        assert record_being_written(lock) is waits, (holder, record, writer)
    lock.write_text(f"{me} {FINISHING} {'ab' * 32} {gone}\n", encoding="ascii")
    assert holder_is_finishing(lock), "the cache writer still runs: the next build waits for it"

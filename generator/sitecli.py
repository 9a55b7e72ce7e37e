"""`dvk build` and `dvk serve`: the public site from the command line, in Vietnamese.

`dvk build` never leaves a half-written site: mkdocs writes into a temporary folder next
to site/, and only a successful build replaces site/ (two renames on the same file
system). Builds of one project queue on a lock (generator/buildlock.py), and each removes
the temporary folders a killed build left behind. Content errors print the same lines as
`dvk validate` and exit 1; there is no traceback.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from functools import partial
from pathlib import Path

from .build.kept import discard_now, remove_later
from .build.spare import keep_tree_for, spare_path, start_spare_maker
from .buildlock import BuildBusy, hold_build_lock, holder_is_finishing, lock_is_free, lock_path, pending_record, record_being_written, remove_dead_partials, remove_leftovers

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
DEFAULT_ADDR = "127.0.0.1:8000"
WAIT_SECONDS = 600.0  # an editor would rather wait for the other build than retry by hand


def register(subparsers, add_root) -> None:
    p = subparsers.add_parser("build", help="dựng trang web công khai vào site/", description="Kiểm tra content/, dựng toàn bộ trang web (mkdocs + dvk) vào thư mục tạm rồi thay site/ khi thành công.")
    add_root(p)
    p.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình mkdocs (mặc định: mkdocs.yml)")
    p.add_argument("--site-dir", default=None, help="thư mục kết quả (mặc định: site_dir trong mkdocs.yml, thường là site/)")
    p.add_argument("--strict", action="store_true", help="coi mọi cảnh báo là lỗi")
    p.add_argument("--wait", type=float, default=WAIT_SECONDS, metavar="GIÂY", help=f"khi một lần dựng khác đang chạy trong dự án: chờ tối đa bấy nhiêu giây rồi mới bỏ (mặc định: {WAIT_SECONDS:.0f})")
    p.set_defaults(handler=cmd_build)

    p = subparsers.add_parser("serve", help="xem trước trang web, tự tải lại khi sửa mục", description="Chạy máy chủ xem trước (mkdocs serve); sửa một tệp trong content/ thì trang tự dựng lại và tải lại.")
    add_root(p)
    p.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình mkdocs (mặc định: mkdocs.yml)")
    p.add_argument("-a", "--dev-addr", default=DEFAULT_ADDR, help=f"địa chỉ:cổng (mặc định: {DEFAULT_ADDR})")
    p.set_defaults(handler=cmd_serve)


def cmd_build(args) -> int:
    config_file = _config_path(args)
    if config_file is None:
        return EXIT_USAGE
    started = time.monotonic()
    asked: list = []
    if _report_unchanged(args, config_file, started, wait_for_record=True, asked=asked):
        return EXIT_OK
    _import_build_modules()  # while a finishing build's child may still hold the lock
    try:
        with hold_build_lock(lock_path(args.root.resolve()), args.wait, on_wait=_say_waiting) as lock:
            return _build_locked(args, config_file, lock, asked)
    except BuildBusy as busy:
        holder = f" (tiến trình {busy.holder})" if busy.holder else ""
        print(f"Sau {args.wait:.0f} giây, lần dựng khác trong dự án này{holder} vẫn chưa xong; site/ giữ nguyên. "
              "Hãy chờ nó xong rồi chạy lại dvk build (hoặc dừng nó nếu nó bị treo, hoặc dùng --wait để chờ lâu hơn).", file=sys.stderr)
        return EXIT_CONTENT


# how long a run waits for a finishing build's record at most (it takes a second; a
# safety net for a writer that died and whose PID another process took since)
RECORD_WAIT_MAX = 120.0


def _import_build_modules() -> None:
    """Import mkdocs and the plugin before waiting for the lock: a build started right
    after another one waits for that build's child to write its caches (build/aftercare.py,
    0.4 s at 10,000 entries) and spent another 0.2 s importing once it had the lock.
    Imports write nothing, so they need no lock."""
    _quiet_mkdocs_banner()
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401

    from . import mkdocs_plugin  # noqa: F401


def _say_waiting(holder: int | None) -> None:
    who = f" (tiến trình {holder})" if holder else ""
    print(f"Một lần dựng khác đang chạy trong dự án này{who}; đang chờ nó xong rồi mới dựng…", file=sys.stderr, flush=True)


def _build_locked(args, config_file: Path, lock=None, asked: list | None = None) -> int:
    """The build proper; runs only while this process holds the project's build `lock`
    (a buildlock.HeldLock, handed to the child that writes the caches afterwards).
    `asked`: the no-change answer found before the lock, as _report_unchanged left it."""
    started = time.monotonic()
    done = _answer_still_valid(asked, config_file)
    if done is None:
        done = _unchanged_site(args, config_file)
    done = _wait_for_coming_record(lock, done, config_file)
    if _report_unchanged(args, config_file, started, done):
        return EXIT_OK
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    handler = _attach_log_handler()
    try:
        config = load_config(config_file=str(config_file))
        target = (args.root / args.site_dir).resolve() if args.site_dir else Path(config.site_dir)
        staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        _remove_leftovers(target, config_file)
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=args.strict or config.strict)
        config.plugins.on_startup(command="build", dirty=False)
        plugin = config.plugins.get("dvk")
        if plugin is not None:  # the site the last swap replaced, to update (build/kept.py)
            kept = plugin.kept_tree = keep_tree_for(target)
            plugin.exits_after_build = getattr(args, "detach", False)  # the `dvk` command ends its process
        try:
            build(config)
            finishing = plugin.take_after_build() if plugin is not None else []
        finally:
            config.plugins.on_shutdown()
            if locals().get("kept") is not None:
                kept.discard()  # (gone when the plugin used it)
    except (Abort, PluginError, ConfigurationError) as error:
        discard_now(locals().get("staging"))
        message = str(error).strip()
        if message and not message.startswith("Aborted with"):
            print(message, file=sys.stderr)
        print("Không dựng được trang web; site/ giữ nguyên bản cũ.", file=sys.stderr)
        return EXIT_CONTENT
    except BaseException:
        discard_now(locals().get("staging"))
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    swap_into_place(staging, target, background=True, spare=spare_path(target))
    from .build.unchanged import site_identity

    published = site_identity(target)
    if plugin is not None:
        start_spare_maker(target)  # none was left (a first build): the next one updates a copy
    from .build.aftercare import finish_after_exit
    from .build.unchanged import remember_build

    # a walk of the new site: its stamps for the next no-change check (and its page count
    # when the plugin has none), with the caches once the result is printed
    recorded = done[0] if done and done[1] == target else None
    remember = partial(remember_build, _cache_dir(config_file), recorded, target, published=published)
    pages = getattr(plugin, "page_count", None)
    unlocked = []
    if pages is None:
        pages = remember()
        recorded = None  # written already: the child writes no record
    else:
        unlocked.append(partial(remember, pages=pages))  # after the caches, without the lock
    stats = getattr(plugin, "stats", None)
    counts = f" ({stats.summary()})" if stats else ""
    print(f"Đã dựng {pages} trang vào {_show(target, args.root)} trong {time.monotonic() - started:.1f} giây{counts}.")
    if stats and os.environ.get("DVK_TIMINGS"):
        print(f"không chạy mẫu trang: {stats.projected}; thời gian: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stats.timings.items()), file=sys.stderr)
    print_view_hint()
    finish_after_exit(finishing, lock, detach=getattr(args, "detach", False), record=recorded, unlocked=unlocked)
    return EXIT_OK


def _remove_leftovers(target: Path, config_file: Path) -> None:
    """What killed builds left: staging folders beside site/ (said, they can be large) and
    half-written records in the cache (silently: a few bytes each)."""
    from .build.treerecord import RECORDS

    for leftover in remove_leftovers(target):
        print(f"Đã xoá thư mục tạm {leftover.name} do một lần dựng bị dừng giữa chừng để lại.", file=sys.stderr)
    cache_dir = _cache_dir(config_file)
    for folder in (cache_dir, cache_dir / RECORDS):
        remove_dead_partials(folder)


def _cache_dir(config_file: Path) -> Path:
    from .build import project_cache_dir

    return project_cache_dir(config_file.parent)


def _wait_for_coming_record(lock, done, config_file: Path):
    """The no-change answer once the record the build before is writing is there, when it
    is a record of these very inputs: a build queued behind one of the same inputs (a
    watcher firing twice for one save) then finds nothing to do, as it did when that
    record was written under the lock. `done` as _unchanged_site returns it."""
    coming = lock.record_coming() if lock is not None else None
    if done is None or done[2] is not None or done[0] is None or coming != done[0]:
        return done
    from .build.unchanged import is_unchanged, record_stamp

    cache_dir = _cache_dir(config_file)
    stamp, deadline = record_stamp(cache_dir), time.monotonic() + RECORD_WAIT_MAX
    while lock.record_coming() == coming and record_stamp(cache_dir) == stamp and time.monotonic() < deadline:
        time.sleep(0.02)
    fingerprint, target, _ = done
    fresh = record_stamp(cache_dir) != stamp  # written while this build waited
    return fingerprint, target, is_unchanged(cache_dir, fingerprint, target, fresh=fresh)


def _answer_still_valid(asked: list | None, config_file: Path):
    """The no-change answer asked before the lock, when no build recorded another site
    since (the record's stamp was taken before the answer), or the record now there is of
    other inputs than these (then site/ is not their build either): asking again under
    the lock walked content/ a second time, 0.07 s of a one-edit build at 10,000 entries.
    None: ask again."""
    if not asked:
        return None
    from .build.unchanged import record_stamp, recorded_fingerprint

    stamp, done = asked[-1]
    if done is None:
        return None
    cache_dir = _cache_dir(config_file)
    if record_stamp(cache_dir) == stamp:
        return done
    return done if done[2] is None and recorded_fingerprint(cache_dir) != done[0] else None


def _report_unchanged(args, config_file: Path, started: float, done=None, wait_for_record: bool = False, asked: list | None = None) -> bool:
    """Say so and return True when site/ is already the build of these inputs (`done`:
    _unchanged_site's answer, else asked here; `asked` gets (record stamp, answer) for
    the build to reuse, see _answer_still_valid).

    Asked before the build lock too (`wait_for_record`): a no-change run needs only the
    record the last build left, not its caches. Right after a build, its child still
    writes them holding the lock (build/aftercare.py) but writes that record first: the
    run then waits for the record alone, and not at all when the lock's note says the
    record will be of other inputs (an edit right after a build). Under the lock the
    answer is asked again when another build recorded these inputs meanwhile."""
    if wait_for_record:
        lock = lock_path(args.root.resolve())
        lock.parent.mkdir(parents=True, exist_ok=True)
        if not (lock_is_free(lock) or holder_is_finishing(lock)):
            return False  # a build is running: it may be replacing site/ now (asked under the lock)
    from .build.unchanged import is_unchanged, record_stamp

    cache_dir = _cache_dir(config_file)
    stamp = seen = None
    if done is None:
        stamp = record_stamp(cache_dir)  # before the answer: a record written meanwhile is noticed
        done = _unchanged_site(args, config_file)
        seen = record_stamp(cache_dir)  # the newest record that answer may have read
    if done is not None and done[2] is None and wait_for_record and pending_record(lock) in (None, done[0]):
        # the record being written may say site/ is these inputs' build: wait for it (a
        # finishing build that records other inputs, or none, cannot change the answer)
        deadline = time.monotonic() + RECORD_WAIT_MAX
        while record_being_written(lock) and record_stamp(cache_dir) == seen and time.monotonic() < deadline:
            time.sleep(0.02)
        now = record_stamp(cache_dir)
        if now != seen:  # written after the answer above (never one it walked site/ against)
            fingerprint, target, _ = done
            stamp, done = now, (fingerprint, target, is_unchanged(cache_dir, fingerprint, target, fresh=True))
    if asked is not None and done is not None:
        asked.append((stamp, done))
    if done is None or done[2] is None:
        return False
    _, target, record = done
    print(f"Không có gì thay đổi: {_show(target, args.root)} đã là bản mới nhất ({record.get('pages', 0)} trang, {time.monotonic() - started:.1f} giây).")
    print_view_hint()
    return True


def _unchanged_site(args, config_file: Path):
    """(input fingerprint, target, record of the last build if it made target from the
    same inputs); None when the inputs cannot be fingerprinted without mkdocs."""
    from .build.unchanged import input_fingerprint, is_unchanged, load_config, site_dir_of

    loaded = load_config(config_file)  # one parse for the site folder and the fingerprint
    site_dir = (args.root / args.site_dir) if args.site_dir else site_dir_of(loaded, config_file)
    if site_dir is None:
        return None
    target = site_dir.resolve()
    fingerprint = input_fingerprint(config_file, {"strict": bool(args.strict), "site_dir": str(target)}, loaded)
    return fingerprint, target, is_unchanged(_cache_dir(config_file), fingerprint, target)


def print_view_hint() -> None:
    """The last line of `dvk build` says how to look at the result: site/ opened as files has no search."""
    print(f"Xem trang: {_dvk_command()} serve rồi mở http://{DEFAULT_ADDR}/ (soạn nội dung trong trình duyệt: {_dvk_command()} edit, trang /admin/).")


def cmd_serve(args) -> int:
    config_file = _config_path(args)
    if config_file is None:
        return EXIT_USAGE
    _quiet_mkdocs_banner()
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .servewatch import use_native_watching

    use_native_watching()  # a saved file reported by the kernel, not found by rescanning content/
    _attach_log_handler(logging.INFO)
    print(f"Xem trước tại http://{args.dev_addr}/ — nhấn Ctrl+C để dừng.")
    try:
        serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True)
    except (Abort, PluginError, ConfigurationError) as error:
        message = str(error).strip()
        if message and not message.startswith("Aborted with"):
            print(message, file=sys.stderr)
        print("Không dựng được trang xem trước — sửa lỗi ở trên rồi chạy lại dvk serve.", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def swap_into_place(staging: Path, target: Path, background: bool = False, spare: Path | None = None) -> None:
    """Replace target with staging in one step where Linux allows (renameat2 RENAME_EXCHANGE),
    else by two renames; a reader sees the old site or the new one, never a mix.
    The old site becomes `spare` (for the next build to update, build/kept.py), or is
    deleted: after returning with `background` (see build.kept.remove_later)."""
    later = remove_later if background else (lambda folder: shutil.rmtree(folder, ignore_errors=True))

    def remove(folder: Path) -> None:
        if spare is not None and not spare.exists():
            try:
                os.rename(folder, spare)
                return
            except OSError:
                pass
        later(folder)

    for leftover in target.parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # an interrupted earlier removal
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists() and _exchange(staging, target):
        os.replace(staging, old)  # staging now holds the old site
        remove(old)
        return
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    remove(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


class _PlainHandler(logging.Handler):
    """mkdocs log lines as an editor should read them: the message, no logger names."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if logging.WARNING <= record.levelno < logging.ERROR and record.name != "mkdocs.plugins.dvk":
            message = f"cảnh báo: {message}"
        print(message, file=sys.stderr)


def _attach_log_handler(level: int = logging.WARNING) -> logging.Handler:
    handler = _PlainHandler(level)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.INFO))
    logger.propagate = False
    return handler


def _config_path(args) -> Path | None:
    path = (args.root / args.config).resolve()
    if not path.is_file():
        print(f"dvk: lỗi: không tìm thấy {args.config} trong {args.root.resolve()} — chạy lệnh từ thư mục gốc của dự án hoặc dùng --root", file=sys.stderr)
        return None
    return path


def _quiet_mkdocs_banner() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _dvk_command() -> str:
    """How the user started dvk (".venv/bin/dvk" after setup.sh), to repeat it verbatim."""
    launched = Path(sys.argv[0])
    if launched.name == "dvk":
        try:
            return launched.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return "dvk"
    return "dvk"


def _show(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)

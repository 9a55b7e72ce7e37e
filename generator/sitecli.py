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
from pathlib import Path

from .buildlock import BuildBusy, hold_build_lock, lock_path, remove_leftovers

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
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
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định: 127.0.0.1:8000)")
    p.set_defaults(handler=cmd_serve)


def cmd_build(args) -> int:
    config_file = _config_path(args)
    if config_file is None:
        return EXIT_USAGE
    try:
        with hold_build_lock(lock_path(args.root.resolve()), args.wait, on_wait=_say_waiting):
            return _build_locked(args, config_file)
    except BuildBusy as busy:
        holder = f" (tiến trình {busy.holder})" if busy.holder else ""
        print(f"Sau {args.wait:.0f} giây, lần dựng khác trong dự án này{holder} vẫn chưa xong; site/ giữ nguyên. "
              "Hãy chờ nó xong rồi chạy lại dvk build (hoặc dừng nó nếu nó bị treo, hoặc dùng --wait để chờ lâu hơn).", file=sys.stderr)
        return EXIT_CONTENT


def _say_waiting(holder: int | None) -> None:
    who = f" (tiến trình {holder})" if holder else ""
    print(f"Một lần dựng khác đang chạy trong dự án này{who}; đang chờ nó xong rồi mới dựng…", file=sys.stderr, flush=True)


def _build_locked(args, config_file: Path) -> int:
    """The build proper; runs only while this process holds the project's build lock."""
    _quiet_mkdocs_banner()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    handler = _attach_log_handler()
    started = time.monotonic()
    try:
        config = load_config(config_file=str(config_file))
        target = (args.root / args.site_dir).resolve() if args.site_dir else Path(config.site_dir)
        staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        for leftover in remove_leftovers(target):
            print(f"Đã xoá thư mục tạm {leftover.name} do một lần dựng bị dừng giữa chừng để lại.", file=sys.stderr)
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=args.strict or config.strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, PluginError, ConfigurationError) as error:
        _discard(locals().get("staging"))
        message = str(error).strip()
        if message and not message.startswith("Aborted with"):
            print(message, file=sys.stderr)
        print("Không dựng được trang web; site/ giữ nguyên bản cũ.", file=sys.stderr)
        return EXIT_CONTENT
    except BaseException:
        _discard(locals().get("staging"))
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    swap_into_place(staging, target)
    pages = sum(1 for _ in target.rglob("index.html"))
    print(f"Đã dựng {pages} trang vào {_show(target, args.root)} trong {time.monotonic() - started:.1f} giây.")
    return EXIT_OK


def cmd_serve(args) -> int:
    config_file = _config_path(args)
    if config_file is None:
        return EXIT_USAGE
    _quiet_mkdocs_banner()
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

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


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace target with staging in one step where Linux allows (renameat2 RENAME_EXCHANGE),
    else by two renames; a reader sees the old site or the new one, never a mix."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


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


def _discard(path) -> None:
    if path is not None and Path(path).exists():
        shutil.rmtree(path, ignore_errors=True)


def _quiet_mkdocs_banner() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _show(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)

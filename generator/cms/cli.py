"""`dvk cms-config` (print the generated Decap config) and `dvk edit` (preview + local
editing in the browser, no server account: Decap's decap-server writes into content/)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import LOCAL_PORT_ENV, admin_options
from .config import LOCAL_BACKEND_PORT
from ..sitecli import DEFAULT_ADDR
from .site import SETUP_COMMAND, find_bundle, node_dirs, render_admin_config

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def register(subparsers, add_root) -> None:
    p = subparsers.add_parser("cms-config", help="in cấu hình trình soạn nội dung web (admin/config.yml)", description="In admin/config.yml của Decap CMS, sinh từ khai báo khóa (generator/schema.py), các danh mục và content/places.yml.")
    add_root(p)
    p.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình mkdocs (mặc định: mkdocs.yml)")
    p.add_argument("--local", action="store_true", help="thêm local_backend (như khi chạy dvk edit)")
    p.set_defaults(handler=cmd_cms_config)

    p = subparsers.add_parser("edit", help="soạn nội dung trong trình duyệt trên máy mình (xem trước + /admin/)", description="Chạy trang xem trước (như dvk serve) cùng máy chủ cục bộ của Decap CMS: mở /admin/ để thêm, sửa mục; tệp được ghi thẳng vào content/ và trang xem trước tự dựng lại. Không cần tài khoản GitHub/GitLab.")
    add_root(p)
    p.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình mkdocs (mặc định: mkdocs.yml)")
    p.add_argument("-a", "--dev-addr", default=DEFAULT_ADDR, help=f"địa chỉ:cổng của trang xem trước (mặc định: {DEFAULT_ADDR})")
    p.add_argument("--cms-port", type=int, default=LOCAL_BACKEND_PORT, help=f"cổng của máy chủ cục bộ Decap (mặc định: {LOCAL_BACKEND_PORT})")
    p.set_defaults(handler=cmd_edit)


def _plugin_options(config_file: Path):
    """The dvk plugin's options from mkdocs.yml (cms_backend…), as the build reads them."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    plugin = config.plugins["dvk"]
    return plugin.config, config


def cmd_cms_config(args) -> int:
    from ..places import load_places

    config_file = (args.root / args.config).resolve()
    if not config_file.is_file():
        print(f"dvk: lỗi: không tìm thấy {args.config} trong {args.root.resolve()}", file=sys.stderr)
        return EXIT_USAGE
    if args.local:
        os.environ.setdefault(LOCAL_PORT_ENV, str(LOCAL_BACKEND_PORT))
    plugin, mk = _plugin_options(config_file)
    root = config_file.parent
    places = load_places(root / plugin.content_dir / "places.yml", root)
    for problem in places.problems:
        print(problem.format(), file=sys.stderr)
    options = admin_options(plugin.cms_backend, plugin.cms_editorial_workflow, plugin.content_dir, mk.site_url or "")
    sys.stdout.write(render_admin_config(root, places, options))
    return EXIT_CONTENT if places.problems else EXIT_OK


def find_decap_server(root: Path) -> Path | None:
    for node_dir in node_dirs(root):
        script = node_dir / "node_modules" / "decap-server" / "dist" / "index.js"
        if script.is_file():
            return script
    return None


def start_decap_server(script: Path, root: Path, port: int) -> subprocess.Popen:
    """decap-server in file-system mode, bound to loopback: it reads and writes files under
    root only (it refuses paths outside it), no git commits; the editor commits as usual."""
    env = dict(os.environ, PORT=str(port), MODE="fs", GIT_REPO_DIRECTORY=str(root), BIND_HOST="127.0.0.1", LOG_LEVEL="warn")
    return subprocess.Popen([shutil.which("node") or "node", str(script)], env=env, cwd=str(root))


def wait_for_port(port: int, server: subprocess.Popen, timeout: float = 20.0) -> bool:
    """True once our decap-server listens; False if it exited (port taken) or never came up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def cmd_edit(args) -> int:
    from ..sitecli import cmd_serve

    root = args.root.resolve()
    script = find_decap_server(root)
    if script is None or shutil.which("node") is None or find_bundle(root) is None:
        print(f"dvk: lỗi: chưa cài Decap CMS hoặc Node.js — chạy {SETUP_COMMAND} --test (cần Node.js 18 trở lên), rồi chạy lại dvk edit", file=sys.stderr)
        return EXIT_USAGE
    server = start_decap_server(script, root, args.cms_port)
    try:
        signal.signal(signal.SIGTERM, _stop)  # a terminated `dvk edit` stops decap-server too
        if not wait_for_port(args.cms_port, server):
            print(f"dvk: lỗi: máy chủ cục bộ Decap không chạy được ở cổng {args.cms_port} — cổng đang bận? thử --cms-port 8082", file=sys.stderr)
            return EXIT_USAGE
        os.environ[LOCAL_PORT_ENV] = str(args.cms_port)
        print(f"Soạn nội dung tại http://{args.dev_addr}/admin/ (lưu là ghi vào content/, trang xem trước tự cập nhật).")
        return cmd_serve(args)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()

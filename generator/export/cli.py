"""`dvk export`: the site's open-data files written to a folder, without building the site."""

from __future__ import annotations

import os
from pathlib import Path

from . import FORMATS


def register(subparsers, add_root) -> None:
    p = subparsers.add_parser("export", help="xuất dữ liệu mở (JSON, CSV) ra thư mục", description="Ghi các tệp dữ liệu mở (entries, events, awards, places và JSON Schema) giống hệt bản đăng trên trang web, vào một thư mục.")
    add_root(p)
    p.add_argument("--format", choices=(*FORMATS, "all"), default="all", help="json, csv hoặc all (mặc định: all)")
    p.add_argument("--output", default="build/data", help="thư mục ghi ra (mặc định: build/data)")
    p.add_argument("--site-url", default="", help="địa chỉ gốc của trang web để ghi url tuyệt đối (mặc định: site_url trong mkdocs.yml)")
    p.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    from ..cli import load_site_or_report
    from .files import DATA_DIR, collect_data_files

    site = load_site_or_report(args.root)
    if site is None:
        return 1
    formats = FORMATS if args.format == "all" else (args.format,)
    base = args.site_url or _site_url(args.root)
    if base and not base.endswith("/"):
        base += "/"
    target = (args.root / args.output).resolve()
    written = 0
    for spec in collect_data_files(site, base, formats):
        path = target / spec.path.removeprefix(f"{DATA_DIR}/")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(spec.content)
        partial.replace(path)
        written += 1
    print(f"Đã ghi {written} tệp dữ liệu vào {os.path.relpath(target, Path.cwd())}.")
    return 0


def _site_url(root: Path) -> str:
    """site_url from mkdocs.yml when there is one (read as plain YAML, mkdocs not needed)."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return ""
    import yaml

    from ..hostconfig import load_mkdocs_yml

    try:
        data = load_mkdocs_yml(config) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return ""
    if not isinstance(data, dict):
        return ""
    return str(data.get("site_url") or "")

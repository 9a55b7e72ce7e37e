"""The `dvk` command line, in Vietnamese.

Exit codes: 0 success, 1 content errors, 2 usage errors, 70 internal error. No traceback
reaches an editor (set DVK_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .model import ERROR
from .report import REPORT_FORMATS

_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng với %s",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
}


def _translate(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


argparse._ = _translate  # argparse looks its messages up through this module global


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="thư mục gốc của dự án (mặc định: thư mục hiện tại)")


def build_parser() -> argparse.ArgumentParser:
    from .newentry import all_prompted_specs, describe_flag

    parser = argparse.ArgumentParser(
        prog="dvk",
        description="dvk — xuất bản trang trưng bày và sách điển hình phong trào thi đua “Dân vận khéo”.",
        epilog="Xem trợ giúp từng lệnh: dvk <lệnh> --help",
    )
    parser.add_argument("--version", action="version", version=f"dvk {__version__}", help="hiện phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", title="các lệnh", metavar="<lệnh>")

    p = sub.add_parser("validate", help="kiểm tra toàn bộ nội dung trong content/", description="Kiểm tra mọi tệp trong content/ và báo tất cả lỗi cùng lúc: tệp, dòng, khóa, cách sửa.")
    _add_root(p)
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help="định dạng báo cáo: text, json, github (chú thích trên pull request), gitlab (báo cáo Code Quality của merge request); mặc định: text")
    p.add_argument("files", nargs="*", metavar="TỆP", help="chỉ báo lỗi của các tệp này (vẫn kiểm tra toàn bộ nội dung, vì các mục dẫn tới nhau); dùng cho pre-commit")

    p = sub.add_parser("stats", help="thống kê mô hình, điển hình, sự kiện, khen thưởng", description="Các số liệu của trang Thống kê: mục theo địa bàn và lĩnh vực, theo năm, theo cấp; khen thưởng theo cấp và cơ quan trao; sự kiện theo loại; số liệu sự kiện cộng dồn.")
    _add_root(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="định dạng (mặc định: table)")
    p.add_argument("--year", type=int, help="chỉ đếm một năm, ví dụ 2024")
    p.add_argument("--district", help="chỉ đếm một quận, huyện (id hoặc tên, ví dụ tay-ho)")

    p = sub.add_parser("new", help="tạo tệp mục mới từ mẫu", description="Tạo tệp mục mới có đủ mọi khóa kèm chú thích. Thiếu giá trị thì hỏi (khi chạy trên terminal). Không bao giờ ghi đè tệp đã có.")
    _add_root(p)
    p.add_argument("kind", choices=("model", "exemplar", "event"), help="loại mục: model (mô hình), exemplar (điển hình), event (sự kiện)")
    p.add_argument("--id", help="id (tên tệp); mặc định lấy từ tên không dấu")
    for spec in all_prompted_specs().values():
        p.add_argument(f"--{spec.key.replace('_', '-')}", dest=spec.key, help=describe_flag(spec))

    p = sub.add_parser("schema", help="xuất JSON Schema của khai báo (cho trình soạn thảo)", description="In JSON Schema của phần khai báo mô hình/điển hình hoặc sự kiện.")
    p.add_argument("collection", choices=("models", "events"), help="models hoặc events")

    p = sub.add_parser("docs", help="cập nhật bảng các khóa trong README từ khai báo", description="Sinh lại các bảng khóa giữa <!-- dvk:fields … --> và <!-- /dvk:fields --> trong README.md từ schema. Không có --write: chỉ kiểm tra, thoát 1 nếu README đã cũ.")
    _add_root(p)
    p.add_argument("--write", action="store_true", help="ghi lại README.md thay vì chỉ kiểm tra")

    for name, factory in _extra_commands().items():
        factory(sub, _add_root)
    return parser


def _extra_commands() -> dict:
    """Sub-commands contributed by later stages (site, book), registered if importable."""
    found = {}
    for module_name, attr in (("generator.sitecli", "register"), ("generator.cms.cli", "register"), ("generator.book.cli", "register"), ("generator.export.cli", "register"), ("generator.placescli", "register"), ("generator.pagetree", "register")):
        try:
            module = __import__(module_name, fromlist=[attr])
        except ImportError:
            continue
        found[module_name] = getattr(module, attr)
    return found


def cmd_validate(args) -> int:
    from .build import validate_project
    from .report import format_github, format_gitlab, select_problems

    content = validate_project(args.root)
    problems = select_problems(content.problems, args.files, args.root)
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity != ERROR]
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        print(json.dumps({"ok": not failed, "files": content.file_count, "entries": len(content.entries), "errors": len(errors), "warnings": len(warnings), "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    elif args.format == "github":
        sys.stdout.write(format_github(problems, strict=args.strict))
        print(f"Đã kiểm tra {content.file_count} tệp mục: {len(errors)} lỗi, {len(warnings)} cảnh báo.")
    elif args.format == "gitlab":
        sys.stdout.write(format_gitlab(problems))
    else:
        for problem in problems:
            print(problem.format())
        scope = f" (chỉ báo lỗi của {len(args.files)} tệp đã chọn)" if args.files else ""
        print(f"Đã kiểm tra {content.file_count} tệp mục: {len(errors)} lỗi, {len(warnings)} cảnh báo{scope}.")
    return 1 if failed else 0


def load_site_or_report(root: Path):
    """Validate and derive; on errors print them and return None."""
    from .build import validate_project
    from .derive import derive_site

    content = validate_project(root)
    if content.errors:
        for problem in content.problems:
            print(problem.format(), file=sys.stderr)
        print(f"Nội dung có {len(content.errors)} lỗi — hãy sửa trước (dvk validate).", file=sys.stderr)
        return None
    return derive_site(content.entries, content.places)


def cmd_stats(args) -> int:
    from .stats import Scope, collect_tables, format_tables

    site = load_site_or_report(args.root)
    if site is None:
        return 1
    district = None
    if args.district:
        place = site.places.match(args.district)
        if place is None or not place.is_district:
            print(f'dvk stats: không có quận, huyện "{args.district}" — dùng id trong content/places.yml, ví dụ tay-ho', file=sys.stderr)
            return 2
        district = place.id
    sys.stdout.write(format_tables(collect_tables(site, Scope(year=args.year, district=district)), args.format))
    return 0


def cmd_new(args) -> int:
    from .load import find_entry_files
    from .newentry import NewEntryError, all_prompted_specs, gather_values, make_entry_id, render_template, target_path
    from .places import load_places

    root = args.root.resolve()
    content_dir = root / "content"
    places = load_places(content_dir / "places.yml", root)
    if places.problems:
        for problem in places.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    given = {key: getattr(args, key, None) for key in all_prompted_specs()}
    ask = input if sys.stdin.isatty() else None  # ask for what is missing only at a terminal
    try:
        values = gather_values(args.kind, given, places, ask)
        entry_id = make_entry_id(values["title"], args.id)
    except (NewEntryError, EOFError, KeyboardInterrupt) as error:
        print(f"dvk new: lỗi: {error}", file=sys.stderr)
        return 2
    taken = {path.stem: path for _, path in find_entry_files(content_dir)}
    if entry_id in taken:
        print(f"dvk new: lỗi: id \"{entry_id}\" đã có ở {taken[entry_id].relative_to(root)} — không ghi đè; chọn --id khác", file=sys.stderr)
        return 1
    path = target_path(content_dir, args.kind, entry_id, values, places)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(render_template(args.kind, values))
    except FileExistsError:
        print(f"dvk new: lỗi: {path.relative_to(root)} đã tồn tại — không ghi đè", file=sys.stderr)
        return 1
    print(f"Đã tạo {path.relative_to(root).as_posix()} — mở tệp, điền các khóa còn lại rồi chạy: dvk validate")
    return 0


def cmd_schema(args) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(args.collection), ensure_ascii=False, indent=2))
    return 0


def cmd_docs(args) -> int:
    from .docs import DocsError, list_sections, update_readme

    readme = args.root.resolve() / "README.md"
    try:
        text = readme.read_text("utf-8")
        sections = list_sections(text)
        fresh = update_readme(text)
    except FileNotFoundError:
        print(f"dvk docs: lỗi: không tìm thấy {readme} — chạy từ thư mục gốc hoặc dùng --root", file=sys.stderr)
        return 2
    except DocsError as error:
        print(f"dvk docs: lỗi: README.md: {error}", file=sys.stderr)
        return 1
    if not sections:
        print("dvk docs: lỗi: README.md không có đoạn <!-- dvk:fields … --> nào", file=sys.stderr)
        return 1
    if fresh == text:
        print(f"README.md khớp với khai báo ({len(sections)} bảng: {', '.join(sections)}).")
        return 0
    if args.write:
        readme.write_text(fresh, "utf-8")
        print(f"Đã cập nhật README.md ({len(sections)} bảng: {', '.join(sections)}).")
        return 0
    print("README.md chưa khớp với khai báo trong generator/schema.py — chạy: dvk docs --write", file=sys.stderr)
    return 1


COMMANDS = {"validate": cmd_validate, "stats": cmd_stats, "new": cmd_new, "schema": cmd_schema, "docs": cmd_docs}


def main(argv: list[str] | None = None, detach: bool = False) -> int:
    """Run one command; with `detach` (the `dvk` command itself), `dvk build` leaves the
    writing of its caches to a child that outlives it (build/aftercare.py)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.detach = detach
    if not args.command:
        parser.print_help()
        return 2
    handler = COMMANDS.get(args.command) or getattr(args, "handler", None)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - an editor must never see a traceback
        if os.environ.get("DVK_DEBUG"):
            raise
        print(f"dvk: lỗi nội bộ ({error.__class__.__name__}: {error}). Hãy báo lỗi này cho nhóm phát triển; chạy lại với DVK_DEBUG=1 để xem chi tiết.", file=sys.stderr)
        return 70


# Commands whose process ends right after its work, holding the whole site in memory.
QUICK_EXIT = frozenset({"build"})


def run() -> None:
    """Console-script entry point.

    After `dvk build` the interpreter's own teardown freed the millions of objects of the
    validator's cache and the derived site one by one: 0.7 s of a 10,000-entry one-edit
    build, after the site was already in place. Its output is flushed and the process
    ends without that teardown (every file it wrote is closed, its background runs have
    been joined and the old site's removal runs on its own)."""
    quick = len(sys.argv) > 1 and sys.argv[1] in QUICK_EXIT
    code = main(detach=quick)
    if quick:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()

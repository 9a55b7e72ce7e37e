"""`dvk book`: the sub-command, registered by generator/cli.py when this module imports.

Exit codes: 0 written, 1 content errors (validation messages printed, no traceback),
2 wrong options.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .options import GROUPINGS, OptionError, check_options, merge_cli, options_from_config, read_config


def register(subparsers, add_root) -> None:
    """Add the `book` sub-command to the dvk parser."""
    p = subparsers.add_parser(
        "book",
        help="xuất sách điển hình (PDF để in) từ nội dung",
        description=(
            "Tạo sách điển hình “Dân vận khéo” dạng PDF để in: bìa, lời nói đầu, mục lục có số trang, "
            "các chương theo quận rồi lĩnh vực (hoặc theo lĩnh vực), biên niên sự kiện, chỉ mục đơn vị và phường, xã. "
            "Mặc định đọc từ mục `extra: dvk_book:` trong mkdocs.yml; tham số dòng lệnh được ưu tiên. "
            "Các bộ lọc kết hợp với nhau; sự kiện chỉ lọc theo --year và --district."
        ),
    )
    add_root(p)
    p.add_argument("--paper", type=str.upper, choices=("A4", "A5"), help="khổ giấy: A4 hoặc A5 (mặc định: A4)")
    p.add_argument("--year", help="chỉ lấy mục của năm: 2024, 2023-2024 hoặc 2022,2024")
    p.add_argument("--district", help="chỉ lấy mục của quận/huyện hoặc phường: id, cách nhau dấu phẩy (tay-ho,nam-tu-liem)")
    p.add_argument("--level", help="chỉ lấy mục của cấp: co-so, quan, thanh-pho (cách nhau dấu phẩy)")
    p.add_argument("--field", help="chỉ lấy mục của lĩnh vực: kinh-te, van-hoa-xa-hoi, quoc-phong-an-ninh, xay-dung-he-thong-chinh-tri")
    p.add_argument("--ids", help="danh sách id mục cụ thể, cách nhau dấu phẩy (bỏ qua các bộ lọc khác)")
    p.add_argument("--group", choices=GROUPINGS, help="chia chương: district (quận, rồi lĩnh vực) hoặc field (lĩnh vực)")
    p.add_argument("--title", help="tên sách (mặc định lấy trong mkdocs.yml)")
    p.add_argument("--output", "-o", help="tệp PDF ra (mặc định: build/book/sach-dan-van-kheo.pdf)")
    p.add_argument("--compact", action="store_true", help="in các mô hình nối tiếp nhau thay vì mỗi mô hình một trang mới (sách mỏng hơn)")
    p.add_argument("--no-events", action="store_true", help="không in chương biên niên sự kiện")
    p.add_argument("--pdf-variant", choices=("pdf/a-3b", "pdf/ua-1"), help="biến thể PDF (ví dụ pdf/a-3b để lưu trữ)")
    p.add_argument("--quiet", "-q", action="store_true", help="không in thông tin tiến trình")
    p.set_defaults(handler=cmd_book)


def cmd_book(args) -> int:
    from ..cli import load_site_or_report

    root: Path = args.root.resolve()
    try:
        options = check_options(merge_cli(options_from_config(read_config(root)), args))
    except OptionError as error:
        print(f"dvk book: lỗi: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    site = load_site_or_report(root)
    if site is None:
        return 1
    from .build import BookError, build_book

    try:
        result = build_book(root, site, options, variant=getattr(args, "pdf_variant", None))
    except ImportError as error:
        print(f"dvk book: thiếu thư viện để in sách ({error.name or error}) — cài bằng: pip install 'dvk[book]'", file=sys.stderr)
        return 1
    except FileNotFoundError as error:
        if "phông chữ" not in str(error):
            raise
        print(f"dvk book: {error}", file=sys.stderr)
        return 1
    except OptionError as error:
        print(f"dvk book: lỗi: {error}", file=sys.stderr)
        return 2
    except BookError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        print(f"Sách chưa được tạo: {len(error.messages)} lỗi — hãy sửa rồi chạy lại.", file=sys.stderr)
        return 1
    pdf = result.pdf
    if not args.quiet:
        shown = pdf.path.relative_to(root) if pdf.path.is_relative_to(root) else pdf.path
        print(
            f"Đã tạo {shown.as_posix()}: {pdf.pages} trang, {result.book.model_count} mô hình, điển hình, "
            f"{result.book.event_count} sự kiện, {pdf.size / 1_000_000:.1f} MB, {time.perf_counter() - started:.1f} giây."
        )
        for message in dict.fromkeys(pdf.warnings):
            print(f"[cảnh báo] {message}", file=sys.stderr)
    return 0

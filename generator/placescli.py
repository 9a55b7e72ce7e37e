"""`dvk places update` and `dvk places stats`: the registry from the dataset, in Vietnamese.

The province comes from `--province`, else from mkdocs.yml (`extra: dvk_places:
province:`), else Hà Nội: a province's Ban Dân vận changes configuration, not code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from .hostconfig import load_mkdocs_yml

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def register(subparsers, add_root) -> None:
    p = subparsers.add_parser("places", help="sổ đơn vị hành chính: tạo lại từ bộ dữ liệu, thống kê", description="Sổ đơn vị hành chính content/places.yml.")
    sub = p.add_subparsers(dest="places_command", title="các lệnh", metavar="<lệnh>")
    u = sub.add_parser(
        "update",
        help="tạo lại content/places.yml từ bộ dữ liệu đơn vị hành chính",
        description="Ghi content/places.yml (mọi quận, huyện, phường, xã trước và từ 1/7/2025, mã, tọa độ, bảng chuyển đổi) từ bộ dữ liệu vietnamadminunits và vietnam-provinces. Cùng dữ liệu thì cùng tệp.",
    )
    add_root(u)
    u.add_argument("--province", help='tỉnh, thành phố (tên hoặc mã, ví dụ "Hà Nội", "Đà Nẵng", 48); mặc định: extra.dvk_places.province trong mkdocs.yml, không có thì Hà Nội')
    u.add_argument("--output", type=Path, help="tệp kết quả (mặc định: content/places.yml)")
    u.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình để đọc tỉnh mặc định (mặc định: mkdocs.yml)")
    u.add_argument("--check", action="store_true", help="không ghi; thoát 1 nếu tệp hiện có khác tệp sẽ sinh ra")
    s = sub.add_parser("stats", help="đếm đơn vị trong content/places.yml", description="Đếm quận/huyện, phường/xã trước 1/7/2025, đơn vị mới và số đơn vị mới thiếu đơn vị tiền thân.")
    add_root(s)
    p.set_defaults(handler=cmd_places, places_parser=p)


def cmd_places(args) -> int:
    if args.places_command == "update":
        return cmd_update(args)
    if args.places_command == "stats":
        return cmd_stats(args)
    args.places_parser.print_help()
    return EXIT_USAGE


def configured_province(root: Path, config: str) -> str | None:
    """`extra: dvk_places: province:` from mkdocs.yml, if set."""
    path = root / config
    try:
        data = load_mkdocs_yml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    places = ((data if isinstance(data, dict) else {}).get("extra") or {}).get("dvk_places") or {}
    value = places.get("province") if isinstance(places, dict) else None
    return str(value) if value not in (None, "") else None


def cmd_update(args) -> int:
    from .placesdata import DEFAULT_PROVINCE, DatasetError, dataset_source, read_registry, render_registry

    root = args.root.resolve()
    province = args.province or configured_province(root, args.config) or DEFAULT_PROVINCE
    output = args.output if args.output is not None else root / "content" / "places.yml"
    try:
        registry = read_registry(province)
    except DatasetError as error:
        print(f"dvk places update: lỗi: {error}", file=sys.stderr)
        return EXIT_USAGE
    text = render_registry(registry, dataset_source())
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print(f"{output}: khác với tệp sinh từ bộ dữ liệu — chạy: dvk places update --province \"{registry.province}\"", file=sys.stderr)
            return EXIT_CONTENT
        print(f"{output}: khớp với bộ dữ liệu.")
        return EXIT_OK
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_bytes(text.encode("utf-8"))
    temporary.replace(output)
    print(f"Đã ghi {output}: {registry.province} — {len(registry.districts)} đơn vị cấp huyện, {len(registry.wards)} phường, xã, thị trấn trước 1/7/2025, {len(registry.new_units)} đơn vị từ 1/7/2025.")
    return EXIT_OK


def format_counts(registry) -> str:
    from .places import count_units

    return "".join(f"{label}: {count}\n" for label, count in count_units(registry))


def cmd_stats(args) -> int:
    from .places import load_places

    root = args.root.resolve()
    registry = load_places(root / "content" / "places.yml", root)
    if registry.problems:
        for problem in registry.problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_CONTENT
    sys.stdout.write(format_counts(registry))
    return EXIT_OK

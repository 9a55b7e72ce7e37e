"""bench/RESULTS.md from the figures bench/scale.py measured: one row per N, ratios, targets."""

from __future__ import annotations

from pathlib import Path

PEERS = ("dvk", "material", "hugo")
PEER_NAMES = {"dvk": "dvk", "material": "mkdocs-material (thuần)", "hugo": "Hugo"}

MB = 1_000_000
KB = 1_000

# key, label, divisor, decimals
METRICS = (
    ("cold_s", "dựng lần đầu (s)", 1, 1),
    ("cold_cpu", "CPU dựng lần đầu (s)", 1, 1),
    ("nochange_s", "dựng lại, không đổi gì (s)", 1, 2),
    ("edit_s", "dựng lại sau 1 sửa (s)", 1, 2),
    ("edit_cpu", "CPU dựng lại sau 1 sửa (s)", 1, 2),
    ("add_s", "dựng lại sau thêm 1 mục (s)", 1, 2),
    ("edit2_s", "dựng lại sau 1 sửa nữa (s)", 1, 2),
    ("serve_edit_s", "serve: 1 sửa → trang mới (s)", 1, 2),
    ("rss_max", "RSS đỉnh, tiến trình lớn nhất (MB)", MB, 0),
    ("rss_tree", "RSS đỉnh, cả cây tiến trình (MB)", MB, 0),
    ("site_bytes", "dung lượng site (MB)", MB, 1),
    ("site_files", "số tệp", 1, 0),
    ("page_max", "trang mục lớn nhất (KB)", KB, 1),
    ("page_median", "trang mục trung vị (KB)", KB, 1),
    ("query_bytes", "truy vấn tìm đầu tiên (KB)", KB, 0),
    ("shown_ms", "kết quả sau khi ngừng gõ, trung vị (ms)", 1, 0),
)
ROW_KEYS = ("cold_s", "nochange_s", "edit_s", "add_s", "edit2_s", "serve_edit_s", "rss_max", "site_bytes", "page_max", "page_median", "query_bytes", "shown_ms")

# Issue 9's targets at N = 10,000: (key, limit, label)
TARGETS = (
    ("cold_s", 30, "dựng lần đầu kèm tìm kiếm ≤ 30 s"),
    ("edit_s", 2, "dựng lại sau 1 sửa ≤ 2 s"),
    ("nochange_s", 1, "dựng lại không đổi ≤ 1 s"),
    ("serve_edit_s", 2, "serve: 1 sửa ≤ 2 s"),
    ("rss_max", 1_000 * MB, "RSS đỉnh ≤ 1 GB"),
    ("page_max", 20 * KB, "trang mục ≤ 20 KB"),
    ("query_bytes", 500 * KB, "truy vấn đầu ≤ 500 KB"),
    ("shown_ms", 300, "kết quả ≤ 300 ms sau khi ngừng gõ"),
)


def _value(figures: dict, key: str) -> str:
    for k, _, divisor, decimals in METRICS:
        if k == key:
            value = figures.get(key)
            if value is None:
                return "—"
            return f"{value / divisor:,.{decimals}f}".replace(",", " ")
    return "—"


def _ratio(figures: dict, peer: dict, key: str) -> str:
    a, b = figures.get(key), peer.get(key)
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def render_report(rows: list[dict], machine: dict, queries: list[str]) -> str:
    lines = [
        "# Kết quả đo quy mô (bench/scale.py)",
        "",
        "Sinh bởi `nice -n 5 .venv/bin/python bench/scale.py` — không sửa tay. Mỗi lần dựng là một",
        "tiến trình mới; dvk, mkdocs-material thuần (một trang mỗi mục, ngoài menu, có plugin search)",
        "và Hugo (bố cục tối giản trong bench/hugo/) dựng cùng một bộ mục sinh ra trong cùng lần chạy.",
        "",
        "| | |",
        "|---|---|",
        f"| máy | {machine['machine']} |",
        f"| thời điểm | {machine['date']} (tải trung bình lúc ghi: {', '.join(f'{x:.1f}' for x in machine['load'])}) |",
        f"| commit | {machine['commit']} |",
        f"| phiên bản | {machine['versions']} |",
        "",
        "## dvk, mỗi dòng một cỡ N",
        "",
        "| N | " + " | ".join(label for key, label, _, _ in METRICS if key in ROW_KEYS) + " |",
        "|---:|" + "---:|" * len(ROW_KEYS),
    ]
    for row in rows:
        lines.append(f"| {row['size']:,} | ".replace(",", " ") + " | ".join(_value(row["dvk"], key) for key in ROW_KEYS) + " |")
    lines += ["", "## Tỉ số dvk ÷ mkdocs-material và dvk ÷ Hugo (cùng lần chạy)", ""]
    lines += ["| N | so với | " + " | ".join(label for key, label, _, _ in METRICS if key in ROW_KEYS) + " |", "|---:|---|" + "---:|" * len(ROW_KEYS)]
    for row in rows:
        for peer in PEERS[1:]:
            lines.append(f"| {row['size']:,} | {PEER_NAMES[peer]} | ".replace(",", " ") + " | ".join(_ratio(row["dvk"], row[peer], key) for key in ROW_KEYS) + " |")
    for row in rows:
        lines += ["", f"## N = {row['size']:,}: mọi số đo".replace(",", " "), ""]
        lines += ["| số đo | dvk | mkdocs-material | Hugo | dvk ÷ material | dvk ÷ Hugo |", "|---|---:|---:|---:|---:|---:|"]
        for key, label, _, _ in METRICS:
            lines.append(f"| {label} | {_value(row['dvk'], key)} | {_value(row['material'], key)} | {_value(row['hugo'], key)} | {_ratio(row['dvk'], row['material'], key)} | {_ratio(row['dvk'], row['hugo'], key)} |")
    lines += _targets(rows)
    lines += [
        "",
        "Ghi chú: “RSS đỉnh, tiến trình lớn nhất” là số `/usr/bin/time -v` báo (getrusage của cây tiến trình);",
        "“cả cây” cộng RSS mọi tiến trình con cùng lúc (lấy mẫu /proc mỗi 0,2 s). “truy vấn tìm đầu tiên”:",
        "byte trình duyệt nhận cho lần tìm đầu (Chromium, bộ nhớ đệm trống): mọi thứ từ phím đầu tiên tới khi",
        "kết quả đủ, cộng phần máy tìm kiếm đã tải sẵn khi mở trang (mã, chỉ mục, danh sách trang, bộ lọc;",
        "không tính tệp giao diện tải cùng trang); lấy truy vấn nặng nhất trong " + ", ".join(f"“{q}”" for q in queries) + ".",
        "Với mkdocs-material đó là search_index.json và worker tìm kiếm của nó. Thời gian: từ phím cuối tới",
        "khi kết quả hiện, gõ 40 ms mỗi ký tự, trung vị các truy vấn (đã gồm thời gian chờ gõ của giao diện).",
        "Hugo không có tìm kiếm. Máy dùng chung: thời gian thực (s) dao động theo tải; CPU (s) ít dao động hơn.",
        "",
    ]
    return "\n".join(lines)


def _targets(rows: list[dict]) -> list[str]:
    big = max(rows, key=lambda r: r["size"])
    dvk, material = big["dvk"], big["material"]
    lines = ["", f"## Mục tiêu của issue 9 ở N = {big['size']:,}".replace(",", " "), "", "| mục tiêu | đo được | đạt |", "|---|---:|:---:|"]
    for key, limit, label in TARGETS:
        value = dvk.get(key)
        lines.append(f"| {label} | {_value(dvk, key)} | {'—' if value is None else ('có' if value <= limit else 'không')} |")
    if material.get("cold_s"):
        share = dvk["cold_s"] / material["cold_s"]
        lines.append(f"| dựng lần đầu ≤ 0,6 × mkdocs-material | {share:.2f}× | {'có' if share <= 0.6 else 'không'} |")
    smaller = [r for r in rows if r["size"] < big["size"]]
    if smaller:
        prev = max(smaller, key=lambda r: r["size"])
        growth = dvk["cold_s"] / prev["dvk"]["cold_s"]
        allowed = 3.5 * big["size"] / 10_000 * 3_000 / prev["size"]
        lines.append(f"| tăng tuyến tính: {prev['size']:,} → {big['size']:,} trong {allowed:.1f}× | {growth:.2f}× | {'có' if growth <= allowed else 'không'} |".replace(",", " "))
    return lines


def write_report(path: Path, rows: list[dict], machine: dict, queries: list[str]) -> None:
    path.write_text(render_report(rows, machine, queries), encoding="utf-8")

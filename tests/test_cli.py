"""The dvk command as an editor uses it: help, exit codes, new, stats, schema."""

import json
from pathlib import Path

from conftest import run_dvk


def test_help_is_vietnamese(project):
    result = run_dvk("--help", cwd=project)
    assert result.returncode == 0
    assert "Cách dùng: dvk" in result.stdout and "kiểm tra toàn bộ nội dung" in result.stdout
    sub = run_dvk("new", "--help", cwd=project)
    assert "tùy chọn" in sub.stdout and "show this help" not in sub.stdout


def test_usage_error_exits_2_in_vietnamese(project):
    result = run_dvk("validate", "--format", "xml", cwd=project)
    assert result.returncode == 2
    assert "lỗi" in result.stderr and "Traceback" not in result.stderr


def test_new_writes_a_named_file_that_validates(project):
    result = run_dvk("new", "model", "--title", "Ngày cuối tuần xanh", "--unit", "UBND phường Định Công",
                     "--ward", "dinh-cong", "--field", "Văn hóa - Xã hội", "--level", "co-so", "--year", "2024",
                     "--summary", "Mỗi cuối tuần, người dân cùng dọn vệ sinh đường làng ngõ xóm.", cwd=project)
    assert result.returncode == 0, result.stderr
    created = project / "content/models/dinh-cong/ngay-cuoi-tuan-xanh.md"
    text = created.read_text("utf-8")
    assert "field: \"van-hoa-xa-hoi\"" in text
    assert "# Liên quan" in text and "awards: []" in text  # every field, commented in Vietnamese
    assert run_dvk("validate", "--strict", cwd=project).returncode == 0
    again = run_dvk("new", "model", "--title", "Ngày cuối tuần xanh", "--unit", "x", "--ward", "dinh-cong",
                    "--field", "kinh-te", "--level", "co-so", "--year", "2024", "--summary", "x", cwd=project)
    assert again.returncode == 1 and "không ghi đè" in again.stderr
    assert created.read_text("utf-8") == text


def test_new_event_and_exemplar(project):
    event = run_dvk("new", "event", "--title", "Hội nghị biểu dương 2025", "--type", "bieu-duong", "--date", "2025-01-19",
                    "--district", "tay-ho", "--organizer", "Quận ủy Tây Hồ", "--summary", "Biểu dương điển hình.", cwd=project)
    exemplar = run_dvk("new", "exemplar", "--title", "Bà Nguyễn Thị Thủy", "--subject", "person", "--unit", "Tổ dân phố 5",
                       "--ward", "thuy-khue", "--field", "kinh-te", "--level", "co-so", "--year", "2024", "--summary", "x", cwd=project)
    assert event.returncode == 0 and exemplar.returncode == 0, event.stderr + exemplar.stderr
    assert (project / "content/events/hoi-nghi-bieu-duong-2025.md").exists()
    assert (project / "content/models/thuy-khue/ba-nguyen-thi-thuy.md").exists()
    assert run_dvk("validate", cwd=project).returncode == 0


def test_new_rejects_bad_values_with_a_hint(project):
    result = run_dvk("new", "model", "--title", "X", "--unit", "x", "--district", "tay-hoo", "--field", "kinh-te",
                     "--level", "co-so", "--year", "2024", "--summary", "x", cwd=project)
    assert result.returncode == 2 and "tay-ho" in result.stderr
    missing = run_dvk("new", "model", "--title", "X", cwd=project)
    assert missing.returncode == 2 and "--unit" in missing.stderr


def test_new_asks_questions_when_values_are_missing(project):
    """On a terminal, dvk new asks for what the flags did not give."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO

    master, slave = pty.openpty()
    answers = ["Tổ hòa giải", "Tổ dân phố số 5", "", "thuy-khue", "van-hoa-xa-hoi", "co-so", "2024", "Hòa giải mâu thuẫn."]
    proc = subprocess.Popen([sys.executable, "-m", "generator", "new", "model"], cwd=project, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PYTHONPATH": str(REPO), "LANG": "C.UTF-8"})
    os.write(master, ("\n".join(answers) + "\n").encode())
    out, err = proc.communicate(timeout=60)
    os.close(master)
    os.close(slave)
    assert proc.returncode == 0, err.decode()
    text = (project / "content/models/thuy-khue/to-hoa-giai.md").read_text("utf-8")
    assert 'title: "Tổ hòa giải"' in text and "year: 2024" in text


def test_stats_table_and_csv(project):
    table = run_dvk("stats", cwd=project)
    assert table.returncode == 0
    assert "Quận Tây Hồ" in table.stdout and "Xây dựng hệ thống chính trị" in table.stdout
    csv = run_dvk("stats", "--format", "csv", cwd=project)
    lines = csv.stdout.splitlines()
    assert lines[0] == "bang,muc,cot,so_luong"
    assert {"tong-quan,Mô hình,Số lượng,1", "tong-quan,Điển hình,Số lượng,1", "tong-quan,Sự kiện,Số lượng,1"} <= set(lines)
    assert "khen-thuong-theo-cap,Cấp quận/huyện/thị xã,Số khen thưởng,2" in lines
    year = run_dvk("stats", "--year", "1999", cwd=project)
    assert year.returncode == 0 and "Mô hình" in year.stdout and "Quận Tây Hồ" not in year.stdout
    unknown = run_dvk("stats", "--district", "khong-co", cwd=project)
    assert unknown.returncode == 2 and "khong-co" in unknown.stderr


def test_stats_refuses_broken_content(project):
    (project / "content/models/tay-ho/ngay-khong-giay-hen.md").write_text("---\nkind: x\n---\n", "utf-8")
    result = run_dvk("stats", cwd=project)
    assert result.returncode == 1 and "kind" in result.stderr


def test_validate_json_for_tools(project):
    result = run_dvk("validate", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert data == {"ok": True, "files": 3, "entries": 3, "errors": 0, "warnings": 0, "problems": []}


def test_schema_lists_every_key_and_vocabulary(project):
    result = run_dvk("schema", "models", cwd=project)
    schema = json.loads(result.stdout)
    assert {"kind", "title", "district", "ward", "field", "level", "year", "summary", "awards"} <= set(schema["properties"])
    assert schema["properties"]["field"]["enum"] == ["kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh", "xay-dung-he-thong-chinh-tri"]
    assert "summary" in schema["required"] and schema["additionalProperties"] is False


def test_missing_content_folder_is_a_clear_error(tmp_path: Path):
    result = run_dvk("validate", cwd=tmp_path)
    assert result.returncode == 1 and "places.yml" in result.stdout

"""Static files (theme scripts, styles, docs/ files) placed from the output cache
(mkdocs_static.py) end as mkdocs would leave them, on a first build and on an update of
the kept tree alike: a template named in extra_templates is rendered, a docs/ file at a
path a template writes loses to it, and an edited stylesheet is published."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitehelpers import REPO, SITE_MINI, make_project, wait_for_spare_maker

ENTRY = "content/models/tay-ho/ngay-khong-giay-hen.md"


def build(project: Path, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache))
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_templates_and_docs_files_are_published_as_mkdocs_would(tmp_path):
    project = make_project(tmp_path / "proj", SITE_MINI / "content")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra_templates:\n  - ghi-chu.txt\n", encoding="utf-8")
    (project / "docs" / "ghi-chu.txt").write_text("Trang: {{ config.site_name }}\n", encoding="utf-8")
    (project / "docs" / "sitemap.xml").write_text("không phải sơ đồ trang\n", encoding="utf-8")
    (project / "docs" / "huong-dan.txt").write_text("Hướng dẫn gửi mô hình.\n", encoding="utf-8")
    site = project / "site"
    for step in ("first build", "update of the kept tree", "update again"):
        build(project, tmp_path / "cache")
        note = (site / "ghi-chu.txt").read_text(encoding="utf-8")
        assert "{{" not in note and note.startswith("Trang: ") and len(note) > len("Trang: \n"), (step, note)
        assert (site / "sitemap.xml").read_text(encoding="utf-8").lstrip().startswith("<?xml"), step
        assert (site / "huong-dan.txt").read_text(encoding="utf-8") == "Hướng dẫn gửi mô hình.\n", step
        css = (site / "assets/dvk/dvk.css").read_bytes()
        assert css == (project / "theme/assets/dvk/dvk.css").read_bytes(), step
        wait_for_spare_maker(site, made=step == "first build")
        sheet = project / "theme/assets/dvk/dvk.css"
        sheet.write_bytes(sheet.read_bytes() + f"\n/* {step} */\n".encode())
        entry = project / ENTRY
        entry.write_text(entry.read_text(encoding="utf-8") + f"\nThêm một dòng ({step}).\n", encoding="utf-8")

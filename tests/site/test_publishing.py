"""The publishing files an editor's repository relies on, run as their CI would run them.

The GitHub workflow, the GitLab pipeline and the pre-commit hooks name commands; these
tests read those files and run the commands on a fixture project, so a renamed flag or a
broken step fails here, not on the first pull request.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from sitehelpers import REPO, SITE_MINI, make_project

SETUP = "bash scripts/setup.sh"  # the README's first command, without the build


def run_line(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """One `run:`/`script:` line in bash, as a CI runner runs it (setup already done)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(REPO / ".cache"))
    return subprocess.run(["bash", "-e", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A content repository as CI checks it out, with the setup step already done (.venv)."""
    project = make_project(tmp_path / "repo", SITE_MINI / "content")
    (project / ".venv").symlink_to(REPO / ".venv")
    return project


def workflow_steps() -> list[str]:
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text("utf-8"))
    return [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]


def gitlab_script() -> list[str]:
    return yaml.safe_load((REPO / ".gitlab-ci.yml").read_text("utf-8"))["check"]["script"]


def break_an_entry(project: Path) -> Path:
    bad = project / "content/models/tay-ho/hong.md"
    bad.write_text('---\nkind: model\ntitle: "Hỏng"\nfield: "nong nghiep"\n---\n', "utf-8")
    return bad


def test_readme_commands_start_both_pipelines():
    readme = (REPO / "README.md").read_text("utf-8")
    assert f"{SETUP} && .venv/bin/dvk build" in readme
    assert workflow_steps()[0] == SETUP and gitlab_script()[0] == SETUP


def test_github_workflow_validates_and_builds(repo_copy):
    for line in workflow_steps()[1:]:
        done = run_line(line, repo_copy)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    assert (repo_copy / "site/index.html").exists()


def test_github_workflow_annotates_the_faulty_line_and_stops(repo_copy):
    break_an_entry(repo_copy)
    validate = workflow_steps()[1]
    done = run_line(validate, repo_copy)
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert any("file=content/models/tay-ho/hong.md,line=4" in e and "field" in e and "kinh-te" in e for e in errors), done.stdout


def test_gitlab_pipeline_reports_code_quality_and_builds_public(repo_copy):
    script = gitlab_script()
    for line in script[1:]:
        done = run_line(line, repo_copy)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    assert json.loads((repo_copy / "gl-code-quality-report.json").read_text("utf-8")) == []
    assert (repo_copy / "public/index.html").exists()


def test_gitlab_pipeline_fails_with_a_report_on_bad_content(repo_copy):
    break_an_entry(repo_copy)
    script = gitlab_script()
    assert run_line(script[1], repo_copy).returncode == 0  # the report step never hides the next
    report = json.loads((repo_copy / "gl-code-quality-report.json").read_text("utf-8"))
    assert any(item["location"]["path"] == "content/models/tay-ho/hong.md" and item["severity"] == "major" for item in report)
    done = run_line(script[2], repo_copy)
    assert done.returncode == 1 and "hong.md" in done.stdout


@pytest.mark.parametrize("hooks_file", [".pre-commit-hooks.yaml", ".pre-commit-config.yaml"])
def test_pre_commit_hook_checks_the_committed_files(repo_copy, hooks_file):
    data = yaml.safe_load((REPO / hooks_file).read_text("utf-8"))
    hook = data[0] if isinstance(data, list) else data["repos"][0]["hooks"][0]
    import re

    bad = break_an_entry(repo_copy)
    good = next((repo_copy / "content/models").rglob("*.md"))
    files = [str(p.relative_to(repo_copy)) for p in (bad, good)]
    assert all(re.search(hook["files"], f) for f in files) and hook["pass_filenames"]
    entry = hook["entry"] if hook["entry"].startswith(".venv/") else ".venv/bin/" + hook["entry"]
    done = run_line(f"{entry} {files[0]} {files[1]}", repo_copy)
    assert done.returncode == 1 and "content/models/tay-ho/hong.md:4: field:" in done.stdout
    done = run_line(f"{entry} {files[1]}", repo_copy)  # the broken file is not in this commit
    assert done.returncode == 0, done.stdout

"""Validation problems where an editor looks: pull-request annotations and MR reports.

GitHub shows `::error file=…,line=…::message` lines from a workflow step on the changed
line of a pull request; GitLab shows a Code Quality report (a JSON artifact) in the merge
request. Both carry the same Vietnamese message and hint as the terminal.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .model import ERROR, Problem

REPORT_FORMATS = ("text", "json", "github", "gitlab")


def select_problems(problems: list[Problem], files: list[str], root: Path) -> list[Problem]:
    """Problems of the given files only (all of them when none is given).

    The whole content is still validated (an entry's references reach other files); this
    only narrows what is reported, e.g. to the files a commit changes (pre-commit). A
    fault in places.yml is always reported: every entry depends on it.
    """
    if not files:
        return list(problems)
    wanted = {_relative(name, root) for name in files}
    return [p for p in problems if p.path in wanted or p.path.endswith("places.yml")]


def _relative(name: str, root: Path) -> str:
    path = Path(name)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def format_github(problems: list[Problem], strict: bool = False) -> str:
    """GitHub Actions workflow commands, one per problem (warnings fail only with --strict)."""
    lines = []
    for problem in problems:
        level = "error" if problem.severity == ERROR or strict else "warning"
        where = f"file={_escape_property(problem.path)}"
        if problem.line:
            where += f",line={problem.line}"
        title = f"dvk: {problem.key}" if problem.key else "dvk"
        message = problem.message + (f" — {problem.hint}" if problem.hint else "")
        lines.append(f"::{level} {where},title={_escape_property(title)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def format_gitlab(problems: list[Problem]) -> str:
    """GitLab Code Quality report (Code Climate JSON subset) for merge requests."""
    issues = []
    for problem in problems:
        text = f"{problem.key}: {problem.message}" if problem.key else problem.message
        if problem.hint:
            text += f" — {problem.hint}"
        digest = hashlib.sha256(f"{problem.path}:{problem.line}:{text}".encode()).hexdigest()
        issues.append({
            "description": text,
            "check_name": f"dvk-{problem.key or 'content'}",
            "fingerprint": digest,
            "severity": "major" if problem.severity == ERROR else "minor",
            "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's escaping for the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

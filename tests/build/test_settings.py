"""Settings and watched files as cache-key inputs (build/settings.py)."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

from generator.build.settings import hook_sources, stable_json, watched_files

REPO = Path(__file__).resolve().parents[2]


def test_path_patterns_in_the_key_are_their_patterns():
    """exclude_docs and not_in_nav are pathspec objects: the key shows their patterns
    (with negation), never an object's address, which would change every build."""
    import pathspec

    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(["*.tmp", "!keep.tmp"])
    assert stable_json({"exclude_docs": spec}) == '{"exclude_docs": ["*.tmp:True", "!keep.tmp:False"]}'

    class Patterns:  # a pathspec release without a __repr__ (before 1.1)
        patterns = spec.patterns

    assert stable_json(Patterns()) == '["*.tmp:True", "!keep.tmp:False"]'


class Extension:  # what a plugin appends to markdown_extensions: an object with its options
    def __init__(self, **options):
        self.options = options


def test_settings_are_written_by_what_they_are_not_where_they_sit_in_memory():
    """A partial (material's recommended TOC slugify), an extension object and a mapping
    with keys of mixed types: written the same each time, different when they differ."""
    def slugify(text, case="lower"):
        return text

    settings = {"slugify": functools.partial(slugify, case="lower"), "ext": [Extension(a=1)], "mixed": {1: "a", "b": "c"}}
    written = stable_json(settings)
    assert " at 0x" not in written
    assert written == stable_json({"slugify": functools.partial(slugify, case="lower"), "ext": [Extension(a=1)], "mixed": {1: "a", "b": "c"}})
    assert written != stable_json({**settings, "slugify": functools.partial(slugify, case="upper")})
    assert written != stable_json({**settings, "ext": [Extension(a=2)]})


def test_the_page_key_is_the_same_in_two_processes(tmp_path):
    """Two runs of the same project give the same key (one process cannot show an address
    that changes between runs: only a second process can)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Thử\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n", encoding="utf-8"
    )
    script = "from mkdocs.config import load_config; from generator.mkdocs_files import context_key; print(context_key(load_config(config_file='mkdocs.yml'), None))"
    keys = {subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}).stdout for _ in range(2)}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_watched_files_leave_out_what_is_keyed_or_passing(tmp_path):
    project = tmp_path / "du-an"
    for name in ("docs/a.md", "content/places.yml", "site/index.html", ".cache/x", "snippets/a.md", "snippets/.an.md", "snippets/a.md.swp", "snippets/4913", "snippets/con/b.md", "snippets/__pycache__/c.pyc"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x", encoding="utf-8")
    inputs, outputs = [project / "docs", project / "content"], [project / "site", project / ".cache"]
    assert watched_files(project / "snippets", inputs, outputs) == [project / "snippets/a.md", project / "snippets/con/b.md"]
    assert watched_files(project / "docs", inputs, outputs) == []  # keyed file by file already
    assert watched_files(project, inputs, outputs) is None  # `watch: [.]`: holds the inputs and the site
    assert watched_files(project / "site", inputs, outputs) is None


def test_a_hook_in_its_own_folder_reads_the_whole_folder(tmp_path):
    """Helper packages and data beside a hook count; a hook in the project's own folder
    counts only the Python beside it (the folder holds the inputs and the site)."""
    hooks = tmp_path / "hooks"
    for name in ("hook.py", "helper.py", "lib/__init__.py", "lib/sub.py", "mark.txt"):
        (hooks / name).parent.mkdir(parents=True, exist_ok=True)
        (hooks / name).write_text("x", encoding="utf-8")
    (tmp_path / "root_hook.py").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    names = [path.relative_to(tmp_path).as_posix() for path in hook_sources(hooks / "hook.py", tmp_path)]
    assert names == ["hooks/hook.py", "hooks/helper.py", "hooks/mark.txt", "hooks/lib/__init__.py", "hooks/lib/sub.py"]
    beside_root = [path.name for path in hook_sources(tmp_path / "root_hook.py", tmp_path)]
    assert beside_root == ["root_hook.py"]

"""The page key's part for plugins and hooks (mkdocs_files.plugin_code)."""

from __future__ import annotations

import importlib.util

from generator.mkdocs_files import plugin_code


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_hook_is_keyed_by_the_code_that_runs(tmp_path):
    """A preview keeps running the hook it loaded at start: until a new module is loaded
    from the edited file, pages are keyed by the code that made them."""
    hook = tmp_path / "hook.py"
    hook.write_text("def on_post_page(output, **kwargs):\n    return output + 'A'\n", encoding="utf-8")
    running = _load(hook, "dvk_test_hook_a")
    first = plugin_code(running)
    assert first
    hook.write_text("def on_post_page(output, **kwargs):\n    return output + 'B'\n", encoding="utf-8")
    assert plugin_code(running) == first, "the loaded module is still the old code"
    assert plugin_code(_load(hook, "dvk_test_hook_b")) != first


def test_dvks_own_plugin_is_left_to_code_version():
    from generator.mkdocs_plugin import DvkPlugin

    assert plugin_code(DvkPlugin()) == ""


def test_path_patterns_in_the_key_are_their_patterns():
    """exclude_docs and not_in_nav are pathspec objects: the key shows their patterns
    (with negation), never an object's address, which would change every build."""
    import pathspec

    from generator.mkdocs_files import _stable

    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(["*.tmp", "!keep.tmp"])
    assert _stable(spec) == ["*.tmp:True", "!keep.tmp:False"]

    class Patterns:  # a pathspec release without a __repr__ (before 1.1)
        patterns = spec.patterns

    assert _stable(Patterns()) == ["*.tmp:True", "!keep.tmp:False"]

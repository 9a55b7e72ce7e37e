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


def test_a_hook_is_keyed_by_the_helper_modules_beside_it(tmp_path):
    """A helper the hook imports from its folder shapes every page as the hook does."""
    (tmp_path / "helper.py").write_text("MARK = 'A'\n", encoding="utf-8")
    hook = tmp_path / "hook.py"
    hook.write_text("def on_post_page(output, **kwargs):\n    return output\n", encoding="utf-8")
    first = plugin_code(_load(hook, "dvk_test_hook_helper_a"))
    (tmp_path / "helper.py").write_text("MARK = 'B'\n", encoding="utf-8")
    assert plugin_code(_load(hook, "dvk_test_hook_helper_b")) != first


def test_dvks_own_plugin_is_left_to_code_version():
    from generator.mkdocs_plugin import DvkPlugin

    assert plugin_code(DvkPlugin()) == ""


def _context_key(tmp_path, extra_yaml: str = "", **overrides) -> str:
    from mkdocs.config import load_config

    from generator.mkdocs_files import context_key

    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: Thử\n" + extra_yaml, encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), **overrides)
    return context_key(config, None)


def test_every_setting_a_page_can_show_is_in_the_page_key(tmp_path):
    """Settings are keyed unless known not to reach a page: a setting the key did not list
    (a template may read any of config) left reused pages showing its old value."""
    base = _context_key(tmp_path)
    for setting in ("copyright: '© Quận Tây Hồ'", "extra_templates: [x.html]", "repo_url: https://example.org/dvk", "dvk_unknown_setting: 1"):
        assert _context_key(tmp_path, setting + "\n") != base, setting


def test_output_place_and_preview_settings_are_not_in_the_page_key(tmp_path):
    """Building into another folder, a preview address or strict mode re-render nothing."""
    base = _context_key(tmp_path)
    assert _context_key(tmp_path, "strict: true\nwatch: [docs]\nremote_branch: pages\n", site_dir=str(tmp_path / "elsewhere"), dev_addr="127.0.0.1:9999") == base


def test_a_watched_folder_is_in_the_page_key(tmp_path):
    """mkdocs.yml `watch:` names what shapes pages besides docs/ (snippets, data a macro
    reads): a preview rebuilt when it changed, and must not reuse the old pages."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "chan-trang.md").write_text("Phiên bản 1\n", encoding="utf-8")
    first = _context_key(tmp_path, "watch: [snippets]\n")
    assert first != _context_key(tmp_path)
    (snippets / "chan-trang.md").write_text("Phiên bản 2\n", encoding="utf-8")
    assert _context_key(tmp_path, "watch: [snippets]\n") != first


def test_a_watched_project_folder_is_no_input_and_is_said(tmp_path, caplog):
    """`watch: [.]` holds docs/, site/ and the cache: keyed whole it changed with every
    build (nothing reused, never "nothing changed"); it is left out, with a warning."""
    base = _context_key(tmp_path)
    with caplog.at_level("WARNING", logger="mkdocs.plugins.dvk"):
        assert _context_key(tmp_path, "watch: [.]\n") == base
    assert any('watch: "' in record.getMessage() and "snippets" in record.getMessage() for record in caplog.records)

"""The web editor's round trip in headless Chromium (Debian's, via Playwright).

`dvk edit` runs the preview and decap-server on a copy of a project; the test logs in to
/admin/ with the local backend (no account), sees the entries, creates a model through the
form with an award and an uploaded photo, saves, and checks what an editor would: the file
passes `dvk validate`, the preview serves its page, `dvk build` publishes it. Then it edits
an existing entry and checks that only the documented normalisation (README, "Soạn trên
trình duyệt") changed the file. Screenshots at 1280 px go to tests/artifacts/cms/, or to
$DVK_CMS_SHOTS (the README's are made with DVK_CMS_SHOTS=assets/readme).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))
from sitehelpers import REPO, SITE_MINI, dvk, make_project  # noqa: E402

CHROMIUM = Path(os.environ.get("DVK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHOTS = Path(os.environ.get("DVK_CMS_SHOTS") or REPO / "tests" / "artifacts" / "cms")
CONTENT = Path(os.environ.get("DVK_CMS_CONTENT") or SITE_MINI / "content")
DISTRICT = "tay-ho"
NEW_TITLE = "Sổ tay thủ tục cho người cao tuổi Đông Ngạc"  # đ in the title: the id must keep it as d
NEW_ID = "so-tay-thu-tuc-cho-nguoi-cao-tuoi-dong-ngac"


def _need_tools():
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    node = REPO / ".cache" / "node"
    if not (node / "decap-cms" / "dist" / "decap-cms.js").exists() or not (node / "node_modules" / "decap-server").exists():
        missing.append("Decap CMS (bash scripts/setup.sh --test)")
    if missing:
        (pytest.fail if IN_CI else pytest.skip)("missing: " + ", ".join(missing))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "dvk edit stopped:\n" + proc.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """`dvk edit` on a copy of the project: (project, admin URL, preview root URL)."""
    _need_tools()
    project = make_project(tmp_path_factory.mktemp("cms") / "proj", CONTENT)
    port, cms_port = _free_port(), _free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(REPO / ".cache"))
    env.pop("DVK_NODE_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "edit", "-a", f"127.0.0.1:{port}", "--cms-port", str(cms_port)],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    root = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(root + "admin/config.yml", 300, proc)
        yield project, root + "admin/", root
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    # decap-server must have stopped with dvk edit
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", cms_port)) != 0, "decap-server still running after dvk edit stopped"


@pytest.fixture(scope="module")
def page(editing):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        tab.set_default_timeout(30_000)
        hosts = set()
        tab.on("request", lambda r: hosts.add(re.sub(r"^https?://([^/:]+).*", r"\1", r.url)) if r.url.startswith("http") else None)
        tab.foreign_hosts = hosts
        _log_in(tab, editing[1])  # once: Decap keeps the local "user" in localStorage
        yield tab
        browser.close()


def _shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / name))


def _control(tab, label: str, nth: int = 0):
    """A form control by its Vietnamese label, as an editor finds it (Decap ties each
    <label for=…> to its input, react-select's included)."""
    found = tab.locator("label", has_text=re.compile("^" + re.escape(label) + r"( \(không bắt buộc\))?$")).nth(nth)
    return tab.locator("#" + found.get_attribute("for"))


def _choose(tab, label: str, option: str, nth: int = 0) -> None:
    """Type into a searchable select and take the first match."""
    _control(tab, label, nth).click()
    tab.keyboard.type(option)
    tab.locator("[class*=-option]", has_text=option).first.wait_for()
    tab.keyboard.press("Enter")


def _publish(tab) -> None:
    tab.get_by_role("button", name="Công bố", exact=True).click()
    tab.get_by_role("menuitem", name="Công bố ngay").click()
    tab.get_by_role("button", name="Đã công bố").wait_for()


def _log_in(tab, admin: str) -> None:
    tab.goto(admin)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.get_by_text("Bộ sưu tập").first.wait_for()


def _wait_file(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.exists(), f"{path} was not written"


def _front_matter(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _a_ward_of(project: Path, district: str):
    from generator.places import load_places

    registry = load_places(project / "content" / "places.yml", project)
    return sorted(registry.wards_of(district), key=lambda p: p.id)[-1]


def _photo(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (214, 225, 235))
    ImageDraw.Draw(image).rectangle((300, 250, 1300, 950), fill=(163, 22, 26))
    image.save(path, quality=80)
    return path


def test_admin_page_is_not_reloaded_by_the_preview(editing):
    """Every save rebuilds the preview; a live-reloaded admin page would lose the open form."""
    _, admin, preview = editing
    with urllib.request.urlopen(admin, timeout=30) as response:
        assert b"/livereload/" not in response.read()
    with urllib.request.urlopen(preview, timeout=30) as response:
        assert b"/livereload/" in response.read()  # the preview pages still reload


def test_admin_lists_the_entries_of_a_district(editing, page):
    project, admin, _ = editing
    page.goto(admin + f"#/collections/models-{DISTRICT}")
    titles = [_front_matter(p.read_text(encoding="utf-8"))[0]["title"] for p in sorted((project / "content" / "models" / DISTRICT).glob("*.md"))]
    assert titles
    for title in titles:
        page.get_by_text(title, exact=True).first.wait_for()
    assert "Tạo nhanh" in page.inner_text("body")  # the UI speaks Vietnamese (locale: vi)
    _shot(page, "cms-danh-sach.png")
    assert page.foreign_hosts <= {"127.0.0.1", "localhost"}, page.foreign_hosts


def test_new_model_through_the_form_is_valid_and_published(editing, page, tmp_path):
    project, admin, preview = editing
    page.goto(admin + f"#/collections/models-{DISTRICT}/new")
    _control(page, "Tên").fill(NEW_TITLE)
    ward = _a_ward_of(project, DISTRICT)
    _control(page, "Đơn vị thực hiện").fill(f"UBND {ward.label}")
    assert "Quận Tây Hồ" in page.inner_text("body")  # the district's collection fills in its district
    _choose(page, "Phường/xã", ward.name)
    _choose(page, "Lĩnh vực", "Văn hóa - Xã hội")
    _choose(page, "Cấp công nhận", "Cấp cơ sở")
    _control(page, "Năm đăng ký").fill("2025")
    _control(page, "Tóm tắt").fill("Cuốn sổ tay in chữ to giúp người cao tuổi tự làm thủ tục hành chính.")
    page.get_by_role("button", name=re.compile("khen thưởng$")).click()
    _control(page, "Tên khen thưởng").fill("Giấy khen của UBND quận Tây Hồ")
    _choose(page, "Cấp khen thưởng", "Cấp quận/huyện/thị xã")
    _control(page, "Năm").fill("2025")
    page.get_by_role("button", name=re.compile("ảnh$")).click()
    _control(page, "Chú thích").fill("Cán bộ phường hướng dẫn người cao tuổi dùng sổ tay")
    page.get_by_role("button", name="Chọn một hình").nth(1).click()  # [0] is the award's own image
    page.locator("input[type=file]").set_input_files(str(_photo(tmp_path / "so-tay.jpg")))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.locator("h2", has_text="Hình ảnh").wait_for(state="detached")
    _control(page, "Tên").scroll_into_view_if_needed()
    _shot(page, "cms-muc-moi.png")
    _publish(page)

    entry = project / "content" / "models" / DISTRICT / f"{NEW_ID}.md"
    _wait_file(entry)
    data, _ = _front_matter(entry.read_text(encoding="utf-8"))
    assert data["title"] == NEW_TITLE and data["district"] == DISTRICT and data["ward"] == ward.id
    assert data["awards"] == [{"title": "Giấy khen của UBND quận Tây Hồ", "level": "quan", "year": 2025}]
    assert data["images"][0]["src"] == "anh/so-tay.jpg"
    assert (entry.parent / "anh" / "so-tay.jpg").read_bytes() == (tmp_path / "so-tay.jpg").read_bytes()

    checked = dvk("validate", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert NEW_ID not in checked.stdout + checked.stderr  # no warning about the new entry either

    # the preview rebuilt on the save: the editor sees the new page without a restart
    page.goto(preview)
    deadline = time.monotonic() + 180
    while NEW_TITLE not in _fetch_all_text(preview, project, NEW_ID) and time.monotonic() < deadline:
        time.sleep(1)
    page.goto(_preview_url(preview, project, NEW_ID))
    page.get_by_role("heading", name=NEW_TITLE).first.wait_for()
    assert "Giấy khen của UBND quận Tây Hồ" in page.inner_text("body")
    _shot(page, "cms-trang-muc.png")

    built = dvk("build", "--site-dir", "public", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    pages = [p for p in (project / "public").rglob("index.html") if NEW_ID in p.parent.name]
    assert pages, "the new entry has no page in the built site"
    html = pages[0].read_text(encoding="utf-8")
    assert NEW_TITLE in html and "Giấy khen của UBND quận Tây Hồ" in html and "<img" in html


def _preview_url(preview: str, project: Path, entry_id: str) -> str:
    """The entry page's URL, from where `dvk build` puts it (same layout as the preview)."""
    found = [p for p in (project / "public").rglob("index.html") if p.parent.name == entry_id] if (project / "public").exists() else []
    if found:
        return preview + found[0].parent.relative_to(project / "public").as_posix() + "/"
    return preview + f"mo-hinh/{entry_id}/"


def _fetch_all_text(preview: str, project: Path, entry_id: str) -> str:
    try:
        with urllib.request.urlopen(_preview_url(preview, project, entry_id), timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def test_saving_an_existing_entry_changes_only_the_edit_and_the_documented_normalisation(editing, page):
    project, admin, _ = editing
    entry = sorted((project / "content" / "models" / DISTRICT).glob("*.md"))[0]
    before = entry.read_bytes()
    data_before, body_before = _front_matter(before.decode("utf-8"))
    page.goto(admin + f"#/collections/models-{DISTRICT}/entries/{entry.stem}")
    title = _control(page, "Tên")
    title.fill(data_before["title"] + " (sửa)")
    _publish(page)
    deadline = time.monotonic() + 30
    while entry.read_bytes() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    after = entry.read_text(encoding="utf-8")
    data_after, body_after = _front_matter(after)
    assert body_after == body_before, "the Markdown body must come back byte for byte"
    assert data_after.pop("title") == data_before.pop("title") + " (sửa)"
    assert data_after == data_before, "every other value must be unchanged"
    assert list(data_after) == [k for k in data_before], "keys keep their order"
    # the normalisation the README documents: plain scalars where YAML allows them, block
    # lists, long strings folded at 80 columns; nothing else
    long_lines = [line for line in after.split("---\n", 2)[1].splitlines() if len(line) > 80]
    assert all(" " not in re.sub(r"^\s*(- )?(\w+: )?", "", line) for line in long_lines), long_lines  # only unbreakable words (URLs)
    assert "[" not in after.split("---\n", 2)[1], "flow lists become block lists"
    checked = dvk("validate", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr

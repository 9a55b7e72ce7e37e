"""Time `dvk build` on the sample content and on generated corpora; growth must be linear.

    python bench/site_build.py [SIZES...]      # default: sample 1000 3000
    python bench/site_build.py --search-bytes PROJECT_DIR [QUERY...]
    python bench/site_build.py --material-index PROJECT_DIR

Each size is built in bench/out/<size>/ (a project made of the repository's mkdocs.yml
and theme/ plus the content), twice: the full build (with the Pagefind index) and the
Pagefind step alone, so the cost of pages and of search can be told apart. Prints a table
and the seconds per 1,000 entries; the reference (plain material, one nav item per page)
took 41 s for 1,000 pages and grew quadratically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import make_corpus  # noqa: E402


def prepare(size: str) -> tuple[Path, int]:
    project = OUT / size
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "theme", project / "theme")
    (project / "docs").mkdir()
    if size == "sample":
        shutil.copytree(REPO / "content", project / "content")
    else:
        make_corpus(int(size), project)
    entries = sum(1 for _ in (project / "content").rglob("*.md"))
    return project, entries


def timed(args: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{done.stderr[-2000:]}")
    return elapsed


def main(sizes: list[str]) -> int:
    rows = []
    for size in sizes:
        project, entries = prepare(size)
        total = timed([sys.executable, "-m", "generator", "build"], project)
        pagefind = timed([sys.executable, "-m", "pagefind", "--site", "site", "--output-subdir", "pagefind", "--quiet"], project)
        pages = sum(1 for _ in (project / "site").rglob("index.html"))
        rows.append((size, entries, pages, total, pagefind))
        print(f"{size:>7}: {entries:>6} mục, {pages:>6} trang, dựng {total:6.1f} s (trong đó Pagefind ~{pagefind:.1f} s)", flush=True)
    print("\nkích thước  mục     trang   tổng (s)  Pagefind (s)  s / 1.000 mục")
    for size, entries, pages, total, pagefind in rows:
        print(f"{size:>9} {entries:>6} {pages:>7} {total:>9.1f} {pagefind:>12.1f} {1000 * total / max(entries, 1):>12.1f}")
    return 0


def measure_search_bytes(site: Path, queries: list[str]) -> None:
    """Bytes a phone downloads: opening the search page, then each query (cold cache)."""
    from playwright.sync_api import sync_playwright

    from localsite import launch_chromium, serve_site

    server, base = serve_site(site)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for query in queries:
            context = browser.new_context(viewport={"width": 360, "height": 780})
            page = context.new_page()
            got: list[tuple[str, int]] = []
            page.on("requestfinished", lambda req: got.append((req.url, req.sizes()["responseBodySize"])))
            page.goto(base + "tim-kiem/")
            page.wait_for_load_state("networkidle")
            opened = sum(size for _, size in got)
            got.clear()
            page.fill("#dvk-search-q", query)
            page.wait_for_selector(".dvk-result a", timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            first = sum(size for _, size in got)
            index = sum(size for url, size in got if "/pagefind/" in url and "fragment" not in url)
            got.clear()
            page.fill("#dvk-search-q", query + " ha noi")
            page.wait_for_timeout(1500)
            again = sum(size for _, size in got)
            print(f"{query!r}: mở trang tìm {opened / 1024:.0f} KiB; truy vấn đầu {first / 1024:.0f} KiB (chỉ mục {index / 1024:.0f} KiB); truy vấn tiếp {again / 1024:.0f} KiB")
            context.close()
        browser.close()
    server.shutdown()


def measure_material_index(project: Path) -> None:
    """Build the project with material's search plugin (as the alternative) and size its index."""
    import gzip

    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    variant = project / "mkdocs-material-search.yml"
    variant.write_text(config.replace("plugins:\n", "plugins:\n  - search:\n      lang: vi\n").replace("search: true", "search: false"), encoding="utf-8")
    timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", variant.name, "-d", "site-material"], project)
    index = project / "site-material" / "search" / "search_index.json"
    raw = index.read_bytes()
    print(f"material search_index.json: {len(raw) / 1024:.0f} KiB ({len(gzip.compress(raw)) / 1024:.0f} KiB gzip), tải toàn bộ ở lần tìm đầu")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--search-bytes"]:
        measure_search_bytes(Path(sys.argv[2]) / "site", sys.argv[3:] or ["dinh cong", "dan van kheo tay ho"])
    elif sys.argv[1:2] == ["--material-index"]:
        measure_material_index(Path(sys.argv[2]))
    else:
        sys.exit(main(sys.argv[1:] or ["sample", "1000", "3000"]))

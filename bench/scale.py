"""How dvk scales, against plain mkdocs-material and Hugo on the same corpus, in one run.

    nice -n 5 .venv/bin/python bench/scale.py                  # N = 1,000, 3,000, 10,000
    nice -n 5 .venv/bin/python bench/scale.py --sizes 1000,3000
    .venv/bin/python bench/scale.py --sizes 1000 --out /tmp/r.md --no-serve

For each N a corpus is generated (bench/make_corpus.py, seeded) and three projects are
made from it (bench/scale_projects.py). Each is built cold, again with no change, after
one entry's story is edited and after one entry is added, each time as a new process
(`dvk build`, `mkdocs build`, `hugo`); then its preview server gets one edit and the time
until the rebuilt page is served is taken. Memory, site size, entry page sizes and the
first search query in Chromium (bytes and time to results) are measured too. Every dvk
figure is also given as a ratio to the two peers measured in the same run. Writes
bench/RESULTS.md (machine, date, commit, one row per N, ratios, targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from localsite import launch_chromium, serve_site  # noqa: E402
from scale_measure import measure_first_query, page_sizes, run_measured, serve_round_trip, tree_size  # noqa: E402
from scale_projects import Projects, add_entry, edit_entry, adopt_set_aside, make_projects, page_path, remove_set_aside, set_aside  # noqa: E402
from scale_report import PEERS, write_report  # noqa: E402

OUT = REPO / "bench" / "out" / "scale"
QUERIES = ["dinh cong", "dan van kheo tay ho", "hoa giai"]
# the page shows the outcome of a search: result links, or a count / "no result" line
# dvk's search page (theme/assets/dvk/search.js over dvk's own index) announces the outcome
# in its status line once the results are on the page: "N kết quả cho “q”" or "Không tìm thấy…"
DVK_DONE = "(document.querySelector('#dvk-search-status') || {textContent: ''}).textContent.includes('“' + q + '”')"
MATERIAL_DONE = "document.querySelector('.md-search-result__item') || /Không|No matching/i.test((document.querySelector('.md-search-result__meta') || {}).textContent || '')"
ENTRY_ROOTS = ("mo-hinh", "dien-hinh", "su-kien")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dvk scale benchmark (writes bench/RESULTS.md)")
    parser.add_argument("--sizes", default="1000,3000,10000", help="entry counts, comma-separated")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--no-serve", action="store_true", help="skip the preview-server round trips")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search measurements")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    ensure_hugo()
    rows = []
    adopt_set_aside(OUT)  # an interrupted run's trees: deleted with this run's, at its end
    try:
        for size in sizes:
            print(f"== N = {size}", flush=True)
            projects = make_projects(size, OUT / str(size))
            row = {"size": size, "entries": len(projects.entries)}
            for which in PEERS:
                row[which] = measure_project(projects, which, serve=not args.no_serve)
            if not args.no_browser:
                measure_search(projects, row)
            rows.append(row)
            write_report(args.out, rows, describe_machine(), QUERIES)  # after each size: a partial run still reports
            (OUT / "rows.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
            print(f"   -> {args.out}", flush=True)
    finally:
        remove_set_aside()  # after the last timed build (see scale_projects.SET_ASIDE)
    return 0


def ensure_hugo() -> None:
    """Debian's hugo, installed (apt-get) when missing, as scripts/setup.sh installs Chromium."""
    if shutil.which("hugo"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"], check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    env.pop("DVK_CACHE_DIR", None)  # the project's own .cache/, deleted for the cold build
    return env


def build_command(which: str) -> list[str]:
    python = sys.executable
    return {
        "dvk": [python, "-m", "generator", "build"],
        "material": [python, "-m", "mkdocs", "build", "-q"],
        "hugo": ["hugo", "--quiet"],
    }[which]


def serve_command(which: str, port: int) -> list[str]:
    python = sys.executable
    return {
        "dvk": [python, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
        "material": [python, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        "hugo": ["hugo", "server", "--bind", "127.0.0.1", "--port", str(port), "--disableFastRender"],
    }[which]


def output_dir(projects: Projects, which: str) -> Path:
    return getattr(projects, which) / ("public" if which == "hugo" else "site")


def measure_project(projects: Projects, which: str, serve: bool) -> dict:
    project = getattr(projects, which)
    for leftover in (".cache", "site", "public", "resources"):
        set_aside(project / leftover)
    figures: dict = {}
    runs = {}
    runs["cold"] = run_measured(build_command(which), project, _env())
    runs["nochange"] = run_measured(build_command(which), project, _env())
    edit_entry(projects, which, "bench-sua-mot")
    runs["edit"] = run_measured(build_command(which), project, _env())
    add_entry(projects, which, "mo-hinh-them-mot")
    runs["add"] = run_measured(build_command(which), project, _env())
    # an editor's next save: dvk now updates the site its last build replaced (build/kept.py),
    # where the first edit after a cold build still writes a new folder
    edit_entry(projects, which, "bench-sua-lan-nua")
    runs["edit2"] = run_measured(build_command(which), project, _env())
    for name, run in runs.items():
        figures[f"{name}_s"] = run.wall
        figures[f"{name}_cpu"] = run.cpu
    figures["rss_max"] = max(run.rss_max for run in runs.values())
    figures["rss_tree"] = max(run.rss_tree for run in runs.values())
    site = output_dir(projects, which)
    figures["site_bytes"], figures["site_files"] = tree_size(site)
    figures["page_max"], figures["page_median"] = page_sizes(entry_pages(site, which))
    print(f"   {which}: cold {runs['cold'].wall:.1f} s, no change {runs['nochange'].wall:.1f} s, edit {runs['edit'].wall:.1f} s, add {runs['add'].wall:.1f} s, next edit {runs['edit2'].wall:.1f} s, {figures['rss_max'] / 2**20:.0f} MB", flush=True)
    if serve:
        port = free_port()
        entry = projects.edited
        url = f"http://127.0.0.1:{port}/"
        first, rebuilt = serve_round_trip(serve_command(which, port), project, url, url + page_path(projects, which, entry), lambda: edit_entry(projects, which, "bench-sua-khi-xem"), "bench-sua-khi-xem", _env())
        figures["serve_first_s"], figures["serve_edit_s"] = first, rebuilt
        print(f"   {which} serve: first page {first:.1f} s, one edit {rebuilt:.2f} s", flush=True)
    return figures


def entry_pages(site: Path, which: str) -> list[Path]:
    if which == "dvk":
        return [p for root in ENTRY_ROOTS for p in (site / root).glob("*/index.html")]
    return list((site / "muc").glob("*/index.html"))


def measure_search(projects: Projects, row: dict) -> None:
    """First query in Chromium: dvk's search page and material's built-in search (Hugo has none)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            # (project, search page, query box, "results shown" test, the engine's URLs)
            for which, page, box, done, engine in (("dvk", "tim-kiem/", "#dvk-search-q", DVK_DONE, "/chi-muc-tim-kiem/"), ("material", "", ".md-search__input", MATERIAL_DONE, "search")):
                server, base = serve_site(output_dir(projects, which))
                try:
                    _keep_search(row[which], measure_first_query(browser, base, page, QUERIES, box, done, engine))
                finally:
                    server.shutdown()
        finally:
            browser.close()
    print(f"   search: dvk {row['dvk']['query_bytes'] / 1000:.0f} KB in {row['dvk']['shown_ms']:.0f} ms; material {row['material']['query_bytes'] / 1000:.0f} KB", flush=True)


def _keep_search(figures: dict, found) -> None:
    """Bytes of the heaviest query; time of the median one (the machine is shared: one
    query stalled by another job's burst should not stand for the search)."""
    figures["query_bytes"] = max(f.query_bytes for f in found)
    figures["index_bytes"] = max(f.index_bytes for f in found)
    figures["shown_ms"] = statistics.median(f.shown_ms for f in found)
    figures["open_bytes"] = max(f.open_bytes for f in found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def describe_machine() -> dict:
    def text(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, cwd=REPO).stdout.strip()
        except OSError:
            return ""

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    import mkdocs
    import material

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        # DVK_BENCH_COMMIT: when run from an exported copy of a commit (so edits in the checkout cannot reach a long run)
        "commit": os.environ.get("DVK_BENCH_COMMIT") or (text(["git", "rev-parse", "--short", "HEAD"]) + (" (+ thay đổi chưa commit)" if text(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.md"]) else "")),  # the report itself is rewritten after each size
        "machine": f"{cpu}, {os.cpu_count()} lõi, {memory / 1024:.1f} GB RAM, {platform.system()} {platform.release()}",
        "load": os.getloadavg(),
        "versions": f"Python {platform.python_version()}, mkdocs {mkdocs.__version__}, mkdocs-material {material.__version__ if hasattr(material, '__version__') else '?'}, {text(['hugo', 'version']).split(' BuildDate')[0]}",
    }


if __name__ == "__main__":
    sys.exit(main())

"""Measurements for bench/scale.py: a timed command with its memory, a serve round trip,
output sizes, and what a phone downloads for its first search (Chromium).

Every figure comes from a real process: wall time and CPU time (user + system of the
whole process tree, from wait4), peak memory two ways (the largest single process, as
`/usr/bin/time -v` reports it, and the sum over the process tree sampled from /proc),
bytes on disk, and bytes the browser received.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system, the command and everything it started
    rss_max: int  # bytes, largest single process (getrusage / time -v)
    rss_tree: int  # bytes, largest sum over the process tree at one moment (sampled)
    output: str = ""


class CommandFailed(Exception):
    pass


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of pid and all its descendants right now."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _rss(current)
        stack += _children(current)
    return total


def run_measured(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 3600) -> Run:
    """Run a command to completion; time, CPU and memory of its whole process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    reader.join(timeout)
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = "".join(out_chunks)
    if proc.returncode != 0:
        raise CommandFailed(f"{' '.join(args)} (in {cwd}) exited {proc.returncode}:\n{output[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, max(peak[0], usage.ru_maxrss * 1024), output)


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_for(url: str, needle: str | None, timeout: float, every: float = 0.05, proc: subprocess.Popen | None = None) -> float:
    """Poll url until it answers (and contains needle); seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        body = fetch(url)
        if body is not None and (needle is None or needle in body):
            return time.perf_counter() - started
        if proc is not None and proc.poll() is not None:
            raise CommandFailed(f"server exited ({proc.returncode}) before serving {url}")
        time.sleep(every)
    raise CommandFailed(f"{url} did not show {needle!r} within {timeout:.0f} s")


def serve_round_trip(args: list[str], cwd: Path, ready_url: str, page_url: str, edit, marker: str, env: dict | None = None, timeout: float = 1800) -> tuple[float, float]:
    """Start a preview server, wait until it serves, apply `edit`, time until page_url shows marker.

    Returns (seconds until first served, seconds from the edit to the rebuilt page).
    The server is stopped (its own process group) whatever happens.
    """
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        first = wait_for(ready_url, None, timeout, every=0.25, proc=proc)
        wait_for(page_url, None, 60, proc=proc)
        time.sleep(1.0)  # let the watcher settle after the first build
        edit()
        rebuilt = wait_for(page_url, marker, timeout, proc=proc)
        return first, rebuilt
    finally:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, 9)
            proc.wait()


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under folder."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            count += 1
    return total, count


def page_sizes(paths: list[Path]) -> tuple[int, int]:
    """(largest, median) size in bytes of the given pages."""
    sizes = [p.stat().st_size for p in paths]
    return (max(sizes), int(statistics.median(sizes))) if sizes else (0, 0)


# -- the browser -------------------------------------------------------------------------------

_WATCH_JS = """(args) => {
  const [input, done, query] = args;
  const isDone = new Function("q", "return (" + done + ");");
  window.__dvkBench = {last: 0, shown: 0};
  document.querySelector(input).addEventListener('input', () => { window.__dvkBench.last = performance.now(); window.__dvkBench.shown = 0; });
  new MutationObserver(() => {
    const b = window.__dvkBench;
    if (b.last && !b.shown && isDone(query)) b.shown = performance.now();
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


@dataclass
class SearchFigures:
    query_bytes: int  # bytes received from the first keystroke until the results are complete
    index_bytes: int  # of which the search engine's own files (index, filters, meta, wasm, js)
    shown_ms: float  # results on screen after the last keystroke (debounce included)
    open_bytes: int  # opening the search page (HTML, CSS, fonts, UI script)


def measure_first_query(browser, base: str, page_path: str, queries: list[str], input_sel: str, done_js: str, engine_part: str, ui_part: str = "") -> list[SearchFigures]:
    """For each query, in a fresh browser context (cold cache): open the page, type, wait for results.

    `done_js` is a JavaScript expression (the query is `q`), true once the page shows
    the outcome of that search (results, or the message that there are none). `engine_part` marks the search
    engine's URLs: what the engine fetches when the page opens, before any typing (its
    script, index, page list, filters), counts in the query too; the UI's own files
    (`ui_part`, loaded with the page like any script) do not.
    """
    figures = []
    for query in queries:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        page = context.new_page()
        got: list[tuple[str, int]] = []
        page.on("requestfinished", lambda req: got.append((req.url, req.sizes()["responseBodySize"])))
        page.goto(base + page_path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        page.wait_for_selector(input_sel)
        opened = sum(size for _, size in got)
        preloaded = sum(size for url, size in got if engine_part in url and not (ui_part and ui_part in url))
        got.clear()
        page.evaluate(_WATCH_JS, [input_sel, done_js, query])
        page.type(input_sel, query, delay=40)
        page.wait_for_function("() => window.__dvkBench.shown > 0", timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(700)
        timing = page.evaluate("() => window.__dvkBench")
        typed = sum(s for _, s in got)
        engine = sum(s for u, s in got if engine_part in u)
        figures.append(SearchFigures(typed + preloaded, engine + preloaded, timing["shown"] - timing["last"], opened))
        context.close()
    return figures

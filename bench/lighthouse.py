"""Lighthouse (mobile) on the home, an entry and the search page, served as a static host would.

The site is served by bench/localsite.py, which honours the build's precompressed `.br` /
`.gz` copies (as nginx `brotli_static`/`gzip_static` or Caddy `precompressed` do), so the
performance score and the transferred bytes are what a phone on a real host gets.
Lighthouse is npm `lighthouse` from .cache/node (scripts/setup.sh --test) driving
Debian's Chromium. Performance depends on the machine's load: it is reported here, never
asserted in a test (tests/site/test_lighthouse.py asserts the deterministic categories).

    .venv/bin/python bench/lighthouse.py [--site site] [--runs 1]

Without --site the sample content is built into a scratch project first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from localsite import CHROMIUM, serve_site

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO / ".cache" / "node" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"trang chủ": "", "mục": "mo-hinh/ngay-cuoi-tuan-xanh-dinh-cong/", "tìm kiếm": "tim-kiem/?q=dinh+cong"}


def run_lighthouse(url: str, categories=CATEGORIES, out: Path | None = None) -> dict:
    """One Lighthouse run (mobile emulation, default throttling); the parsed JSON report."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"thiếu {LIGHTHOUSE}: chạy bash scripts/setup.sh --test")
    with tempfile.TemporaryDirectory(prefix="dvk-lh-") as tmp:
        report = Path(tmp) / "report.json"
        command = [
            "node", str(LIGHTHOUSE), url,
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            f"--only-categories={','.join(categories)}",
            "--output=json", f"--output-path={report}", "--quiet",
        ]
        env = dict(os.environ, CHROME_PATH=str(CHROMIUM), TMPDIR=tmp)
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
        if done.returncode != 0 or not report.exists():
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(report, out)
        return data


def scores(report: dict) -> dict[str, int]:
    return {name: round(100 * (cat["score"] or 0)) for name, cat in report["categories"].items()}


def failing_audits(report: dict, category: str) -> list[str]:
    """Ids and titles of the audits that cost a category points (for a readable failure)."""
    refs = report["categories"][category]["auditRefs"]
    bad = []
    for ref in refs:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            bad.append(f"{ref['id']}: {audit['title']}")
    return bad


def transferred_kib(report: dict, images: bool = True) -> float:
    items = report["audits"]["network-requests"]["details"]["items"]
    return sum(i.get("transferSize", 0) for i in items if images or i.get("resourceType") != "Image") / 1024


def build_sample(target: Path) -> Path:
    sys.path.insert(0, str(REPO / "tests" / "site"))
    from sitehelpers import dvk, make_project

    project = make_project(target, REPO / "content")
    done = dvk("build", cwd=project)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return project / "site"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample content)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dvk-lh-site-") as tmp:
        site = args.site or build_sample(Path(tmp) / "proj")
        server, base = serve_site(site)
        try:
            rows = []
            for name, path in PAGES.items():
                runs = [run_lighthouse(base + path) for _ in range(args.runs)]
                runs.sort(key=lambda r: scores(r)["performance"])
                report = runs[len(runs) // 2]
                rows.append((name, scores(report), transferred_kib(report), transferred_kib(report, images=False), report))
        finally:
            server.shutdown()
            server.server_close()
    print(f"\n{'trang':<10} {'hiệu năng':>9} {'tiếp cận':>9} {'thực hành':>9} {'SEO':>5} {'tải về KiB':>11} {'không ảnh':>10}")
    for name, s, total, text_only, _ in rows:
        print(f"{name:<10} {s['performance']:>9} {s['accessibility']:>9} {s['best-practices']:>9} {s['seo']:>5} {total:>11.0f} {text_only:>10.0f}")
    for name, s, _, _, report in rows:
        for category in CATEGORIES:
            if s[category] < 100:
                print(f"  {name} / {category}: " + "; ".join(failing_audits(report, category)[:6]))
        metrics = report["audits"]
        print(f"  {name}: FCP {metrics['first-contentful-paint']['displayValue']}, LCP {metrics['largest-contentful-paint']['displayValue']}, TBT {metrics['total-blocking-time']['displayValue']}, CLS {metrics['cumulative-layout-shift']['displayValue']}")


if __name__ == "__main__":
    main()

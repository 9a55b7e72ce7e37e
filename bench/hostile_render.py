"""Benchmark: time to convert pathological entry stories (issue 12, "slow input").

Each body is converted the way the site does it (generator/render/body.py: markdown-it-py
+ nh3), in a child process with a wall-clock cap, and the seconds are printed per body.
With `--before PATH` (a checkout of an older dvk, e.g. main before the story change) the
same bodies are also converted the old way: the regex sanitiser, then Python-Markdown with
the page's extensions (toc, attr_list, tables), which is what mkdocs did with a story.

    .venv/bin/python bench/hostile_render.py
    .venv/bin/python bench/hostile_render.py --before /work/main --cap 60
    .venv/bin/python bench/hostile_render.py --scale 4     # bodies 4× longer (linearity)

Rendering is linear when the time grows like the size: compare --scale 1 and --scale 4.
The validator refuses most of these bodies before a build (find_markup_flood; the column
says which), and every conversion has a time budget (STORY_SECONDS); the times are the
parser's without either, and the "at limit" rows are the worst bodies still accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BODIES = {
    "10,000 [": lambda k: "[" * 10_000 * k,
    "30,000 [": lambda k: "[" * 30_000 * k,
    "50,000 <": lambda k: "<" * 50_000 * k,
    "10,000 [a](": lambda k: "[a](" * 10_000 * k,
    "10,000 ![": lambda k: "![" * 10_000 * k,
    "5,000 nested > quotes": lambda k: "> " * 5_000 * k + "x",
    "700 nested lists": lambda k: "".join("  " * i + "- x\n" for i in range(700 * k)),
    "20,000 *a emphasis": lambda k: "*a" * 20_000 * k,
    "30,000 * run": lambda k: "*" * 30_000 * k + "a",
    "20,000 `a backticks": lambda k: "`a" * 20_000 * k,
    "30,000 ` run": lambda k: "`" * 30_000 * k,
    "20,000 &# entities": lambda k: "&#" * 20_000 * k,
    "10,000 [x]: <ref": lambda k: "[x]: <" * 10_000 * k,
    "10,000-row table": lambda k: "|a|\n|-|\n" + "|x|\n" * 10_000 * k,
    "5,000 [ then 5,000 ]": lambda k: "[" * 5_000 * k + "a" + "]" * 5_000 * k,
    "50,000 \\": lambda k: "\\" * 50_000 * k,
    # the worst the validator still accepts (MARKUP_LIMITS), times `--scale`
    "at limit: 2,000 [a](": lambda k: "[a](" * 2_000 * k,
    "at limit: 2,000 ![": lambda k: "![" * 2_000 * k,
    "at limit: 5,000 *a": lambda k: "*a" * 5_000 * k,
    "at limit: 2,000 &#": lambda k: "&#" * 2_000 * k,
    "at limit: 1,000 [ ]": lambda k: "[" * 1_000 * k + "a" + "]" * 1_000 * k,
    "at limit: 2,490-row table": lambda k: "|a|\n|-|\n" + "|x|\n" * 2_490 * k,
    "plain story 100 KB": lambda k: (("Người dân phường Nhật Tân không phải chờ đợi. " * 4 + "Hồ sơ được **giải quyết ngay**. ") * 400) * k,
}

NEW = """
import sys, time
from generator.render.body import render_story_parts
body = sys.stdin.read()
start = time.perf_counter()
render_story_parts(body, seconds=1e9)
print(time.perf_counter() - start)
"""

OLD = """
import sys, time
import markdown
from generator.render.safe import sanitize_markdown
from generator.text import toc_slugify
body = sys.stdin.read()
start = time.perf_counter()
md = markdown.Markdown(extensions=["toc", "attr_list", "tables"], extension_configs={"toc": {"slugify": toc_slugify}})
md.convert(sanitize_markdown(body, top_level=3))
print(time.perf_counter() - start)
"""


def time_body(code: str, body: str, root: Path, cap: float) -> str:
    """Seconds as text, or "> cap s" when the child is still working at the cap."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    try:
        done = subprocess.run([sys.executable, "-c", code], input=body, capture_output=True, text=True, timeout=cap, env=env, cwd=root)
    except subprocess.TimeoutExpired:
        return f"> {cap:g} s"
    if done.returncode != 0:
        return "error: " + done.stderr.strip().splitlines()[-1]
    return f"{float(done.stdout):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="checkout of the old dvk to time the old story path too")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a body is given up (default 60)")
    parser.add_argument("--scale", type=int, default=1, help="multiply every body's length (linearity check)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from generator.render.body import find_markup_flood

    rows = {}
    for name, make in BODIES.items():
        body = make(args.scale)
        row = {"chars": len(body), "validator": "refused" if find_markup_flood(body) else "accepted", "after": time_body(NEW, body, REPO, args.cap)}
        if args.before:
            row["before"] = time_body(OLD, body, args.before.resolve(), args.cap)
        rows[name] = row
        if not args.json:
            before = f"  before {row['before']:>10}" if args.before else ""
            print(f"{name:26} {row['chars']:>9,} chars  {row['validator']:8}{before}  after {row['after']:>8}", flush=True)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

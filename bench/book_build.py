"""Benchmark `dvk book`: time, pages and peak memory for the sample book and a large corpus.

Each build runs in a child process so its peak RSS (ru_maxrss from wait4) is the book's
own, not the benchmark's. The photo cache is emptied first (cold) and the build is then
repeated with the cache filled (warm), because resizing originals is a large share of a
first build and none of a rebuild. A third build uses the compact layout (models run on
instead of each starting a new page), which roughly halves pages, time and memory.

    .venv/bin/python bench/book_build.py                 # sample content + 500 entries
    .venv/bin/python bench/book_build.py --entries 100 --skip-sample
    .venv/bin/python bench/book_build.py --keep /tmp/book-bench   # keep corpus and PDFs

The corpus comes from bench/make_corpus.py (the site benchmark's generator) when it exists
and produces a valid project, with one distinct 2400×1600 JPEG added to every model (that
generator writes no photos); otherwise from the small generator in this file: valid
models across the pre-2025 districts and their wards, one distinct 2400×1600 JPEG each
(phone-like size, so Pillow has real work), a Markdown story, results and awards, plus
one event per 25 models.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from generator.validate import validate_content
from generator.derive import derive_site
from generator.book.build import build_book
from generator.book.options import check_options, options_from_config, read_config
import dataclasses
root = Path(sys.argv[1])
t1 = time.perf_counter()
content = validate_content(root)
if content.errors:
    print(json.dumps({"errors": [p.format() for p in content.errors[:10]]})); sys.exit(1)
site = derive_site(content.entries, content.places)
t2 = time.perf_counter()
options = check_options(dataclasses.replace(options_from_config(read_config(root)), output=sys.argv[2], paper=sys.argv[3], new_page_per_entry=sys.argv[4] == "page"))
result = build_book(root, site, options)
t3 = time.perf_counter()
print(json.dumps({"pages": result.pdf.pages, "bytes": result.pdf.size, "models": result.book.model_count,
                  "events": result.book.event_count, "import": t1 - t0, "validate": t2 - t1,
                  "stages": result.timings, "total": t3 - t0}))
"""

FIELDS = ["kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh", "xay-dung-he-thong-chinh-tri"]
LEVELS = ["co-so", "quan", "thanh-pho"]
WORDS = ("người dân tổ dân phố cán bộ phường vận động hộ gia đình Mặt trận hội viên thanh niên phụ nữ "
         "cựu chiến binh đường làng ngõ xóm thủ tục hành chính vệ sinh môi trường an ninh trật tự "
         "hiến đất mở đường khuyến học người cao tuổi Nguyễn Thị Thủy khéo léo bền bỉ kết quả").split()
UNITS = ["UBND phường {w}", "Tổ Dân vận phường {w}", "Hội Liên hiệp Phụ nữ phường {w}", "Đoàn Thanh niên phường {w}",
         "Hội Cựu chiến binh phường {w}", "Mặt trận Tổ quốc phường {w}", "Công an phường {w}", "Chi bộ tổ dân phố số {n}, phường {w}"]


def sentence(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[:1].upper() + text[1:] + "."


def draw_photo(path: Path, rng: random.Random) -> None:
    """A distinct phone-sized (2400×1600) JPEG of coloured blocks."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1600), (rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(60, 200)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(0, 2200), rng.randrange(0, 1400)
        draw.rectangle((x, y, x + rng.randrange(80, 600), y + rng.randrange(80, 500)), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=85)


def add_photos(root: Path, seed: int = 11) -> int:
    """Give every model without `images:` one photo (the site corpus has none); returns the count."""
    rng = random.Random(seed)
    added = 0
    for entry in sorted((root / "content" / "models").rglob("*.md")):
        text = entry.read_text(encoding="utf-8")
        head, sep, body = text[4:].partition("\n---\n")
        if not sep or "\nimages:" in "\n" + head:
            continue
        draw_photo(entry.parent / "anh" / f"{entry.stem}.jpg", rng)
        head += f"\nimages:\n  - src: anh/{entry.stem}.jpg\n    caption: \"Hoạt động của mô hình {entry.stem}\"\n    credit: \"Nguyễn Văn An\""
        entry.write_text("---\n" + head + "\n---\n" + body, encoding="utf-8")
        added += 1
    return added


def make_corpus(n: int, out: Path, seed: int = 7) -> Path:
    """A valid project with `n` models (one photo each) and n/25 events; returns its root."""
    from generator.places import load_places

    rng = random.Random(seed)
    content = out / "content"
    (content / "models").mkdir(parents=True)
    (content / "events").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "places.yml", content / "places.yml")
    places = load_places(content / "places.yml", out)
    pairs = [(d, w) for d in places.districts() for w in places.wards_of(d.id) if not w.end]
    for i in range(n):
        district, ward = pairs[i % len(pairs)]
        folder = content / "models" / district.id
        (folder / "anh").mkdir(parents=True, exist_ok=True)
        entry_id = f"mo-hinh-{i:04d}"
        draw_photo(folder / "anh" / f"{entry_id}.jpg", rng)
        year = 2019 + i % 7
        unit = rng.choice(UNITS).format(w=ward.name, n=i % 30 + 1)
        story = "\n\n".join(f"## {sentence(rng, 3)[:-1]}\n\n{sentence(rng, 60)} {sentence(rng, 40)}" for _ in range(2))
        award = (f"awards:\n  - title: \"Giấy khen của UBND {district.label}\"\n    level: quan\n    year: {year}\n" if i % 3 == 0 else "")
        (folder / f"{entry_id}.md").write_text(
            "---\n"
            f"kind: {'exemplar' if i % 5 == 0 else 'model'}\n"
            + ("subject: collective\n" if i % 5 == 0 else "")
            + f"title: \"Mô hình “Dân vận khéo” số {i + 1} {sentence(rng, 6)[:-1]}\"\n"
            f"unit: \"{unit}\"\n"
            f"district: {district.id}\nward: {ward.id}\n"
            f"field: {FIELDS[i % 4]}\nlevel: {LEVELS[i % 3]}\nyear: {year}\n"
            f"summary: \"{sentence(rng, 28)}\"\n"
            f"results:\n  - \"{sentence(rng, 10)}\"\n  - \"{sentence(rng, 8)}\"\n"
            + award
            + f"images:\n  - src: anh/{entry_id}.jpg\n    caption: \"{sentence(rng, 9)}\"\n    credit: \"Nguyễn Văn {i}\"\n"
            "---\n" + story + "\n",
            encoding="utf-8",
        )
    for j in range(max(1, n // 25)):
        district = pairs[j % len(pairs)][0]
        (content / "events" / f"su-kien-{j:03d}.md").write_text(
            "---\n"
            f"title: \"Hội nghị biểu dương “Dân vận khéo” {district.label} lần {j + 1}\"\n"
            f"type: bieu-duong\ndate: {2019 + j % 7}-{j % 12 + 1:02d}-15\ndistrict: {district.id}\n"
            f"organizer: \"Ban Dân vận {district.label}\"\nsummary: \"{sentence(rng, 25)}\"\n"
            f"figures:\n  mo_hinh: {rng.randrange(10, 700)}\n"
            "---\n" + sentence(rng, 80) + "\n",
            encoding="utf-8",
        )
    return out


def corpus(n: int, out: Path) -> Path:
    """bench/make_corpus.py (plus one photo per model) when present and valid, else make_corpus()."""
    script = ROOT / "bench" / "make_corpus.py"
    if script.is_file():
        done = subprocess.run([PYTHON, str(script), str(n), str(out)], cwd=ROOT, capture_output=True, text=True)
        root = out if (out / "content").is_dir() else out.parent
        if done.returncode == 0 and (root / "content").is_dir():
            photos = add_photos(root)
            if _valid(root):
                print(f"  corpus from bench/make_corpus.py, {photos} photos added", flush=True)
                return root
        print(f"  bench/make_corpus.py unusable here (rc={done.returncode}); using the built-in generator", file=sys.stderr)
        shutil.rmtree(out, ignore_errors=True)
    return make_corpus(n, out)


def _valid(root: Path) -> bool:
    check = subprocess.run([PYTHON, "-m", "generator", "validate", "--root", str(root)], cwd=ROOT, capture_output=True, text=True)
    return check.returncode == 0


def run_child(root: Path, pdf: Path, paper: str, mode: str = "page") -> dict:
    """One build in a child process; adds wall time and the child's peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", CHILD, str(root), str(pdf), paper, mode], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{out}\n{err[-3000:]}")
    data = json.loads(out.strip().splitlines()[-1])
    data["wall"] = wall
    data["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return data


def measure(label: str, root: Path, work: Path, paper: str) -> list[dict]:
    """Cold and warm builds (one model per page), then a warm compact build (models run on)."""
    cache = root / ".cache" / "dvk" / "book-images"
    shutil.rmtree(cache, ignore_errors=True)
    rows = []
    for state, mode in (("cold", "page"), ("warm", "page"), ("warm", "compact")):
        pdf = work / f"{label}-{paper}-{mode}.pdf"
        data = run_child(root, pdf, paper, mode)
        data.update(label=label, cache=state, mode=mode, paper=paper, pdf=str(pdf))
        rows.append(data)
        stages = " ".join(f"{k} {v:.1f}s" for k, v in data["stages"].items())
        print(
            f"{label:>7} {paper} {mode:<7} {state:<4}  {data['models']:>4} models {data['events']:>3} events  {data['pages']:>4} pages  "
            f"{data['bytes'] / 1e6:6.1f} MB  {data['wall']:6.1f} s  peak {data['peak_mb']:6.0f} MB   ({stages}; validate {data['validate']:.1f}s)",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--paper", default="A4", choices=("A4", "A5"))
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--keep", type=Path, help="work directory to keep (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="dvk-book-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    try:
        if not args.skip_sample and (ROOT / "content").is_dir():
            sample = work / "sample"
            shutil.rmtree(sample, ignore_errors=True)
            shutil.copytree(ROOT / "content", sample / "content")
            for name in ("mkdocs.yml",):
                if (ROOT / name).is_file():
                    shutil.copy(ROOT / name, sample / name)
            rows += measure("sample", sample, work, args.paper)
        if args.entries:
            big = work / f"corpus-{args.entries}"
            if not (big / "content").is_dir():
                start = time.perf_counter()
                corpus(args.entries, big)
                print(f"  corpus of {args.entries} entries written in {time.perf_counter() - start:.1f} s", flush=True)
            rows += measure(f"{args.entries}", big, work, args.paper)
    finally:
        if args.json:
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

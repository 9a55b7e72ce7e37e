"""Image pipeline benchmark: cold vs warm cache, and what a phone downloads for the awards.

Measured in one run on the sample content (every `images` entry and award `image`):
  1. cold: empty cache, every core;  2. warm: a fresh ImagePipeline on the same cache
  (what a rebuild sees);  3. cold on one core, to show what the process pool buys.
Each timing is prepare() + publish() into a scratch site directory.

Bytes: for every award image, the variant a 360 px wide phone at DPR 2 picks from
`srcset` with the default `sizes` (slot 360 CSS px -> needs 720 px -> the 960w file),
WebP (what current phones take) and the JPEG fallback, against the originals' bytes.

Site (same run): the sample built with `dvk build` into a scratch project, once with an
empty image cache and once warm (whole build, subprocess, wall time); then the awards
gallery page opened in Chromium (Playwright, /usr/bin/chromium, the tests' flags) at
360 px, DPR 2, scrolled to the end so every lazy image loads: the image bytes it really
downloaded against the bytes of the originals shown on it.

Photo library (same run): a rebuild's lookup of N photos' cached variants, with the
digests kept by stamp and with every photo read and hashed.

    .venv/bin/python bench/images.py [--root .] [--no-site] [--library N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.derive import derive_site
from generator.imaging import ImagePipeline, referenced_images
from generator.validate import validate_content
from localsite import launch_chromium, serve_site

PHONE_CSS_WIDTH, PHONE_DPR = 360, 2


def collect(root: Path):
    content = validate_content(root)
    if content.errors:
        raise SystemExit("\n".join(p.format() for p in content.errors))
    site = derive_site(content.entries, content.places)
    awards = [record.award.image for record in site.awards if record.award.image]
    return referenced_images(content.entries), awards


def timed(cache_dir: Path, images, workers: int | None, out: Path) -> tuple[float, ImagePipeline]:
    shutil.rmtree(out, ignore_errors=True)
    pipeline = ImagePipeline(cache_dir, workers=workers)
    start = time.perf_counter()
    for variant_set in pipeline.prepare(images).values():
        variant_set.publish(out, "/anh/")
    return time.perf_counter() - start, pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--no-site", action="store_true", help="skip the site build and browser measurements")
    parser.add_argument("--library", type=int, default=300, metavar="N", help="photos in the library measurement (0: skip it)")
    args = parser.parse_args()
    images, awards = collect(args.root)
    sources = {image.abs_path for image in images}
    print(f"{len(sources)} source images ({sum(p.stat().st_size for p in sources) / 1e6:.2f} MB), {len(awards)} award images, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        cold, pipeline = timed(scratch / "cache", images, None, scratch / "site")
        warm, warm_pipeline = timed(scratch / "cache", images, None, scratch / "site")
        serial, _ = timed(scratch / "cache-serial", images, 1, scratch / "site-serial")
        print(f"cold  (empty cache, {pipeline.workers} workers): {cold:6.2f} s  encoded {pipeline.stats.encoded}, files {pipeline.stats.files_written}")
        print(f"warm  (same cache, new pipeline):  {warm:6.3f} s  encoded {warm_pipeline.stats.encoded}, cache hits {warm_pipeline.stats.cache_hits}")
        print(f"cold  (empty cache, 1 worker):     {serial:6.2f} s")
        print(f"warm/cold: {warm / cold:.1%}; pool speed-up {serial / cold:.2f}x")

        sets = ImagePipeline(scratch / "cache").prepare(awards)
        original = webp = jpeg = 0
        print(f"\nawards, phone {PHONE_CSS_WIDTH} px @ DPR {PHONE_DPR}:")
        for image in awards:
            variant_set = sets[image.abs_path.resolve()]
            chosen_webp = variant_set.chosen(PHONE_CSS_WIDTH, PHONE_DPR, "webp")
            chosen_jpeg = variant_set.chosen(PHONE_CSS_WIDTH, PHONE_DPR, "jpg")
            original += variant_set.source_bytes
            webp += chosen_webp.bytes
            jpeg += chosen_jpeg.bytes
            print(f"  {image.src:60} {variant_set.source_bytes / 1e3:7.0f} kB -> {chosen_webp.width}w webp {chosen_webp.bytes / 1e3:5.0f} kB / jpg {chosen_jpeg.bytes / 1e3:5.0f} kB")
        print(f"  total originals {original / 1e6:.2f} MB; phone downloads {webp / 1e3:.0f} kB WebP ({webp / original:.1%}) or {jpeg / 1e3:.0f} kB JPEG fallback ({jpeg / original:.1%})")

    if args.library:
        measure_library(args.library)
    if not args.no_site:
        measure_site(args.root, awards)


def measure_library(count: int) -> None:
    """What a rebuild spends finding the cached variants of a photo library of `count`
    phone-sized JPEGs (1600x1200, about 1.2 MB of noise each): a new pipeline on a warm
    cache (every build is a new process), with the digests kept by stamp (sources.py) and
    without them (each photo read and hashed, as before they were kept)."""
    from PIL import Image

    from generator.imaging import Settings, sources

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        noise = Image.effect_noise((1600, 1200), 60).convert("RGB")
        photos = []
        for index in range(count):
            path = scratch / "photos" / f"p{index:05d}.jpg"
            path.parent.mkdir(exist_ok=True)
            noise.rotate(index % 360).save(path, quality=92)
            photos.append(path)
        settings = Settings(widths=(160,))  # small variants: the encoding is not what is measured
        cache = scratch / "cache"
        saved, sources.RACY_NS = sources.RACY_NS, 0  # as if saved a while ago (change times cannot be set back)
        try:
            ImagePipeline(cache, settings).prepare(photos)
        finally:
            sources.RACY_NS = saved
        kept, read = [], []
        for _ in range(3):
            start = time.perf_counter()
            ImagePipeline(cache, settings).prepare(photos)
            kept.append(time.perf_counter() - start)
            (cache / sources.FILE).rename(scratch / "aside.json")
            start = time.perf_counter()
            pipeline = ImagePipeline(cache, settings)
            pipeline.digests.save = lambda: None  # measure reading every photo, every time
            pipeline.prepare(photos)
            read.append(time.perf_counter() - start)
            (scratch / "aside.json").rename(cache / sources.FILE)
        size = sum(path.stat().st_size for path in photos) / 1e6
        print(f"\nphoto library, {count} photos ({size:.0f} MB), warm cache, new pipeline (median of 3):")
        print(f"  digests kept by stamp {sorted(kept)[1] * 1e3:7.1f} ms; every photo read and hashed {sorted(read)[1] * 1e3:7.1f} ms ({sorted(read)[1] / sorted(kept)[1]:.1f}x)")


REPO = Path(__file__).resolve().parents[1]


def build(project: Path, cache: Path) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1", DVK_CACHE_DIR=str(cache))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def measure_site(root: Path, awards) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "proj"
        project.mkdir()
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(REPO / "theme", project / "theme")
        shutil.copytree(root / "content", project / "content")
        (project / "docs").mkdir()
        cache = Path(scratch) / "cache"  # fonts and images: both cold on the first build
        shutil.copytree(REPO / ".cache" / "dvk-fonts", cache / "dvk-fonts", dirs_exist_ok=True) if (REPO / ".cache/dvk-fonts").is_dir() else None
        cold, _ = build(project, cache)
        warm, _ = build(project, cache)
        print(f"\nsite build (dvk build, whole process): cold image cache {cold:.2f} s, warm {warm:.2f} s ({warm / cold:.0%})")
        phone_bytes(project / "site", awards)


def phone_bytes(site: Path, awards) -> None:
    from playwright.sync_api import sync_playwright

    server, base = serve_site(site)
    got: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            context = browser.new_context(viewport={"width": PHONE_CSS_WIDTH, "height": 780}, device_scale_factor=PHONE_DPR, is_mobile=True, has_touch=True)
            page = context.new_page()

            def seen(response):
                if response.request.resource_type == "image" and "/anh/" in response.url:
                    got[response.url] = len(response.body())

            page.on("response", seen)
            page.goto(f"{base}khen-thuong/", wait_until="networkidle")
            for _ in range(40):  # scroll to the end so every lazy image loads
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(100)
            page.wait_for_load_state("networkidle")
            shown = page.eval_on_selector_all(".dvk-award img", "els => els.length")
            browser.close()
    finally:
        server.shutdown()
    originals = sum({image.abs_path.resolve(): image.abs_path.stat().st_size for image in awards}.values())
    total = sum(got.values())
    kinds = sorted({url.rsplit("-", 1)[-1] for url in got})
    print(f"awards gallery in Chromium, {PHONE_CSS_WIDTH} px @ DPR {PHONE_DPR}: {shown} pictures, {len(got)} image requests ({', '.join(kinds)})")
    print(f"  downloaded {total / 1e3:.0f} kB of images vs originals {originals / 1e6:.2f} MB ({total / originals:.1%})")


if __name__ == "__main__":
    main()

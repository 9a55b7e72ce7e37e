"""Image pipeline benchmark: cold vs warm cache, and what a phone downloads for the awards.

Measured in one run on the sample content (every `images` entry and award `image`):
  1. cold: empty cache, every core;  2. warm: a fresh ImagePipeline on the same cache
  (what a rebuild sees);  3. cold on one core, to show what the process pool buys.
Each timing is prepare() + publish() into a scratch site directory.

Bytes: for every award image, the variant a 360 px wide phone at DPR 2 picks from
`srcset` with the default `sizes` (slot 360 CSS px -> needs 720 px -> the 960w file),
WebP (what current phones take) and the JPEG fallback, against the originals' bytes.

    .venv/bin/python bench/images.py [--root .]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from generator.derive import derive_site
from generator.imaging import ImagePipeline, referenced_images
from generator.validate import validate_content

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


if __name__ == "__main__":
    main()

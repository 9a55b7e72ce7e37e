"""What the pipeline produces, declared once so the cache key can include it.

Any change here (a width, a quality, the encoder code itself via PIPELINE_VERSION) yields
new cache keys, so stale variants are never served; old cache entries are just ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

# Bump when decode/encode code changes output bytes for the same settings.
PIPELINE_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """Responsive widths and encoder settings for every published image."""

    widths: tuple[int, ...] = (480, 960, 1600)
    """Target widths in CSS-independent pixels; a source narrower than one is never upscaled."""
    jpeg_quality: int = 82
    """JPEG fallback quality (progressive, optimised Huffman tables)."""
    webp_quality: int = 78
    """WebP quality; at this level WebP is ~30 % smaller than the JPEG for photos."""
    webp_method: int = 4
    """libwebp effort 0-6; 6 is ~2x slower for ~2 % fewer bytes."""

    def fingerprint(self) -> str:
        """Stable text of the settings plus pipeline version, mixed into every cache key."""
        data = asdict(self) | {"pipeline": PIPELINE_VERSION}
        return json.dumps(data, sort_keys=True)


def cache_key(source_sha256: str, settings: Settings) -> str:
    """Content address of one source's variant set: source bytes + settings + version."""
    digest = hashlib.sha256()
    digest.update(source_sha256.encode())
    digest.update(b"\0")
    digest.update(settings.fingerprint().encode())
    return digest.hexdigest()


def plan_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """Widths to encode for a source: configured widths that fit, never upscaled.

    A source narrower than the largest configured width also gets a variant at its own
    width, so the sharpest version a screen can use is never withheld. A source narrower
    than every configured width gets that single variant.
    """
    kept = sorted({w for w in widths if w <= source_width})
    if source_width < max(widths) and (not kept or kept[-1] < source_width):
        kept.append(source_width)
    return kept

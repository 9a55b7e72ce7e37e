"""Image pipeline: phone photos -> small, upright, metadata-free responsive variants.

Pure and host-independent (no mkdocs import): the site plugin and the PDF book both call

    pipeline = ImagePipeline(".cache/dvk-images")      # keep one across serve rebuilds
    sets = pipeline.prepare(referenced_images(content.entries))  # {resolved path: VariantSet}
    pub = sets[img.abs_path].publish(site_dir / "anh", "../anh/")   # or .at(prefix), no I/O
    html = figure_html(pub, img.caption, img.credit, gallery="awards")

Validation-time checks (path inside content/, bomb guard, HEIC) live in
generator.imagecheck and are reused here, so both stages refuse the same files.
"""

from .cache import DEFAULT_CACHE_DIR
from .collect import referenced_images
from .decode import ImagingError, load_upright
from .html import DEFAULT_SIZES, figure_html, lightbox_html, picture_html
from .pipeline import ImagePipeline, ImagePipelineError, Stats
from .settings import PIPELINE_VERSION, Settings, plan_widths
from .variants import PublishedImage, PublishedVariant, Variant, VariantSet

__all__ = [
    "DEFAULT_CACHE_DIR",
    "DEFAULT_SIZES",
    "ImagePipeline",
    "ImagePipelineError",
    "ImagingError",
    "PIPELINE_VERSION",
    "PublishedImage",
    "PublishedVariant",
    "Settings",
    "Stats",
    "Variant",
    "VariantSet",
    "figure_html",
    "lightbox_html",
    "load_upright",
    "picture_html",
    "plan_widths",
    "referenced_images",
]

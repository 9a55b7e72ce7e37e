"""<picture> markup: no layout shift (width/height), responsive (srcset/sizes), escaped alt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from imaging_helpers import plain_jpeg
from markupsafe import Markup

from generator.imaging import ImagePipeline, figure_html, lightbox_html, picture_html

ALT = 'Trao giải <b>Nhất</b> & "Dân vận khéo"'


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    source = plain_jpeg(tmp / "giai-nhat.jpg", (3000, 2000))
    return ImagePipeline(tmp / "cache").prepare([source])[source.resolve()].at("../anh/")


def test_picture_has_sources_dimensions_and_lazy(published):
    html = picture_html(published, ALT, sizes="(max-width: 600px) 100vw, 50vw")
    assert isinstance(html, Markup)
    assert html.startswith("<picture><source type=\"image/webp\" srcset=\"../anh/giai-nhat-")
    assert re.search(r'srcset="[^"]*480w, [^"]*960w, [^"]*1600w"', html)
    assert html.count('sizes="(max-width: 600px) 100vw, 50vw"') == 2
    assert 'width="960" height="640"' in html  # of the src variant: the ratio reserves space
    assert re.search(r'<img src="\.\./anh/giai-nhat-[0-9a-f]{10}-960\.jpg"', html)
    assert 'loading="lazy"' in html and 'decoding="async"' in html


def test_alt_is_escaped(published):
    html = picture_html(published, ALT)
    assert 'alt="Trao giải &lt;b&gt;Nhất&lt;/b&gt; &amp; &#34;Dân vận khéo&#34;"' in html
    assert "<b>" not in html


def test_eager_image_has_no_loading_attribute(published):
    assert "loading=" not in picture_html(published, "x", lazy=False)


def test_lightbox_degrades_to_plain_link_to_largest_jpeg(published):
    html = lightbox_html(published, ALT, caption=ALT, credit="Minh họa: nhóm dvk", gallery="giai-thuong")
    assert re.match(r'<a href="\.\./anh/giai-nhat-[0-9a-f]{10}-1600\.jpg" class="dvk-lightbox"', html)
    assert 'data-gallery="giai-thuong"' in html and 'data-credit="Minh họa: nhóm dvk"' in html
    assert "data-caption=\"Trao giải &lt;b&gt;" in html
    assert html.endswith("</picture></a>")


def test_figure_has_caption_and_credit(published):
    html = figure_html(published, "Lễ trao giải", "Minh họa: nhóm dvk")
    assert "<figcaption>Lễ trao giải <span class=\"dvk-credit\">Minh họa: nhóm dvk</span></figcaption>" in html


def test_phone_picks_960_for_full_width_slot(published):
    variants = published.source
    assert variants.chosen(360, 2).width == 960
    assert variants.chosen(1200, 2).width == 1600

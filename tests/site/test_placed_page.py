"""Pages placed from the output cache carry mkdocs' own destination and URL (mkdocs_files.placed_page)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.structure.files import File, InclusionLevel

from generator.mkdocs_files import PlacedPage, placed_page

URIS = [
    "index.md",
    "mo-hinh/ngay-khong-giay-hen/index.md",
    "mo-hinh/ngay-khong-giay-hen.md",
    "phuong-xa/tay-ho/trang-2/index.md",
    "thong-ke.md",
    "a_b/c.d/index.md",
    "README.md",
    "mo-hinh/Đống-Đa/index.md",
    "mo-hinh/a b/index.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_placed_pages_go_where_mkdocs_would_put_them_at_the_url_it_would_give(directory_urls):
    # what File.generated reads of mkdocs' configuration
    config = SimpleNamespace(site_dir="/srv/site", use_directory_urls=directory_urls, plugins=SimpleNamespace(_current_plugin="dvk"))
    for uri in URIS:
        mine = placed_page(config, uri, inclusion=InclusionLevel.NOT_IN_NAV)
        theirs = File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        assert (mine.dest_uri, mine.url) == (theirs.dest_uri, theirs.url), uri
    assert isinstance(placed_page(config, "mo-hinh/x/index.md"), PlacedPage)  # the light record for dvk's own

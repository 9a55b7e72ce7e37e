"""The names the search index and the search page share, and the page's settings.

One home for the filter groups a citizen narrows by, in the order they are shown: the
search records (generator/search/records.py) carry them, the index
(generator/search/index.py) stores each page's value, and the search page's script
(theme/assets/dvk/search.js) draws them from the index, never from a list of its own.
"""

from __future__ import annotations

import json

from ..schema import PLACE_FACT_LABEL
from ..vocab import FIELDS, KINDS, LEVELS

SEARCH_BUNDLE = "chi-muc-tim-kiem/"  # generator/search/index.py writes the index there

# group names are the vocabularies' and the schema's own labels
FILTER_PLACE = PLACE_FACT_LABEL
FILTER_KIND = KINDS.label
FILTER_FIELD = FIELDS.label
FILTER_LEVEL = LEVELS.label
FILTER_YEAR = "Năm"
FILTER_ORDER = (FILTER_PLACE, FILTER_KIND, FILTER_FIELD, FILTER_LEVEL, FILTER_YEAR)


def search_page_config(bundle: str) -> str:
    """JSON for the search page's data-config attribute (escaped by the template)."""
    return json.dumps({"bundle": bundle}, ensure_ascii=False, sort_keys=True)

"""What entry pages carry for the site search, and the settings the search page reads.

One home for the names shared by the index (entry pages, read by Pagefind at build time)
and the search page's script (theme/assets/dvk/search.js, which gets them as JSON in a
data attribute, never as literals of its own):

- filters: the five groups a citizen narrows by, in the order they are shown;
- meta: the folded title and place copies that ranking looks at, and the kind, place
  and date shown under each result's title;
- ranking: Pagefind ranking options. The folded title copy is a meta field so a match in
  the title adds a boost proportional to how much of the query it covers (Pagefind's
  `metaWeights`); the accented title Pagefind takes from <h1> gets no more than the
  folded copy so an accented query and its unaccented form rank alike (the script folds
  the query before searching: "Định Công" is searched as "dinh cong").
"""

from __future__ import annotations

import json

from ..schema import PLACE_FACT_LABEL
from ..vocab import FIELDS, KINDS, LEVELS

PAGEFIND_BUNDLE = "pagefind/"  # the plugin runs Pagefind with --output-subdir pagefind

# group names are the vocabularies' and the schema's own labels
FILTER_PLACE = PLACE_FACT_LABEL
FILTER_KIND = KINDS.label
FILTER_FIELD = FIELDS.label
FILTER_LEVEL = LEVELS.label
FILTER_YEAR = "Năm"
FILTER_ORDER = (FILTER_PLACE, FILTER_KIND, FILTER_FIELD, FILTER_LEVEL, FILTER_YEAR)

# data-pagefind-meta names (short: every fragment carries them)
META_TITLE_KEY = "tk"  # folded title, matched and boosted
META_PLACE_KEY = "pk"  # folded ward, district and unit, matched and boosted
META_KIND = "kind"  # "Mô hình", "Hội thi"… shown
META_PLACE = "place"  # "phường Định Công, quận Hoàng Mai" shown
META_WHEN = "year"  # year shown (the core search records carry it as "year")
META_SUMMARY = "summary"  # shown in place of Pagefind's excerpt

# Meta fields shown, not matched for rank (0), and Pagefind's own image/image_alt likewise.
RANKING = {
    "metaWeights": {"title": 5.0, META_TITLE_KEY: 12.0, META_PLACE_KEY: 4.0, META_KIND: 0.0, META_PLACE: 0.0, META_WHEN: 0.0, META_SUMMARY: 1.0, "image": 0.0, "image_alt": 0.0},
}


def search_page_config(bundle: str) -> str:
    """JSON for the search page's data-config attribute (escaped by the template)."""
    return json.dumps(
        {
            "bundle": bundle,
            "filters": list(FILTER_ORDER),
            "meta": {"kind": META_KIND, "place": META_PLACE, "when": META_WHEN, "summary": META_SUMMARY},
            "ranking": RANKING,
        },
        ensure_ascii=False,
        sort_keys=True,
    )

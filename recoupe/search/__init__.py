"""Full-text search over a workspace's posts (issue 5), with tantivy.

DuckDB stays the source of truth; the index in `WORKSPACE/search-index/` is derived from it:
`rebuild(ws)` makes it from scratch, `update(ws)` (after each import, and after `enrich`)
indexes only the posts added or changed since, and either can run at any time. On 1,000,000
messages on a two-core machine (`python bench/search.py`), the benchmark's 27 queries answer in
7 ms at the median and 18 ms at the 95th percentile, snippets and facet counts included, where
DuckDB's `fts` extension takes 133 and 224 ms for the top 50 ids alone; a rebuild takes 40 s,
the update after importing 10,000 messages under a second.

- `search(ws, query, filters=..., sort=..., offset=..., limit=..., facets=...) -> Result`:
  one page of hits (each with a snippet of its original text and the spans the query matched),
  the total, and the counts of each facet's values.
- `count_terms(ws, terms, filters=...) -> {term: total}`: batch search.
- `iter_all_hits(ws, query, filters) -> Iterator[Hit]`: every hit, oldest first, for exports;
  `hit_ids(ws, query, filters) -> list[int]`: only their ids, from the index (timelines).
- `rebuild(ws, progress)`, `update(ws, progress) -> IndexReport`, `pending(ws)`.
- The query language is described in `query`; what is indexed and how, in `store`.

Errors: `SearchSyntaxError` (a query that cannot be read: what is wrong and at which character),
`IndexMissing` (no usable index: says to run `python -m recoupe reindex`); both are
`RecoupeError`s.
"""

from .engine import (FACETS, FILTERS, SORTS, FacetValue, Hit, Result, count_terms, hit_ids,
                     iter_all_hits, price_band_bounds, search)
from .indexer import PRICE_BANDS, IndexReport, pending, rebuild, update
from .query import SearchSyntaxError, canonical_substances, parse
from .snippets import Snippet
from .store import IndexMissing

__all__ = ["FACETS", "FILTERS", "PRICE_BANDS", "SORTS", "FacetValue", "Hit", "IndexMissing",
           "IndexReport", "Result", "SearchSyntaxError", "Snippet", "canonical_substances",
           "count_terms", "hit_ids", "iter_all_hits", "parse", "pending", "price_band_bounds",
           "rebuild", "search", "update"]

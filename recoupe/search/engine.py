"""Searching the index: hits with snippets, filters, facet counts, sorting and paging.

`search()` runs the query (see `query`) with the filters as extra conditions that do not change
the ranking, returns one page of hits read from the index's store (no DuckDB round trip), and
counts the values of each facet under the query. Facet counts are those of the query with every
filter except the facet's own, so that a filtered facet still shows the other values one could
pick instead (the usual way of faceted search); the total is that of the query with all filters.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, NamedTuple

import pyarrow as pa
import tantivy

from ..errors import RecoupeError
from ..i18n import _, money
from ..workspace import Workspace
from .indexer import BATCH_SCHEMA, PRICE_BANDS
from .query import Marks, SearchSyntaxError, parse
from .snippets import Snippet, snippet
from .store import FACET_COLUMNS, SCHEMA, SEPARATOR, SET_FIELDS, open_index

MAX_LIMIT = 1000
MAX_OFFSET = 100_000
FACET_SIZE = 20
DAY_FACET_SIZE = 3660  # ten years of days
SET_BUCKETS = 65_000   # tantivy's limit of buckets per request
EXPORT_CHUNK = 10_000
SORTS = ("relevance", "time", "time_asc")
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="recoupe-search")

# Facets, in the order a page may show them. Values: chat ids (labelled with the chat's name),
# days "YYYY-MM-DD" in Europe/Paris (in date order; filter them with since/until), price bands
# (PRICE_BANDS, in band order), the exact values otherwise (most hits first).
FACETS = ("chat", "platform", "day", "lang", "author", "substance", "zone", "contact",
          "price_band", "promotion", "recruitment", "tag")
# Each filter narrows one facet (whose counts are then made without that filter).
FILTERS = {"chat": "chat", "platform": "platform", "since": "day", "until": "day",
           "lang": "lang", "author": "author", "substance": "substance", "zone": "zone",
           "contact": "contact", "unit_price_min": "price_band", "unit_price_max": "price_band",
           "promotion": "promotion", "recruitment": "recruitment", "tag": "tag"}


class FacetValue(NamedTuple):
    """One value of a facet: what to filter on, how many hits have it, what to show."""

    value: object
    count: int
    label: str


@dataclass(frozen=True)
class Hit:
    """One post found; `id` opens it in the item view (`?id=N`)."""

    id: int
    chat: str
    chat_id: int
    message_id: int | None
    author: str | None
    platform: str
    posted_at: datetime | None   # UTC, naive, like the store
    score: float | None          # relevance; None when sorted by time or exported
    text: str                    # the item's whole original text
    snippet: Snippet | None      # None in exports


@dataclass
class Result:
    """A page of hits: `total` hits in all, `hits` from `offset`, the facet counts, and notes
    on how the query was read (fuzzy matching not applied to a short word, a stale index)."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    offset: int
    limit: int
    sort: str
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _as_list(value) -> list:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def _epoch(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp())


def _filter_queries(ws: Workspace, filters: dict | None) -> dict[str, tantivy.Query]:
    """Each filter as a query, keyed by the facet it narrows (two filters on one facet, such as
    since and until, are joined)."""
    by_facet: dict[str, list[tantivy.Query]] = {}
    for key, value in (filters or {}).items():
        if key not in FILTERS:
            raise RecoupeError(_("Unknown search filter {key!r}; the filters are {filters}.",
                                 key=key, filters=", ".join(sorted(FILTERS))))
        if value is None or value == [] or value == "":
            continue
        q = _filter_query(ws, key, value)
        by_facet.setdefault(FILTERS[key], []).append(q)
    return {facet: (qs[0] if len(qs) == 1 else
                    tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in qs]))
            for facet, qs in by_facet.items()}


def _filter_query(ws: Workspace, key: str, value) -> tantivy.Query:
    if key == "chat":
        ids: set[int] = set()
        for chat in _as_list(value):
            if isinstance(chat, int):
                ids.add(chat)
                continue
            found = [r[0] for r in ws.q("search.chats_named", {"chat": str(chat)}).fetchall()]
            if not found:
                raise RecoupeError(_("No chat named {chat!r} in the workspace {root}.",
                                     chat=chat, root=ws.root))
            ids.update(found)
        return tantivy.Query.term_set_query(SCHEMA, "chat", sorted(ids))
    if key in ("since", "until"):
        if not isinstance(value, datetime):
            raise RecoupeError(_("The {key} filter takes a datetime (UTC), not {value!r}.",
                                 key=key, value=value))
        bound = _epoch(value)
        return (tantivy.Query.range_query(SCHEMA, "posted", tantivy.FieldType.Integer,
                                          lower_bound=bound) if key == "since" else
                tantivy.Query.range_query(SCHEMA, "posted", tantivy.FieldType.Integer,
                                          upper_bound=bound, include_upper=False))
    if key in ("unit_price_min", "unit_price_max"):
        try:
            bound = float(value)
        except (TypeError, ValueError):
            raise RecoupeError(_("The {key} filter takes a number, not {value!r}.",
                                 key=key, value=value)) from None
        kwargs = {"lower_bound": bound} if key == "unit_price_min" else {"upper_bound": bound}
        return tantivy.Query.range_query(SCHEMA, "unit_price", tantivy.FieldType.Float, **kwargs)
    if key in ("promotion", "recruitment"):
        if value is True:
            return tantivy.Query.exists_query(key)
        if value is False:
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, tantivy.Query.exists_query(key))])
        return tantivy.Query.term_set_query(SCHEMA, key, [str(v) for v in _as_list(value)])
    return tantivy.Query.term_set_query(SCHEMA, key, [str(v) for v in _as_list(value)])


def _combine(main: tantivy.Query, filters: list[tantivy.Query]) -> tantivy.Query:
    if not filters:
        return main
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, main)]
        + [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters])


def _aggregations(names) -> dict:
    aggs = {}
    for name in names:
        if name == "day":
            aggs[name] = {"terms": {"field": "day", "size": DAY_FACET_SIZE,
                                    "order": {"_key": "asc"}}}
        else:
            # One more than shown: the column's "" (no value) may be among the largest.
            size = SET_BUCKETS if name in SET_FIELDS else FACET_SIZE + 1
            aggs[name] = {"terms": {"field": FACET_COLUMNS[name], "size": size}}
    return aggs


def _counts(searcher: tantivy.Searcher, main: tantivy.Query,
            filters: dict[str, tantivy.Query]) -> tuple[dict[str, list[tuple]], int]:
    """The (value, posts) of each facet, and the total under all filters (from the counts of
    the platform facet, which every post has exactly one value of, when no filter narrows it).
    Only tantivy is called here, so that it can run beside the search for the page of hits."""
    counts: dict[str, list[tuple]] = {}
    unfiltered = [f for f in FACETS if f not in filters]
    aggs = _aggregations(unfiltered)
    if "platform" in filters:
        aggs["_total"] = {"value_count": {"field": "id"}}
    full = _combine(main, list(filters.values()))
    result = searcher.aggregate(full, aggs)
    for name in unfiltered:
        counts[name] = _buckets(searcher, full, name, result[name])
    for name in filters:
        narrowed = _combine(main, [q for f, q in filters.items() if f != name])
        one = searcher.aggregate(narrowed, _aggregations([name]))
        counts[name] = _buckets(searcher, narrowed, name, one[name])
    total = (int(result["_total"]["value"]) if "_total" in result
             else sum(n for _key, n in counts["platform"]))
    return counts, total


def _buckets(searcher: tantivy.Searcher, query: tantivy.Query, name: str,
             agg: dict) -> list[tuple]:
    """(value, posts) of a facet, most posts first (days in order); posts without a value
    are not counted."""
    if name not in SET_FIELDS:
        return [(b["key"], b["doc_count"]) for b in agg["buckets"] if b["key"]][:FACET_SIZE]
    if agg.get("sum_other_doc_count"):
        # More distinct sets than SET_BUCKETS: count the values themselves (slower).
        one = searcher.aggregate(query, {name: {"terms": {"field": name, "size": FACET_SIZE}}})
        return [(b["key"], b["doc_count"]) for b in one[name]["buckets"]]
    sums: Counter = Counter()
    for b in agg["buckets"]:
        if b["key"]:
            for value in b["key"].split(SEPARATOR):
                sums[value] += b["doc_count"]
    return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]


def _labelled(ws: Workspace, name: str, buckets: list[tuple]) -> list[FacetValue]:
    if name == "chat":
        names = dict(ws.q("search.chats").fetchall()) if buckets else {}
        return [FacetValue(int(k), n, names.get(int(k)) or _("chat {id}", id=int(k)))
                for k, n in buckets]
    if name == "day":
        days = [f"{int(k) // 10000:04d}-{int(k) // 100 % 100:02d}-{int(k) % 100:02d}"
                for k, _n in buckets]
        return [FacetValue(d, n, d) for d, (_k, n) in zip(days, buckets)]
    if name == "price_band":
        order = {key: i for i, (key, _low, _high) in enumerate(PRICE_BANDS)}
        buckets = sorted(buckets, key=lambda b: order.get(b[0], len(order)))
        return [FacetValue(k, n, _band_label(k)) for k, n in buckets]
    return [FacetValue(k, n, str(k)) for k, n in buckets]


def _band_label(key: str) -> str:
    for k, low, high in PRICE_BANDS:
        if k == key:
            return (_("{low}–{high} per unit", low=money(low), high=money(high))
                    if high is not None else _("{low} and more per unit", low=money(low)))
    return key


def price_band_bounds(key: str) -> tuple[float, float | None]:
    """The (unit_price_min, unit_price_max) filters of a price band of the facet. The band's
    upper bound is excluded in the facet; as a filter it is included."""
    for k, low, high in PRICE_BANDS:
        if k == key:
            return low, high
    raise RecoupeError(_("No price band {key!r}.", key=key))


def _hit(doc: dict, score: float | None, marks: Marks) -> Hit:
    """A hit read from the index's store, with its snippet."""
    def first(name):
        values = doc.get(name)
        return values[0] if values else None

    text = first("original") or ""
    posted = first("posted")
    return Hit(
        id=first("id"), chat=first("chat_name") or "", chat_id=first("chat"),
        message_id=first("message_id"), author=first("author"), platform=first("platform"),
        posted_at=(datetime.fromtimestamp(posted, timezone.utc).replace(tzinfo=None)
                   if posted is not None else None),
        score=score, text=text,
        snippet=snippet(text, marks, first("marks")))


def search(ws: Workspace, query: str, *, filters: dict | None = None, sort: str = "relevance",
           offset: int = 0, limit: int = 50, facets: bool = True) -> Result:
    """One page of the hits of `query` under `filters`, with the facet counts.

    filters: chat (ids or names), platform, since and until (naive UTC datetimes, until
    excluded), lang, author, substance, zone, contact, tag (a value or a list of values: any of
    them), unit_price_min and unit_price_max (numbers, included), promotion and recruitment
    (True: any kind, False: none, or kinds). sort: "relevance", "time" (newest first) or
    "time_asc". Raises SearchSyntaxError for a query that cannot be read, IndexMissing when the
    workspace has no usable index, RecoupeError for a bad filter.
    """
    started = time.perf_counter()
    if sort not in SORTS:
        raise RecoupeError(_("Sort by one of {sorts}, not {sort!r}.", sorts=", ".join(SORTS),
                             sort=sort))
    if not 0 <= offset <= MAX_OFFSET:
        raise RecoupeError(_("The offset must be between 0 and {max}.",
                             max=f"{MAX_OFFSET:,}"))
    limit = max(0, min(int(limit), MAX_LIMIT))
    parsed = parse(query)
    main = parsed.to_tantivy()
    by_facet = _filter_queries(ws, filters)
    index, state = open_index(ws)
    searcher = index.searcher()
    notes = list(parsed.notes)
    if not state.current:
        notes.append(_("The search index was built with other lexicons than the workspace's "
                       "now: run `python -m recoupe reindex` for results that use them."))
    full = _combine(main, list(by_facet.values()))
    # The facet counts (tantivy releases the GIL) run on the other core meanwhile.
    counting = _POOL.submit(_counts, searcher, main, by_facet) if facets else None
    order = {"time": tantivy.Order.Desc, "time_asc": tantivy.Order.Asc}.get(sort)
    found = searcher.search(full, max(limit, 1), count=counting is None,
                            order_by_field="posted" if order is not None else None,
                            offset=offset, order=order or tantivy.Order.Desc)
    marks = parsed.marks()
    hits = [_hit(searcher.doc(address).to_dict(), value if order is None else None, marks)
            for value, address in found.hits[:limit]]
    facet_counts: dict[str, list[FacetValue]] = {}
    if counting is None:
        total = found.count
    else:
        counts, total = counting.result()
        facet_counts = {name: _labelled(ws, name, counts[name]) for name in FACETS}
    return Result(query, total, hits, facet_counts, offset, limit, sort, notes,
                  time.perf_counter() - started)


def count_terms(ws: Workspace, terms: list[str], *, filters: dict | None = None) -> dict[str, int]:
    """How many posts each query (a word, a phrase, any query) finds under `filters`: the counts
    of a batch search. A term that cannot be read raises SearchSyntaxError naming it."""
    by_facet = _filter_queries(ws, filters)
    searcher = open_index(ws)[0].searcher()
    out = {}
    for term in terms:
        try:
            parsed = parse(term)
        except SearchSyntaxError as exc:
            raise SearchSyntaxError(_("In {term!r}: {error}", term=term, error=exc),
                                    exc.position) from None
        q = _combine(parsed.to_tantivy(), list(by_facet.values()))
        out[term] = searcher.search(q, 1, count=True).count
    return out


def hit_ids(ws: Workspace, query: str, filters: dict | None = None) -> list[int]:
    """The ids of every hit of `query` under `filters`, in id order, read from the index alone
    (no text): what a timeline of a search counts."""
    full = _combine(parse(query).to_tantivy(), list(_filter_queries(ws, filters).values()))
    searcher = open_index(ws)[0].searcher()
    ids: list[int] = []
    last = None
    while True:
        q = full if last is None else tantivy.Query.boolean_query([
            (tantivy.Occur.Must, full),
            (tantivy.Occur.Must, tantivy.Query.range_query(
                SCHEMA, "id", tantivy.FieldType.Integer, lower_bound=last, include_lower=False))])
        found = searcher.search(q, EXPORT_CHUNK, count=False, order_by_field="id",
                                order=tantivy.Order.Asc)
        chunk = [value for value, _address in found.hits]
        ids.extend(chunk)
        if len(chunk) < EXPORT_CHUNK:
            break
        last = chunk[-1]
    return ids


def iter_all_hits(ws: Workspace, query: str, filters: dict | None = None) -> Iterator[Hit]:
    """Every hit of `query` under `filters`, oldest first, with its whole text (no snippet, no
    score): what an export of all the hits writes. Streamed: the ids are gathered from the
    index in chunks, then the items are read from the workspace in time order."""
    ids = hit_ids(ws, query, filters)
    ws.con.register("search_batch", pa.table({"id": pa.array(ids, pa.int64())},
                                             schema=BATCH_SCHEMA))
    try:
        cur = ws.q("search.all_hits")
        cols = [d[0] for d in cur.description]
        while rows := cur.fetchmany(EXPORT_CHUNK):
            for row in rows:
                r = dict(zip(cols, row))
                yield Hit(id=r["id"], chat=r["chat"] or "", chat_id=r["chat_id"],
                          message_id=r["message_id"], author=r["author"], platform=r["platform"],
                          posted_at=r["posted_at_utc"], score=None, text=r["text"], snippet=None)
    finally:
        ws.con.unregister("search_batch")

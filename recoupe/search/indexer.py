"""Building the search index from the workspace, and keeping it up to date.

DuckDB is the source of truth; the index is derived from it and can be thrown away.
`rebuild(ws)` makes a new index beside the old one and swaps it in when it is complete, so a
search never sees half an index. `update(ws)` indexes what changed since the last update:
every post carries a fingerprint (a hash, computed by DuckDB, of its text, the lexicon version
of its entities, its language, author, chat and chat name, platform, time and the tags of its
evidence in cases; see
`queries/search.sql`), and the fingerprints of the indexed posts are kept beside the index. A
post whose fingerprint is new or different is (re)indexed: new messages, texts changed by a later
export (their entities are extracted again, which changes their lexicon version stamp from none
to the current one), a renamed chat; a post no longer in the workspace leaves the index. When the
index is missing, was made by another version of this module or with other lexicons, `update`
rebuilds it.

Updates are idempotent: the index is committed before the fingerprints are written, so an
interrupted update leaves, at worst, posts that the next update indexes again.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq
import tantivy

from ..errors import RecoupeError
from ..extract import normalise
from ..folders import swap_in
from ..i18n import _
from ..workspace import Workspace
from .store import (FACET_COLUMNS, INDEX_DIR, SCHEMA, SEPARATOR, create, forget, index_dir, open_at,
                    read_state, write_state)

BATCH = 20_000
# One indexing thread with room for a million posts in memory: a rebuild of a million posts
# makes a single segment, which answers about twice as fast as the four that two threads of
# 128 MB make (bench/search.py); Python, not tantivy, sets the pace of indexing anyway.
WRITER_HEAP = 500_000_000
WRITER_THREADS = 1
FINGERPRINTS = "fingerprints.parquet"
FINGERPRINT_SCHEMA = pa.schema([("item_id", pa.int64()), ("fingerprint", pa.uint64())])
BATCH_SCHEMA = pa.schema([("id", pa.int64())])
# A larger share of changed posts is reindexed by a rebuild (faster, and leaves no deletions).
REBUILD_SHARE = 0.5

# Unit prices are counted in these bands (EUR or the currency given, per gram, pill or unit):
# (key, lowest included, highest excluded).
PRICE_BANDS = (("0-5", 0.0, 5.0), ("5-10", 5.0, 10.0), ("10-20", 10.0, 20.0),
               ("20-50", 20.0, 50.0), ("50-100", 50.0, 100.0), ("100+", 100.0, None))

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexReport:
    """What an update or a rebuild did."""

    rebuilt: bool
    indexed: int     # posts added or indexed again
    removed: int     # posts taken out of the index
    documents: int   # posts in the index now
    seconds: float


def price_band(price: float) -> str:
    for key, low, high in PRICE_BANDS:
        if price >= low and (high is None or price < high):
            return key
    return PRICE_BANDS[0][0]  # negative amounts do not occur; keep them countable anyway


def _one_at_a_time(work):
    """Index writers of the process take turns (an import's update, a tag change's, a rebuild):
    tantivy lets one writer hold the index, and refuses a second instead of waiting."""
    @wraps(work)
    def wrapper(ws: Workspace, *args, **kwargs):
        with ws.exclusive("search-index"):
            return work(ws, *args, **kwargs)
    return wrapper


@_one_at_a_time
def rebuild(ws: Workspace, progress: Progress | None = None) -> IndexReport:
    """Make the index again from every post of the workspace.

    The new index is built in `search-index.new/` and replaces `search-index/` only once it is
    complete; `progress(done, total)` is called after each batch of posts.
    """
    started = time.perf_counter()
    folder = index_dir(ws)
    fresh = folder.with_name(INDEX_DIR + ".new")
    current = ws.q("search.fingerprints").to_arrow_table()
    index = create(fresh)
    try:
        writer = _writer(index)
        try:
            _add(ws, writer, current["item_id"], progress)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        writer.wait_merging_threads()
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    del writer, index
    _write_fingerprints(fresh, current)
    write_state(fresh, current.num_rows)
    forget(folder)
    swap_in(fresh, folder)
    return IndexReport(True, current.num_rows, 0, current.num_rows,
                       time.perf_counter() - started)


@_one_at_a_time
def update(ws: Workspace, progress: Progress | None = None) -> IndexReport:
    """Index the posts added or changed since the last update, and drop those that are gone.

    Rebuilds when there is no usable index, and when most posts changed.
    """
    started = time.perf_counter()
    folder = index_dir(ws)
    if not _usable(folder):
        return rebuild(ws, progress)
    current, changed, removed = _diff(ws, folder)
    if not changed and not removed:
        return IndexReport(False, 0, 0, current.num_rows, time.perf_counter() - started)
    if len(changed) > REBUILD_SHARE * max(current.num_rows, 1):
        return rebuild(ws, progress)
    writer = _writer(open_at(folder))
    try:
        gone = removed + changed
        for i in range(0, len(gone), BATCH):
            writer.delete_documents_by_query(
                tantivy.Query.term_set_query(SCHEMA, "id", gone[i:i + BATCH]))
        _add(ws, writer, pa.array(changed, pa.int64()), progress)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    writer.wait_merging_threads()
    _write_fingerprints(folder, current)
    write_state(folder, current.num_rows)
    return IndexReport(False, len(changed), len(removed), current.num_rows,
                       time.perf_counter() - started)


def _writer(index: tantivy.Index) -> tantivy.IndexWriter:
    try:
        return index.writer(WRITER_HEAP, WRITER_THREADS)
    except ValueError as exc:
        if "lock" in str(exc).lower():
            raise RecoupeError(_("The search index is being updated by another program; try "
                                 "again when it is done.")) from None
        raise


def _write_fingerprints(folder: Path, table: pa.Table) -> None:
    tmp = folder / (FINGERPRINTS + ".tmp")
    pq.write_table(table.cast(FINGERPRINT_SCHEMA), tmp)
    os.replace(tmp, folder / FINGERPRINTS)


def _add(ws: Workspace, writer: tantivy.IndexWriter, ids: pa.ChunkedArray | pa.Array,
         progress: Progress | None) -> None:
    """Add the documents of the posts `ids`, read from the workspace a batch at a time (one
    statement over every post would make DuckDB hold all their entities at once: 2 GB for a
    million posts, against 0.5 GB)."""
    total = len(ids)
    for start in range(0, total, BATCH):
        ws.con.register("search_batch",
                        pa.table({"id": ids.slice(start, BATCH)}, schema=BATCH_SCHEMA))
        try:
            columns = ws.q("search.documents").to_arrow_table().to_pydict()
        finally:
            ws.con.unregister("search_batch")
        # Column by column, then zipped: several times faster than Table.to_pylist().
        for values in zip(*columns.values()):
            row = dict(zip(columns, values))
            writer.add_document(tantivy.Document.from_dict(_document(row), SCHEMA))
        if progress:
            progress(min(start + BATCH, total), total)


# Names of chats, authors, zones and contacts come back again and again.
_folded = lru_cache(maxsize=65_536)(normalise)


def _document(row: dict) -> dict:
    """The fields of one post's document (see `store`)."""
    text = row["text"] or ""
    doc: dict = {"id": row["id"], "text": normalise(text), "original": text,
                 "chat": row["chat_id"], "chat_words": _folded(row["chat"] or ""),
                 "chat_name": row["chat"] or "", "platform": row["platform"]}
    for key in ("posted", "message_id", "lang"):
        if row[key] is not None:
            doc[key] = row[key]
    doc["day"] = row["day"] or 0
    if row["author"]:
        doc["author"] = row["author"].replace(SEPARATOR, " ")
        doc["author_words"] = _folded(doc["author"])
    for key, field in (("substances", "substance"), ("zones", "zone"), ("contacts", "contact"),
                       ("promotions", "promotion"), ("recruitments", "recruitment")):
        if row[key]:
            doc[field] = [v.replace(SEPARATOR, " ") for v in row[key]]
    if row["tags"]:
        doc["tag"] = row["tags"]
        doc["tag_words"] = [_folded(t) for t in row["tags"]]
    if row["zones"]:
        doc["zone_words"] = [_folded(z) for z in row["zones"]]
    if row["contacts"]:
        doc["contact_words"] = [_folded(c) for c in row["contacts"]]
    if row["unit_prices"]:
        doc["unit_price"] = row["unit_prices"]
        doc["price_band"] = sorted({price_band(p) for p in row["unit_prices"]})
    if row["marks"]:
        doc["marks"] = row["marks"]
    for name, column in FACET_COLUMNS.items():
        if column != name:
            value = doc.get(name)
            doc[column] = (SEPARATOR.join(sorted(set(value))) if isinstance(value, list)
                           else value or "")
    return doc


def pending(ws: Workspace) -> int | None:
    """How many posts the next `update` would index or drop (None: it would rebuild)."""
    folder = index_dir(ws)
    if not _usable(folder):
        return None
    _current, changed, removed = _diff(ws, folder)
    return len(changed) + len(removed)


def _usable(folder: Path) -> bool:
    """Whether `update` can build on the index in `folder` (else it rebuilds)."""
    state = read_state(folder)
    return (state is not None and state.current and (folder / FINGERPRINTS).exists()
            and tantivy.Index.exists(str(folder / "tantivy")))


def _diff(ws: Workspace, folder: Path) -> tuple[pa.Table, list[int], list[int]]:
    """The posts' fingerprints now, the ids of the posts new or changed since the index's
    fingerprints were written, and the ids of the indexed posts no longer in the workspace."""
    current = ws.q("search.fingerprints").to_arrow_table()
    ws.con.register("search_current", current)
    ws.con.register("search_previous",
                    pq.read_table(folder / FINGERPRINTS, schema=FINGERPRINT_SCHEMA))
    try:
        changed = [r[0] for r in ws.q("search.changed").fetchall()]
        removed = [r[0] for r in ws.q("search.removed").fetchall()]
    finally:
        ws.con.unregister("search_current")
        ws.con.unregister("search_previous")
    return current, changed, removed

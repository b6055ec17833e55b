"""Enrichment: language and entities for every post, kept in the workspace.

Derived data: it runs after each import on what the import added or changed, and
`python -m recoupe enrich` runs it over whatever a lexicon change made stale (an item's
`enriched_version` names the lexicon that produced its entities). Each batch is its own
transaction; an interrupted run leaves the rest pending for the next, never half an item.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable

import duckdb
import pyarrow as pa

from .extract import LEXICON_VERSION, Entity, analyse
from .sql import sql
from .workspace import Workspace

BATCH = 20_000

_ENTITY_SCHEMA = pa.schema([
    ("item_id", pa.int64()), ("kind", pa.string()), ("value", pa.string()), ("raw", pa.string()),
    ("start_pos", pa.int32()), ("end_pos", pa.int32()), ("detail", pa.string()),
    ("quantity", pa.float64()), ("unit", pa.string()), ("amount", pa.float64()),
    ("currency", pa.string()), ("unit_price", pa.float64()), ("substance", pa.string()),
    ("lexicon_version", pa.string()),
])
# An entities row is the item id, the Entity's fields in their order, then the lexicon version.
assert tuple(n.replace("_pos", "") for n in _ENTITY_SCHEMA.names[1:-1]) == Entity._fields
_ITEM_SCHEMA = pa.schema([("id", pa.int64()), ("lang", pa.string()), ("lang_score", pa.float64())])


def pending(ws: Workspace) -> int:
    return ws.one("enrich.pending_count", {"lexicon_version": LEXICON_VERSION})


def enrich(ws: Workspace, *, progress: Callable[[int], None] | None = None) -> int:
    """Enrich every post not yet enriched with the current lexicon; returns how many.

    Extraction is Python work; storing its results is DuckDB's, which leaves the interpreter
    free: a second thread stores each batch (on its own cursor, in its own transaction) while the
    next one is analysed. Measured on this two-core machine, a process pool was slower instead
    (sending the entities back between processes cost more than the second core gave).
    """
    done = 0
    after = 0
    writer = _Writer(ws)
    try:
        while rows := ws.q("enrich.pending_batch", {"lexicon_version": LEXICON_VERSION,
                                                    "after": after, "limit": BATCH}).fetchall():
            ids = [r[0] for r in rows]
            after = ids[-1]
            writer.put(ids, analyse([r[1] for r in rows]))
            done += len(ids)
            if progress:
                progress(len(ids))
    finally:
        writer.close()
    return done


class _Writer:
    """Stores analysed batches on a thread of its own; its errors are raised in the caller."""

    def __init__(self, ws: Workspace):
        self.cursor = ws.con.cursor()
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="recoupe-enrich", daemon=True)
        self.thread.start()

    def put(self, ids: list[int], results) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((ids, results))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.cursor.close()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.queue.get()) is not None:
            if self.error is None:
                try:
                    _store(self.cursor, *job)
                except BaseException as exc:  # noqa: BLE001 (raised again in the caller)
                    self.error = exc


def _store(con: duckdb.DuckDBPyConnection, ids: list[int], results) -> None:
    """One batch's languages and entities, in one transaction on cursor `con`."""
    rows = [(item_id, *e, LEXICON_VERSION)
            for item_id, (_, _, found) in zip(ids, results) for e in found]
    columns = list(zip(*rows)) if rows else [()] * len(_ENTITY_SCHEMA)
    ents = dict(zip(_ENTITY_SCHEMA.names, map(list, columns)))
    items = pa.Table.from_pydict({"id": ids, "lang": [r[0] for r in results],
                                  "lang_score": [r[1] for r in results]}, schema=_ITEM_SCHEMA)
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("enrich_items", items)
        con.register("enrich_entities", pa.Table.from_pydict(ents, schema=_ENTITY_SCHEMA))
        con.execute(sql("enrich.forget_entities"))
        con.execute(sql("enrich.store_entities"))
        con.execute(sql("enrich.mark_enriched"), {"lexicon_version": LEXICON_VERSION})
        con.unregister("enrich_items")
        con.unregister("enrich_entities")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")

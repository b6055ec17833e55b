"""Enrichment: language and entities for every post, kept in the workspace.

Derived data: it runs after each import on what the import added or changed, and
`python -m recoupe enrich` runs it over whatever a lexicon change made stale (an item's
`enriched_version` names the lexicon that produced its entities). Each batch is its own
transaction; an interrupted run leaves the rest pending for the next, never half an item.
"""

from __future__ import annotations

from typing import Callable

import pyarrow as pa

from .extract import LEXICON_VERSION, analyse
from .workspace import Workspace

BATCH = 20_000

_ENTITY_SCHEMA = pa.schema([
    ("item_id", pa.int64()), ("kind", pa.string()), ("value", pa.string()), ("raw", pa.string()),
    ("start_pos", pa.int32()), ("end_pos", pa.int32()), ("detail", pa.string()),
    ("quantity", pa.float64()), ("unit", pa.string()), ("amount", pa.float64()),
    ("currency", pa.string()), ("unit_price", pa.float64()), ("substance", pa.string()),
    ("lexicon_version", pa.string()),
])
_ITEM_SCHEMA = pa.schema([("id", pa.int64()), ("lang", pa.string()), ("lang_score", pa.float64())])


def pending(ws: Workspace) -> int:
    return ws.one("enrich.pending_count", {"lexicon_version": LEXICON_VERSION})


def enrich(ws: Workspace, *, progress: Callable[[int], None] | None = None) -> int:
    """Enrich every post not yet enriched with the current lexicon; returns how many.

    One process: measured on this two-core machine, a pool of two was slower (sending the
    entities back between processes cost more than the second core gave).
    """
    done = 0
    while rows := ws.q("enrich.pending_batch", {"lexicon_version": LEXICON_VERSION,
                                                "limit": BATCH}).fetchall():
        ids = [r[0] for r in rows]
        _store(ws, ids, analyse([r[1] for r in rows]))
        done += len(ids)
        if progress:
            progress(len(ids))
    return done


def _store(ws: Workspace, ids: list[int], results) -> None:
    ents: dict[str, list] = {name: [] for name in _ENTITY_SCHEMA.names}
    for item_id, (_, _, found) in zip(ids, results):
        for e in found:
            ents["item_id"].append(item_id)
            ents["kind"].append(e.kind)
            ents["value"].append(e.value)
            ents["raw"].append(e.raw)
            ents["start_pos"].append(e.start)
            ents["end_pos"].append(e.end)
            ents["detail"].append(e.detail)
            ents["quantity"].append(e.quantity)
            ents["unit"].append(e.unit)
            ents["amount"].append(e.amount)
            ents["currency"].append(e.currency)
            ents["unit_price"].append(e.unit_price)
            ents["substance"].append(e.substance)
            ents["lexicon_version"].append(LEXICON_VERSION)
    items = pa.Table.from_pydict({"id": ids, "lang": [r[0] for r in results],
                                  "lang_score": [r[1] for r in results]}, schema=_ITEM_SCHEMA)
    con = ws.con
    with ws.transaction():
        con.register("enrich_items", items)
        con.register("enrich_entities", pa.Table.from_pydict(ents, schema=_ENTITY_SCHEMA))
        try:
            ws.q("enrich.forget_entities")
            ws.q("enrich.store_entities")
            ws.q("enrich.mark_enriched", {"lexicon_version": LEXICON_VERSION})
        finally:
            con.unregister("enrich_items")
            con.unregister("enrich_entities")

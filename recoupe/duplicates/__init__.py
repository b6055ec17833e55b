"""Near-duplicate adverts (issue 6): every copy of an advert in one cluster.

Copies differ by prices, emoji, case, accents, spacing, the order of lines, disguised letters, an
added footer, the relay's own contact or OCR errors; adverts on the same template selling other
things elsewhere are not copies (`compare`). Candidates come from MinHash/LSH, never from all
pairs (`lsh`, `engine`); clusters live in DuckDB with an index beside it for incremental runs
(`store`); screenshots join the cluster of the message they show (`screens`).

- `update(ws, progress=None, rebuild=False) -> Report`: after each import, and `duplicates`.
- `cluster_of(ws, item_id) -> dict | None`: cluster_id, size, chats, first_item_id, first_chat,
  first_seen_utc (and last_seen_utc, how this item joined: via, linked_item_id, score).
- `copies(ws, cluster_id) -> list[dict]`: item_id, chat, author, message_id, posted_at_utc, text,
  platform (and chat_id, forwarded_from, via, linked_item_id, score), oldest first.
- `clusters(ws, limit, chat=None)`: ranked by spread (chats), then size.
- `counts_for(ws, item_ids) -> {item_id: (copies, chats, cluster_id)}`: one query, for search hits.
- `screen_matches(ws, item_id)`: the messages closest to a screenshot, with what differs.
- `changes(first, copy)` in `diff`: what a copy changed, for display.
"""

from __future__ import annotations

import orjson
import pyarrow as pa

from ..sql import sql
from ..workspace import Workspace
from .store import Report, pending, update

__all__ = ["Report", "cluster_of", "clusters", "copies", "counts_for", "entities_of_cluster", "pending",
           "screen_matches", "summary", "update"]


def cluster_of(ws: Workspace, item_id: int) -> dict | None:
    rows = ws.rows("duplicates.cluster_of", {"item_id": item_id})
    return rows[0] if rows else None


def copies(ws: Workspace, cluster_id: int) -> list[dict]:
    return ws.rows("duplicates.copies", {"cluster_id": cluster_id})


def clusters(ws: Workspace, limit: int = 100, chat: str | None = None) -> list[dict]:
    return ws.rows("duplicates.clusters", {"limit": limit, "chat": chat})


def summary(ws: Workspace) -> dict:
    return ws.rows("duplicates.counts")[0]


def counts_for(ws: Workspace, item_ids) -> dict[int, tuple[int, int, int]]:
    """For each of `item_ids` in a cluster: (copies, chats, cluster_id); others are absent."""
    ids = [int(i) for i in item_ids]
    if not ids:
        return {}
    dup_ids = pa.table({"id": pa.array(ids, pa.int64())})  # noqa: F841 (read by the statement)
    return {r[0]: (r[2], r[3], r[1])
            for r in ws.con.execute(sql("duplicates.counts_for")).fetchall()}


def entities_of_cluster(ws: Workspace, cluster_id: int) -> dict[int, list[dict]]:
    """Prices, quantities and contacts of each copy of a cluster, by item id."""
    out: dict[int, list[dict]] = {}
    for e in ws.rows("duplicates.entities_of_cluster", {"cluster_id": cluster_id}):
        out.setdefault(e["item_id"], []).append(e)
    return out


def screen_matches(ws: Workspace, item_id: int) -> list[dict]:
    out = ws.rows("duplicates.screen_matches", {"item_id": item_id})
    for r in out:
        r["differs"] = orjson.loads(r["differs"]) if r["differs"] else []
    return out

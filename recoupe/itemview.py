"""One item seen whole: text, entities, provenance, versions, and its neighbours in the chat."""

from __future__ import annotations

import orjson

from .errors import RecoupeError
from .i18n import _
from .items import versions
from .workspace import Workspace


def item_detail(ws: Workspace, item_id: int, *, around: int = 3) -> dict:
    """Everything the item view shows. Raises RecoupeError when there is no such item."""
    rows = ws.rows("itemview.item", {"item_id": item_id})
    if not rows:
        raise RecoupeError(_("there is no item {id} in this workspace", id=item_id))
    item = rows[0]
    for key in ("entities", "media", "reactions", "buttons", "extra", "ocr_words"):
        item[key] = orjson.loads(item[key]) if item.get(key) else None
    return {
        "item": item,
        "entities": ws.rows("itemview.entities", {"item_id": item_id}),
        "sources": ws.rows("itemview.sources", {"item_id": item_id}),
        "versions": versions(ws, item_id),
        "context": ws.rows("itemview.context", {"item_id": item_id, "around": around}),
    }


def neighbours(ws: Workspace, item_id: int | None) -> dict:
    """Previous and next post ids (by id), and the first, for browsing."""
    return ws.rows("itemview.neighbours", {"item_id": item_id or 0})[0]

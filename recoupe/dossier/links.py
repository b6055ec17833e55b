"""What the dossier takes from the other parts of Recoupe: near-duplicate copies (issue 6,
`recoupe.duplicates`) and the case's timeline chart (issue 7, `recoupe.timeline`).

Both are built in parallel with the dossier. Until they are in this version of Recoupe, these
functions return None and the dossier says that part is not available; they never make up a
stand-in of their own.
"""

from __future__ import annotations

import importlib
import importlib.util

from ..workspace import Workspace


def _module(name: str):
    """The module `recoupe.<name>`, or None when this version of Recoupe has none."""
    if importlib.util.find_spec(f"recoupe.{name}") is None:
        return None
    return importlib.import_module(f"recoupe.{name}")


def other_copies(ws: Workspace, item_id: int) -> list[dict] | None:
    """The other copies of an item (its near-duplicate cluster, without the item itself), each
    with its chat and when it was first seen; [] when it has none; None when near-duplicate
    detection is not in this version (issue 6: `duplicates.cluster_of`, `duplicates.copies`)."""
    duplicates = _module("duplicates")
    if duplicates is None:
        return None
    cluster = duplicates.cluster_of(ws, item_id)
    if cluster is None:
        return []
    return [dict(c) for c in duplicates.copies(ws, cluster)
            if dict(c).get("item_id", dict(c).get("id")) != item_id]


def timeline_png(ws: Workspace, item_ids: list[int]) -> bytes | None:
    """The case's timeline chart as PNG bytes, or None when timelines are not in this version
    (issue 7: `timeline.spread`, `timeline.spread_chart`, `timeline.png`)."""
    timeline = _module("timeline")
    if timeline is None or not item_ids:
        return None
    frame = timeline.spread(ws, item_ids)
    return timeline.png(timeline.spread_chart(frame))

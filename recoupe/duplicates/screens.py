"""A screenshot against the export: which messages its OCR text shows, and what differs.

A screenshot's OCR text holds the post at the bottom, the posts above it (the top one cut) and the
screen's furniture (clock, channel name, views). For each screenshot, the search index proposes
the messages that share most of its words; rapidfuzz then finds, for each, the stretch of the OCR
text that matches it best (`partial_ratio_alignment`) and scores it (0-100). The stretch's prices,
phone numbers and handles (the entities extraction found in the screenshot) are compared with the
message's: a close match that differs in one of them is flagged, for the fact-checker.

A screenshot joins the cluster of the message it shows: the best match, and among matches as good
(within TIE points) the one lowest on the screen, since the post shown at the bottom is the one
captured.

Images are also linked by their perceptual hash (`image_links`): two images whose 64-bit pHash
differ in at most PHASH_BITS bits are one picture, re-encoded or rescaled.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..extract import normalise, normalise_with_map
from ..i18n import N_
from ..workspace import Workspace
from .text import _TOKEN

LISTED = 8          # matches kept per screenshot
SHOWN = 60.0        # a match below this score is not listed
LINK = 85.0         # a screenshot joins the cluster of a match at least this close
TIE = 2.0
CANDIDATES = 40     # messages the search index proposes per screenshot
QUERY_WORDS = 40
PHASH_BITS = 6
MAX_IMAGES = 20_000  # beyond this many images, pairs by perceptual hash are not computed
_WORD = re.compile(r"[^\W\d_]{4,}")


def _clean(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The tokens of a text joined by spaces, and for each character of that string the span
    of the original text its token came from."""
    norm, pos = normalise_with_map(text)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(norm):
        if parts:
            parts.append(" ")
            spans.append(spans[-1])
        tok = m.group(0)
        start, end = pos[m.start()], pos[m.end() - 1] + 1
        parts.append(tok)
        spans.extend([(start, end)] * len(tok))
    return "".join(parts), spans


def _query(ocr: str) -> str | None:
    words = []
    seen = set()
    for w in _WORD.findall(normalise(ocr)):
        if w not in seen:
            seen.add(w)
            words.append(w)
    words.sort(key=len, reverse=True)
    return " OR ".join(words[:QUERY_WORDS]) or None


def _signature(entities: list[dict], start: int | None = None, end: int | None = None) -> dict:
    """Prices, phones and handles among `entities` (within [start, end) when given)."""
    out: dict[str, list] = {"price": [], "phone": [], "handle": []}
    for e in entities:
        if start is not None and (e["start_pos"] < start or e["end_pos"] > end):
            continue
        if e["kind"] in ("price", "quantity_price") and e["amount"] is not None:
            out["price"].append(round(float(e["amount"]), 2))
        elif e["kind"] == "contact":
            kind = "phone" if e["value"].startswith("phone:") else "handle"
            out[kind].append(e["value"].lower())
    return {k: sorted(v) for k, v in out.items()}


def differences(shown: dict, message: dict) -> list[str]:
    """What the screenshot's stretch shows that the message does not say: a price, a phone number
    or a handle. Only what the screen shows counts: a price OCR failed to read is no difference,
    and a handle OCR cut short ("@drv13" for "@drv13_standard") or misread by a letter or two
    matches the message's."""
    out = []
    if Counter(shown["price"]) - Counter(message["price"]):
        out.append("price")
    if Counter(shown["phone"]) - Counter(message["phone"]):
        out.append("phone")
    for h in shown["handle"]:
        if not any(m.startswith(h) or Levenshtein.distance(h, m, score_cutoff=2) <= 2
                   for m in message["handle"]):
            out.append("handle")
            break
    return out


def match_screenshot(ws: Workspace, shot: dict) -> list[dict]:
    """The messages closest to one screenshot (`shot`: id and text), closest first."""
    from ..search import IndexMissing, SearchSyntaxError, search
    query = _query(shot["text"] or "")
    if not query:
        return []
    try:
        result = search(ws, query, limit=CANDIDATES, facets=False)
    except (IndexMissing, SearchSyntaxError):
        return []
    clean_shot, spans = _clean(shot["text"])
    if not clean_shot:
        return []
    shot_entities = ws.rows("duplicates.entities_of_item", {"item_id": shot["id"]})
    found = []
    for hit in result.hits:
        if hit.platform == "screenshot" or hit.id == shot["id"]:
            continue
        clean_msg, _ = _clean(hit.text)
        if not clean_msg:
            continue
        al = fuzz.partial_ratio_alignment(clean_msg, clean_shot)
        if al is None or al.score < SHOWN:
            continue
        lo, hi = al.dest_start, max(al.dest_end - 1, al.dest_start)
        start, end = spans[lo][0], spans[min(hi, len(spans) - 1)][1]
        shown = _signature(shot_entities, start, end)
        message = _signature(ws.rows("duplicates.entities_of_item", {"item_id": hit.id}))
        found.append({"item_id": hit.id, "score": round(al.score, 1), "end": end,
                      "length": len(clean_msg), "differs": differences(shown, message)})
    # close matches first (by steps of 5 points), the longest first among them: a short post
    # that the screen also shows scores as high as the advert captured
    found.sort(key=lambda f: (-round(f["score"] / 5), -f["length"], -f["score"]))
    return found[:LISTED]


def match_all(ws: Workspace, progress=None) -> tuple[list[dict], list[tuple]]:
    """Matches of every screenshot (rows for `dup_screen_matches`) and the links that make each
    screenshot join the cluster of the message it shows."""
    import orjson
    shots = ws.rows("duplicates.screenshots")
    rows: list[dict] = []
    links: list[tuple] = []
    for n, shot in enumerate(shots, 1):
        found = match_screenshot(ws, shot)
        for rank, f in enumerate(found, 1):
            rows.append({"screenshot_id": shot["id"], "item_id": f["item_id"], "rank": rank,
                         "score": f["score"], "differs": orjson.dumps(f["differs"]).decode()})
        good = [f for f in found if f["score"] >= LINK]
        if good:
            top = max(f["score"] for f in good)
            best = max((f for f in good if f["score"] >= top - TIE), key=lambda f: f["end"])
            links.append((shot["id"], best["item_id"], "screenshot", best["score"]))
        if progress:
            progress(N_("matching screenshots"), n, len(shots))
    return rows, links


def image_links(ws: Workspace) -> list[tuple]:
    """Pairs of images whose perceptual hashes differ in at most PHASH_BITS bits."""
    rows = [r for r in ws.rows("duplicates.images") if r["phash"]]
    if len(rows) < 2 or len(rows) > MAX_IMAGES:
        return []
    ids = [r["id"] for r in rows]
    try:
        bits = np.array([int(r["phash"], 16) for r in rows], dtype=np.uint64)
    except ValueError:
        return []
    links = []
    for i in range(len(bits) - 1):
        x = np.bitwise_xor(bits[i + 1:], bits[i])
        dist = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
        for j in np.flatnonzero(dist <= PHASH_BITS).tolist():
            links.append((ids[i], ids[i + 1 + j], "image",
                          round(100.0 * (1 - dist[j] / 64), 1)))
    return links

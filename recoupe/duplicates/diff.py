"""What a copy changed from the first copy: spans to mark, and a one-line account.

Both texts are cut into tokens (runs of letters and digits, @handles and links) with their
offsets; each token is compared in its normalised form, so that case, accents and disguised letters
("C.o.k.e" for "coke") are not changes, and emoji and punctuation are left out. rapidfuzz's
`Indel.opcodes` on the two token sequences then says what was inserted or replaced. Changed
numbers (prices, quantities, phone numbers) and contacts are told apart from changed words; a copy's
prices and contacts are also compared with the first copy's through the entities extraction found.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from ..extract import normalise

_TOKEN = re.compile(r"(?:@|t\.me/)[\w./?=-]*\w|[^\W_]+(?:[.'’-][^\W_]+)*", re.UNICODE)
_DIGIT = re.compile(r"\d")
# Streamlit background colours of what a copy changed (for recoupe.render.marked_markdown)
COLOURS = {"changed_number": "red", "changed_contact": "blue", "changed_word": "orange",
           "added": "violet"}


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(normalise(m.group(0)).replace(".", "").replace("-", ""), m.start(), m.end())
            for m in _TOKEN.finditer(text or "")]


def _kind(token: str) -> str:
    if token.startswith("@") or token.startswith("t.me/"):
        return "changed_contact"
    return "changed_number" if _DIGIT.search(token) else "changed_word"


def changes(first: str, copy: str) -> list[dict]:
    """Spans of `copy` that differ from `first`: {start, end, kind, was} with kind
    changed_number, changed_contact, changed_word or added (tokens with no counterpart)."""
    a, b = _tokens(first), _tokens(copy)
    if not b:
        return []
    marks = []
    order_free = {t for t, _, _ in a}
    for op in Indel.opcodes([t for t, _, _ in a], [t for t, _, _ in b]):
        if op.tag != "insert" and op.tag != "replace":
            continue
        old = [t for t, _, _ in a[op.src_start:op.src_end]]
        for t, s, e in b[op.dest_start:op.dest_end]:
            if t in order_free and not _DIGIT.search(t) and not t.startswith("@"):
                continue  # a word moved (lines reordered), not changed
            kind = _kind(t)
            if op.tag == "insert" and kind == "changed_word":
                kind = "added"
            marks.append({"start": s, "end": e, "kind": kind, "was": " ".join(old) or None})
    return marks


def summary(first_entities: list[dict], copy_entities: list[dict]) -> dict[str, tuple[list, list]]:
    """Prices (amounts), phones and handles that differ between two copies' entities:
    {kind: (in the first only, in the copy only)}, kinds with no difference left out."""
    def values(ents):
        out = {"price": [], "phone": [], "handle": []}
        for e in ents:
            if e["kind"] in ("price", "quantity_price") and e.get("amount") is not None:
                out["price"].append(e["raw"])
            elif e["kind"] == "contact":
                out["phone" if e["value"].startswith("phone:") else "handle"].append(e["value"])
        return out
    fa, fb = values(first_entities), values(copy_entities)
    diff = {}
    for k in fa:
        only_a = [v for v in fa[k] if v not in fb[k]]
        only_b = [v for v in fb[k] if v not in fa[k]]
        if only_a or only_b:
            diff[k] = (only_a, only_b)
    return diff

"""Scoring extraction against a labelled set: one scorer for the benchmark and the tests.

A labelled row has `text` and `expect`: {kind: [values]}, where a quantity with a price is
[quantity, unit, amount, currency, substance] and a price alone "40 EUR". Precision and recall
are counted per kind over the distinct values of each message; numbers compare as numbers.
"""

from __future__ import annotations

from .entities import KINDS


def expected(row: dict) -> dict[str, set]:
    out = {k: set() for k in KINDS}
    for kind, values in row["expect"].items():
        for v in values:
            out[kind].add(tuple(v[:4]) if kind == "quantity_price" else v)
    return out


def found(entities) -> dict[str, set]:
    out = {k: set() for k in KINDS}
    for e in entities:
        if e.kind == "quantity_price":
            out[e.kind].add((e.quantity, e.unit, e.amount, e.currency))
        elif e.kind == "price":
            out[e.kind].add(f"{e.amount:g} {e.currency}")
        else:
            out[e.kind].add(e.value)
    return out


def numeric(x):
    """10 and 10.0 are the same quantity."""
    return tuple(float(v) if isinstance(v, (int, float)) else v for v in x) if isinstance(x, tuple) else x


def score(rows: list[dict], results: list[dict[str, set]]) -> dict[str, tuple[float, float]]:
    """Precision and recall per kind; 1.0 where there was nothing to find and nothing found."""
    tp = dict.fromkeys(KINDS, 0)
    fp = dict.fromkeys(KINDS, 0)
    fn = dict.fromkeys(KINDS, 0)
    for row, got in zip(rows, results):
        want = expected(row)
        for k in KINDS:
            g = {numeric(x) for x in got[k]}
            w = {numeric(x) for x in want[k]}
            tp[k] += len(g & w)
            fp[k] += len(g - w)
            fn[k] += len(w - g)
    return {k: (tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 1.0,
                tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 1.0) for k in KINDS}

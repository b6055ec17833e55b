"""Snippets: a window of a hit's original text, and the spans in it that the query matched.

The text is normalised with its offset map (`normalise_with_map`) and cut by the index's
tokenizer, exactly as it was indexed; each word the query asked for (a word, a prefix, a word
within the fuzzy distance, the words of a phrase in order) is marked, and its span is carried
back to the original text. Substances, zones and contacts the query matched through extraction
("beuh" finding 🍃, `zone:aubagne`) are marked with the entity's own span. Spans are character
offsets in the returned text: the page escapes the text and marks the spans itself (no HTML is
ever made here).
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from ..extract import normalise, normalise_with_map
from .query import Marks
from .store import ANALYZER

WINDOW = 240  # characters of a snippet, at most
LEAD = 60     # characters kept before the first mark


@dataclass(frozen=True)
class Snippet:
    """`text` is a window of the item's original text; `highlights` are (start, end) character
    offsets in `text`; `cut_before`/`cut_after` say whether the item's text goes on."""

    text: str
    highlights: list[tuple[int, int]]
    cut_before: bool
    cut_after: bool


def within(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` edits apart (insertions, deletions, substitutions and
    swaps of two neighbours, as tantivy's fuzzy queries count them)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


def _word_matches(word: str, marks: Marks) -> bool:
    if word in marks.words:
        return True
    if any(word.startswith(p) for p in marks.prefixes):
        return True
    return any(within(word, target, d) for target, d in marks.fuzzy)


def _sequence_at(words: list[str], i: int, seq: list[str], prefix: bool) -> bool:
    if i + len(seq) > len(words):
        return False
    last = len(seq) - 1
    return all(words[i + k] == w or (prefix and k == last and words[i + k].startswith(w))
               for k, w in enumerate(seq))


def highlights(text: str, marks: Marks, entities: list[dict]) -> list[tuple[int, int]]:
    """The spans of `text` (original offsets) that the query matched, sorted and merged."""
    norm, pos = normalise_with_map(text)
    tokens = ANALYZER.pre_tokenize(norm).tokens
    words = [t.text for t in tokens]
    spans: list[tuple[int, int]] = []

    def add(first: int, last: int) -> None:
        start, end = tokens[first].char_offset_from, tokens[last].char_offset_to
        if end > start:
            spans.append((pos[start], pos[end - 1] + 1))

    for i, w in enumerate(words):
        if _word_matches(w, marks):
            add(i, i)
        for seq in marks.phrases:
            if _sequence_at(words, i, seq, False):
                add(i, i + len(seq) - 1)
        for seq in marks.prefix_phrases:
            if _sequence_at(words, i, seq, True):
                add(i, i + len(seq) - 1)
    for e in entities:
        if _entity_matches(e, marks):
            spans.append((e["start"], e["end"]))
    return _merge(spans)


def _entity_matches(e: dict, marks: Marks) -> bool:
    if e["kind"] == "substance":
        return e["value"] in marks.substances
    for kind, seq, prefix in marks.entity_words:
        if kind == e["kind"]:
            words = ANALYZER.analyze(normalise(e["value"]))
            if any(_sequence_at(words, i, seq, prefix) for i in range(len(words))):
                return True
    return False


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def snippet(text: str, marks: Marks, entities_json: str | None) -> Snippet:
    """The window of `text` around its first mark (its start when nothing is marked)."""
    entities = orjson.loads(entities_json) if entities_json else []
    spans = highlights(text, marks, entities)
    if len(text) <= WINDOW:
        return Snippet(text, spans, False, False)
    start = max(0, spans[0][0] - LEAD) if spans else 0
    if start:
        space = text.find(" ", start, spans[0][0] if spans else start + LEAD)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + WINDOW)
    if end < len(text):
        space = text.rfind(" ", start + WINDOW // 2, end)
        end = space if space >= 0 else end
    inside = [(max(s, start) - start, min(e, end) - start)
              for s, e in spans if s < end and e > start]
    return Snippet(text[start:end], inside, start > 0, end < len(text))

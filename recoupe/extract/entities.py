"""Extraction: every entity of one item's text, with its raw span in the original text.

`Extractor(data_dir).extract(text, lang)` runs, in this order:

1. contacts (`contacts.py`) in the raw text, phone numbers in the normalised text;
2. wages, quantities with prices, prices alone and percentages off (`prices.py`) in the
   normalised text;
3. one pass of the lexicon automaton (`lexicon.py`) over the normalised text for substances,
   zones, promotions and recruitment words, plus the case-sensitive names in the raw text; then
   postal codes ("13001") and department numbers used as code ("le 13", "dans tout le 83");
4. the choices that need the whole message: overlapping names keep the leftmost, then longest
   (an [ignore] phrase such as "diet coke" hides the names inside it); names inside a contact
   (`@coke_13`) are dropped; ambiguous zone names need another zone on their line or a 📍 or
   "quartier" before them; role words of job offers need a hiring word or a wage in the message;
5. each quantity with its price takes the substance nearest to it on its line (one before it
   preferred to one after it), else the last one named earlier in its paragraph (menus name the
   substance on a heading line and the prices under it).

Offsets are those of the original text (Python string indices): `text[e.start:e.end] == e.raw`.
"""

from __future__ import annotations

import bisect
import operator
import re
from pathlib import Path
from typing import NamedTuple

from . import prices as money
from .contacts import phones, raw_contacts
from .lexicon import Lexicon, Term
from .normalise import DATA, _normalise, normalise, original_span
from .spans import Spans

LANG_TRUST = 0.5  # below this score, a detected language is not used to decide names
KINDS = ("substance", "quantity_price", "price", "zone", "contact", "promotion", "recruitment")

# Postal codes of the departments the zones file knows ("13001"), and department numbers used
# as code: "le 13", "du 13", "dans tout le 83", "en 84"; not dates ("le 13 décembre", "du 13 au
# 20"), times, amounts or the start of a phone number. One pattern, starting with the digits.
_ZONE_CODE = re.compile(
    r"(?P<code>13|83|84|30|04)(?:(?<![\d.,/]..)(?P<rest>\d{3})(?![\d])(?!\s?(?:€|eur|balles|g\b|%))"
    r"|(?<=(?:le|du|en) ..)(?<![\w].....)(?![\w])"
    r"(?!\s?(?:h\b|heures?|€|eur|balles|e\b|eme|er\b|%|g\b|min|au\b|janv|fevr|mars|avr"
    r"|mai\b|juin|juil|aout|sept|oct|nov|dec)|\s?[/.,:-]?\s?\d))")
_DIGIT = re.compile(r"\d")
_ZONE_CUES = frozenset({"quartier", "secteur", "zone", "cite", "quartiers"})
_BY_POSITION = operator.itemgetter(3, 4)  # Entity.start, Entity.end
_NEWLINE = re.compile(r"\n")
_EMPTY_LINE = re.compile(r"\n[ \t\u00a0]*\n")


class Entity(NamedTuple):
    """One thing found in an item's text.

    kind: substance, quantity_price, price, zone, contact, promotion or recruitment.
    value: the normalised value: canonical substance ("cocaine"), place ("Aubagne",
      "Marseille 1er", "Noailles", "Bouches-du-Rhône"), contact ("telegram:@name",
      "phone:+33639981234"), promotion or recruitment kind ("black-friday", "courier", "wage"),
      or for amounts a readable form ("10 g = 60 EUR", "40 EUR").
    raw, start, end: the span as it is in the original text, and its offsets there.
    detail: zones "level:code" ("commune:13400", "department:13", "postcode:13290"); contacts
      "handle", "bot", "link" or "invite"; discounts the percentage ("-20%"); wages "60 EUR/day".
    quantity, unit ("g", "ml", "pill", "unit"), amount, currency ("EUR"), unit_price (amount /
      quantity) and substance: for quantity_price; price has amount and currency; a wage has
      amount, currency and unit ("day", "week", "month", "night", "hour").
    """

    kind: str
    value: str
    raw: str
    start: int
    end: int
    detail: str | None = None
    quantity: float | None = None
    unit: str | None = None
    amount: float | None = None
    currency: str | None = None
    unit_price: float | None = None
    substance: str | None = None

    def to_dict(self) -> dict:
        return self._asdict()


def _num(x: float) -> str:
    return f"{x:g}"


def _leftmost_longest(spans: list) -> list:
    """Items (start, end, ...) without overlaps, keeping the leftmost, then the longest."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept = []
    last = -1
    for s in spans:
        if s[0] >= last:
            kept.append(s)
            last = s[1]
    return kept


def _word_before(text: str, start: int) -> str:
    j = start
    while j > 0 and text[j - 1] in " \t\u00a0":
        j -= 1
    k = j
    while k > 0 and text[k - 1].isalnum():
        k -= 1
    return text[k:j] if k < j else text[j - 1:j]


def _word_after(text: str, end: int) -> str:
    j = end
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    k = j
    while k < len(text) and text[k].isalnum():
        k += 1
    if k < len(text) and text[k] == "'" and k > j:
        k += 1
    return text[j:k] if k > j else text[j:j + 1]


class Extractor:
    """Extraction with the lexicons of one data folder (the package's own by default)."""

    def __init__(self, data_dir: Path = DATA):
        self.lexicon = Lexicon(data_dir)
        self.version = self.lexicon.version

    def extract(self, text: str, lang: str | None = None,
                lang_score: float | None = None) -> list[Entity]:
        """Every entity in `text`, in text order.

        `lang` and `lang_score` are what `detect_language` gave for the text: names that depend
        on the language ("shit" is not cannabis in English, "coca" is cocaine in Spanish) use
        it when the score is at least LANG_TRUST (short mixed texts are often misread).
        """
        if not text:
            return []
        if lang_score is not None and lang_score < LANG_TRUST:
            lang = None
        norm, pos = _normalise(text)
        out: list[Entity] = []

        contacts = raw_contacts(text, norm)
        if _DIGIT.search(norm):
            for s, e, value, detail in phones(norm):
                s, e = original_span(pos, s, e)
                contacts.append((s, e, value, detail))
        contacts = _leftmost_longest(contacts)
        contact_spans = Spans((c[0], c[1]) for c in contacts)
        out += [Entity("contact", v, text[s:e], s, e, d) for s, e, v, d in contacts]

        pending: list[tuple[int, int, int, int, money.Amount]] = []
        amounts = self._amounts(text, norm, pos, contact_spans, out, pending)
        lexical = self._lexicon_hits(text, norm, pos, lang, contact_spans)
        taken = contact_spans  # postal codes and departments may not sit inside these either
        for s, e in amounts:
            taken.add(s, e)
        lexical += self._zone_codes(text, norm, pos, taken)
        lexical = _leftmost_longest(lexical)
        self._keep_in_context(text, lexical, out)
        if pending:
            self._quantity_prices(text, pending, out)
        out.sort(key=_BY_POSITION)
        return out

    # -- amounts -------------------------------------------------------------------------

    def _amounts(self, text, norm, pos, contact_spans, out, pending) -> list[tuple[int, int]]:
        """Wages, prices and percentages into `out`, quantities with prices into `pending` as
        (start, end, quantity start, price start, amount) in raw offsets; returns the raw spans
        of all of them."""
        found = money.amounts(norm)
        spans = []
        for a, per in found.wages:
            s, e = original_span(pos, a.start, a.end)
            spans.append((s, e))
            out.append(Entity("recruitment", "wage", text[s:e], s, e,
                              f"{_num(a.amount)} {a.currency}/{per}", amount=a.amount,
                              currency=a.currency, unit=per))
        for a in found.quantity_prices:
            s, e = original_span(pos, a.start, a.end)
            if not contact_spans.overlaps(s, e):
                spans.append((s, e))
                pending.append((s, e, original_span(pos, a.qty_start, a.qty_start + 1)[0],
                                original_span(pos, a.money_start, a.money_start + 1)[0], a))
        for a in found.prices:
            s, e = original_span(pos, a.start, a.end)
            if not contact_spans.overlaps(s, e):
                spans.append((s, e))
                out.append(Entity("price", f"{_num(a.amount)} {a.currency}", text[s:e], s, e,
                                  amount=a.amount, currency=a.currency))
        for a_start, a_end, pct in found.percents:
            s, e = original_span(pos, a_start, a_end)
            spans.append((s, e))
            out.append(Entity("promotion", "discount", text[s:e], s, e, pct))
        return spans

    # -- lexicon -------------------------------------------------------------------------

    def _lexicon_hits(self, text, norm, pos, lang, contact_spans) -> list:
        """(start, end, terms) in raw offsets, terms filtered by their options."""
        hits = []
        n = len(norm)
        for end, (length, terms, emoji, plain) in self.lexicon.automaton.iter(norm):
            s, e = end - length + 1, end + 1
            if emoji:
                if e < n and norm[e] == "\ufe0f":
                    e += 1
            else:
                if s and (norm[s - 1].isalnum() or norm[s - 1] == "_"):
                    continue
                if e < n and (norm[e].isalnum() or norm[e] == "_"):
                    # an optional plural -s or -x, after a name of three letters or more
                    if not (norm[e] in "sx" and length >= 3 and norm[e - 1].isalpha()
                            and (e + 1 == n or not (norm[e + 1].isalnum() or norm[e + 1] == "_"))):
                        continue
                    e += 1
            if not plain:
                terms = [t for t in terms if self._term_ok(t, lang, norm, s, e)]
                if not terms:
                    continue
            if pos is not None:
                s, e = pos[s], pos[e - 1] + 1
            hits.append((s, e, terms))
        if self.lexicon.cased is not None:
            for s, e, terms in self.lexicon.cased_matches(text):
                terms = [t for t in terms if self._term_ok(t, lang, text, s, e, raw=True)]
                if terms:
                    hits.append((s, e, terms))
        if contact_spans:
            hits = [h for h in hits if not contact_spans.overlaps(h[0], h[1])]
        return hits

    @staticmethod
    def _term_ok(term: Term, lang, text, s, e, raw=False) -> bool:
        if term.only_lang is not None and lang not in term.only_lang:
            return False
        if term.unless_lang is not None and lang in term.unless_lang:
            return False
        if term.unless_after is not None:
            before = _word_before(text, s)
            if (normalise(before) if raw else before) in term.unless_after:
                return False
        if term.unless_before is not None:
            after = _word_after(text, e)
            if (normalise(after) if raw else after) in term.unless_before:
                return False
        return True

    def _zone_codes(self, text, norm, pos, taken) -> list:
        """Postal codes and department numbers, as lexicon hits in raw offsets."""
        hits = []
        for m in _ZONE_CODE.finditer(norm):
            term = self.lexicon.code_term(m.group(0), postcode=bool(m.group("rest")))
            if term is None:
                continue
            s, e = original_span(pos, m.start(), m.end())
            if not taken.overlaps(s, e):
                hits.append((s, e, [term]))
        return hits

    # -- choices that need the whole message -----------------------------------------------

    def _keep_in_context(self, text: str, hits: list, out: list[Entity]) -> None:
        """Turn lexicon hits into entities, dropping those whose context does not hold."""
        has_cue = None
        firm_zone_lines = None
        newlines = None
        for s, e, terms in hits:
            for t in terms:
                if t.kind == "ignore":
                    continue
                if t.needs_cue:
                    if has_cue is None:
                        has_cue = any(e.kind == "recruitment" for e in out) or any(
                            not x.needs_cue for _, _, ts in hits for x in ts
                            if x.kind == "recruitment")
                    if not has_cue:
                        continue
                if t.ambiguous:
                    if firm_zone_lines is None:
                        newlines = [m.start() for m in _NEWLINE.finditer(text)]
                        firm_zone_lines = {bisect.bisect(newlines, hs) for hs, _, ts in hits
                                           if any(x.kind == "zone" and not x.ambiguous for x in ts)}
                    if (bisect.bisect(newlines, s) not in firm_zone_lines
                            and not text[max(0, s - 8):s].rstrip().endswith("📍")
                            and normalise(_word_before(text, s)) not in _ZONE_CUES):
                        continue
                out.append(Entity(t.kind, t.value, text[s:e], s, e, t.detail))

    def _quantity_prices(self, text: str, pending: list, out: list[Entity]) -> None:
        """Each quantity with its price, with its substance, unit and unit price; a bundle's
        price as a price alone."""
        newlines = [m.start() for m in _NEWLINE.finditer(text)] if "\n" in text else []
        breaks = None
        substances = sorted((e.start, e.end, e.value) for e in out if e.kind == "substance")
        starts = [x[0] for x in substances]
        for s, e, qty_start, money_start, a in pending:
            line = bisect.bisect_left(newlines, qty_start)
            line_start = newlines[line - 1] + 1 if line else 0
            line_end = newlines[line] if line < len(newlines) else len(text)
            if "+" in text[line_start:qty_start]:
                out.append(Entity("price", f"{_num(a.amount)} {a.currency}",
                                  text[money_start:e], money_start, e, amount=a.amount,
                                  currency=a.currency))
                continue
            i = bisect.bisect_left(starts, qty_start)
            neighbours = [x for x in substances[max(i - 1, 0):i + 1] if line_start <= x[0] < line_end]
            substance = _nearest(neighbours, qty_start)
            if substance is None and line_start:
                if breaks is None:
                    breaks = [m.start() for m in _EMPTY_LINE.finditer(text)]
                b = bisect.bisect_left(breaks, line_start)
                para_start = breaks[b - 1] + 1 if b else 0
                i = bisect.bisect_left(starts, line_start)
                if i and starts[i - 1] >= para_start:
                    substance = substances[i - 1][2]
            unit = a.unit or (self.lexicon.units.get(substance, "unit") if substance else "unit")
            out.append(Entity("quantity_price",
                              f"{_num(a.quantity)} {unit} = {_num(a.amount)} {a.currency}",
                              text[s:e], s, e, quantity=a.quantity, unit=unit, amount=a.amount,
                              currency=a.currency, unit_price=round(a.amount / a.quantity, 2),
                              substance=substance))


def _nearest(substances, qty_start: int) -> str | None:
    """The substance nearest to a quantity on its line; one after it counts double distance."""
    best, best_distance = None, None
    for s, e, value in substances:
        distance = qty_start - e if e <= qty_start else 2 * (s - qty_start)
        if best_distance is None or distance < best_distance:
            best, best_distance = value, distance
    return best

"""Quantities, prices, wages and percentages off, read from normalised text.

The normalised text is lowercase, without accents ("à" is "a"), with digits misread by OCR
repaired, so the rules below are written once for "10g = 60€", "10G=60 €", "1Og = 6O€".

Forms read as a **quantity with its price** (kind `quantity_price`):

- quantity then price: "10g = 60€", "5G = 250€", "1g 40€", "10g/80", "10g de beuh à 60",
  "25g : 110 balles", "10g = 60e", "💊 x5 = 40€", "x10 = 70€", "le G à 60", "la bonbonne à 40€",
  "1kg = 3500€", "3 taz = 25€";
- price then quantity: "60€ les 10g", "60€ le G", "60€/g", "5€ le comprimé", "60e les 10g",
  "à 25 le gramme";
- a bare count: "3 pour 100", "3 for 100", "3 por 100".

A price without a currency ("le G à 60", "3 pour 100", "10g = 70") is read in euros; it needs a
connecting sign or word ("=", ":", "/", "à", "pour"), must be from 5 to 9999, and a number
followed by a unit, "h" or "%" is not a price ("2 pour 1" and "10g achetés = 2g offerts" are
promotions). Without a sign or word between them, a quantity and a price must be side by side
("1 taz offert dès 50€" is no price for one pill). Quantity and price are on one line.
Kilograms are given in grams and centilitres in millilitres. A bare count or "x5" takes the unit
of the substance the line names (grams of cocaine, pills of MDMA), else "unit" (entities.py
decides, knowing the substances). The unit price is the amount divided by the quantity.

A quantity whose line shows a "+" before it ("5g beuh + 5g shit + 💊 x2 = 70€", "+ 1G de C =
120€") is part of a bundle: its price is kept as a price alone, as no unit price can be derived.

Other amounts of money are **prices** alone ("Minimum 40€", "Pochon mystère à 20€"), except
**wages** ("100€/jour", "250 € par jour", "1500€ la semaine"), which belong to recruitment.
**Percentages off** ("-20 %", "20% off") are promotions.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .spans import Spans

# Spaces, never line breaks: a price and a quantity belong together only on one line.
_NUM = r"\d{1,5}(?:[.,]\d{1,2})?"
_MONEY_NUM = r"\d{1,3}(?:[ .]\d{3}){1,3}(?=[ \t]?(?:€|eur|euros?\b))|\d{1,6}(?:[.,]\d{1,2})?"
_CUR_AFTER = r"€|eur(?:os?)?\b|balles\b|boules\b|\$|usd\b|dollars?\b|£|gbp\b|pounds?\b"
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "balles": "EUR",
               "boules": "EUR", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
               "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP"}
_MASS = r"kg|kilos?|g|gr|grs|grammes?|grams?|gramos?"
_VOLUME = r"ml|cl"
_PILLS = r"pills?|pilules?|cachets?|comprimes?|taz|ecstas?|pastillas?|tabs?|buvards?|cartons?"
_UNITS = r"pieces?|pcs?|unites?|units?|bonbonnes?|ballons?"
_UNIT = rf"(?:{_MASS}|{_VOLUME}|{_PILLS}|{_UNITS})"
# What may not follow a number for it to be a price without currency.
_NOT_PRICE_AFTER = re.compile(
    r"(?![ \t]?(?:%|h\b|heures?|min|mn\b|g\b|gr\b|grammes?|kg|ml|cl|x\b|e\b|eme|er\b|ans?\b"
    r"|jours?|km|m\b|pour\b)|[/.,:]\d|\d)")
_BARE_AMOUNT = re.compile(r"\d{1,4}(?:[.,]\d{1,2})?")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_MASS_RE = re.compile(_MASS)
_PILLS_RE = re.compile(_PILLS)
_UNIT_OF = {"kg": ("g", 1000.0), "kilo": ("g", 1000.0), "kilos": ("g", 1000.0), "g": ("g", 1.0),
            "cl": ("ml", 10.0), "ml": ("ml", 1.0)}
_CONNECT = r"(?:=+>?|:|->|→|-|/|a|pour|for|por|at|@)"
_GAP = r"(?:[ \t]*(?:de[ \t]|d'|of[ \t])?[^\d\n=:€$£|/;,+()]{0,24}?)"

# Every pattern starts with a character class or a letter, so that `re` skips quickly to where
# it can match; the character before that first one is checked by a lookbehind just after it.
_FIRST_NUM = r"\d(?<![\w.,]\d)"  # a number's first digit, not inside a word or another number
# After a quantity, "60e" is 60 euros too (alone, "5e" is more often "5th").
_TAIL = (rf"(?P<gap>{_GAP})(?:[ \t]*(?P<conn>{_CONNECT})[ \t]*|[ \t]+)"
         rf"(?P<money>(?P<c0>[€$£])[ \t]?(?P<a0>{_MONEY_NUM})"
         rf"|(?P<a>{_MONEY_NUM})(?:[ \t]?(?P<c>{_CUR_AFTER})|(?P<e>e)(?![\w]))?)")
_QP_FORWARD = (
    re.compile(rf"(?P<q>{_FIRST_NUM}\d{{0,4}}(?:[.,]\d{{1,2}})?)[ \t]?(?P<u>{_UNIT})(?!\w){_TAIL}"),
    re.compile(rf"x(?<![\w]x)[ \t]?(?P<qx>\d{{1,3}})(?!\w){_TAIL}"),
    re.compile(rf"l(?<![\w]l)(?:e|a|')[ \t]?(?P<one>{_UNIT})(?!\w){_TAIL}"),
)
_QP_COUNT = re.compile(
    rf"(?P<q>{_FIRST_NUM}\d{{0,2}})[ \t]+(?:pour|for|por)[ \t]+(?P<a>{_NUM})(?:[ \t]?(?P<c>{_CUR_AFTER}))?")
# Before a quantity: "60e les 10g", "à 25 le gramme" (a price without currency needs the "à").
_BACKWARD_BARE = re.compile(
    rf"(?P<a>{_FIRST_NUM}(?P<after_a>(?<=\ba[ \t]\d))?\d{{0,4}}(?:[.,]\d{{1,2}})?)(?P<e>e)?"
    rf"(?=[ \t]?(?:les|le|la|l'|the)[ \t])")
_MONEY = (
    re.compile(rf"(?P<a>{_FIRST_NUM}(?:\d{{0,2}}(?:[ .]\d{{3}}){{1,3}}(?=[ \t]?(?:€|eur))"
               rf"|\d{{0,5}}(?:[.,]\d{{1,2}})?))[ \t]?(?P<c>{_CUR_AFTER})"),
    re.compile(rf"(?P<c0>[€$£])[ \t]?(?P<a0>{_MONEY_NUM})"),
)
# After an amount of money: a wage's period, or the quantity the price is for.
_WAGE_TAIL = re.compile(
    r"[ \t]?(?:/|par|per|a la|la|le|by|por|al|the|a|an)[ \t]?(?P<per>jour|journee|j|day|dia|semaine|sem"
    r"|week|mois|month|mes|nuit|night|soir|soiree|heure|h|hour|hora|shift)(?!\w)")
_UNIT_TAIL = re.compile(
    rf"[ \t]?(?:(?:/|per|par|for|pour|por)[ \t]?)?(?:(?:les|le|la|l'|the|el|each)[ \t]?)?(?:(?P<q>{_NUM})[ \t]?)?"
    rf"(?P<u>{_UNIT})(?!\w)")
_PERCENT = (
    re.compile(r"-(?<![\w]-)[ \t]?(?P<p>\d{1,2})[ \t]?%"),
    re.compile(r"(?P<p>\d(?<![\w-]\d)\d?)[ \t]?%[ \t]?(?:off\b|de (?:reduction|remise|descuento)"
               r"|offerts?\b|en moins\b)"),
)
_DIGIT = re.compile(r"\d")
# Whether a text may hold an amount at all: a number followed by a currency, a unit, "pour",
# "e les…" or "le/la…", or a currency sign or an "x" followed by a number. One quick scan that
# spares the others to most messages without prices (opening hours, zones, reviews).
_HINT = re.compile(
    rf"[\d€$£x](?:(?<=\d)[ \t]?(?:{_CUR_AFTER}|{_UNIT}(?!\w)|pour |for |por "
    rf"|e?[ \t]?(?:les|le|la|l'|the)[ \t])|(?<=[€$£x])[ \t]?\d)")
_LETTERS = re.compile(r"[a-z]{2}")
_COUNT_WORDS = (" pour ", " for ", " por ")
_PER = {"jour": "day", "journee": "day", "j": "day", "day": "day", "dia": "day",
        "semaine": "week", "sem": "week", "week": "week", "mois": "month", "month": "month",
        "mes": "month", "nuit": "night", "night": "night", "soir": "night", "soiree": "night",
        "heure": "hour", "h": "hour", "hour": "hour", "hora": "hour", "shift": "shift"}


class Amount(NamedTuple):
    """A quantity with its price, a price alone, or a wage, in normalised-text offsets."""

    start: int
    end: int
    amount: float
    currency: str
    quantity: float | None = None
    unit: str | None = None       # g, ml, pill, unit; None for a bare count (the substance's)
    qty_start: int | None = None  # where the quantity starts (for bundles and substances)
    money_start: int | None = None  # where the price starts


def _number(text: str) -> float:
    text = text.replace(" ", "")
    if "." in text and _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _currency(m: re.Match) -> str | None:
    groups = m.groupdict()
    symbol = groups.get("c0") or groups.get("c")
    if symbol:
        return _CURRENCIES[symbol]
    return "EUR" if groups.get("e") else None


def _unit(word: str | None) -> tuple[str | None, float]:
    """The unit a word names, and the factor that brings a quantity to it."""
    if word is None:
        return None, 1.0
    if word in _UNIT_OF:
        return _UNIT_OF[word]
    if _MASS_RE.fullmatch(word):
        return "g", 1.0
    if _PILLS_RE.fullmatch(word):
        return "pill", 1.0
    return "unit", 1.0


def _bare_price(m: re.Match, norm: str, amount_text: str, connected) -> bool:
    """Whether a number without currency reads as a price: connected to its quantity ("=",
    "à", "pour"), 5 to 9999, and not followed by a unit, an hour or a percent sign."""
    if not connected or not _BARE_AMOUNT.fullmatch(amount_text):
        return False
    return _number(amount_text) >= 5 and _NOT_PRICE_AFTER.match(norm, m.end()) is not None


def _money(norm: str) -> list[tuple[re.Match, float, str]]:
    """Every amount with a currency ("60€", "60 balles", "€60", "1 500 €"), in text order."""
    found = [(m, _number(m.group("a")), _CURRENCIES[m.group("c")]) for m in _MONEY[0].finditer(norm)]
    found += [(m, _number(m.group("a0")), _CURRENCIES[m.group("c0")])
              for m in _MONEY[1].finditer(norm)]
    found.sort(key=lambda f: f[0].start())
    return found


class Amounts(NamedTuple):
    """Everything about money in one text, in normalised-text offsets."""

    wages: list[tuple[Amount, str]]     # with the period: day, week, month, night, hour, shift
    quantity_prices: list[Amount]
    prices: list[Amount]
    percents: list[tuple[int, int, str]]  # (start, end, "-20%")


def amounts(norm: str) -> Amounts:
    """Wages first, then quantities with prices, then the remaining amounts as prices alone;
    none of them overlap. Percentages off are found apart."""
    if not _DIGIT.search(norm):
        return Amounts([], [], [], [])
    if not _HINT.search(norm):
        return Amounts([], _forward(norm, only_one=True), [], _percents(norm))
    money = _money(norm)
    wages, backward = [], []
    for m, value, currency in money:
        w = _WAGE_TAIL.match(norm, m.end())
        if w:
            per = _PER[w.group("per")]
            wages.append((Amount(m.start(), w.end(), value, currency, unit=per), per))
            continue
        u = _UNIT_TAIL.match(norm, m.end())
        if u:
            unit, factor = _unit(u.group("u"))
            quantity = (_number(u.group("q")) if u.group("q") else 1.0) * factor
            backward.append(Amount(m.start(), u.end(), value, currency, quantity, unit, m.start(),
                                   m.start()))
    if " le" in norm or " la" in norm or " l'" in norm or " the" in norm:
        for m in _BACKWARD_BARE.finditer(norm):
            if m.group("e") is None and m.group("after_a") is None:
                continue
            u = _UNIT_TAIL.match(norm, m.end())
            if u is None or (m.group("e") is None and not _bare_price(m, norm, m.group("a"), True)):
                continue
            unit, factor = _unit(u.group("u"))
            quantity = (_number(u.group("q")) if u.group("q") else 1.0) * factor
            backward.append(Amount(m.start(), u.end(), _number(m.group("a")), "EUR", quantity,
                                   unit, m.start(), m.start()))
    taken = Spans((a.start, a.end) for a, _ in wages)
    found = _forward(norm) + backward
    found.sort(key=lambda a: (a.start, -a.end))
    qps: list[Amount] = []
    for a in found:
        if not taken.overlaps(a.start, a.end):
            qps.append(a)
            taken.add(a.start, a.end)
    prices = [Amount(m.start(), m.end(), value, currency) for m, value, currency in money
              if not taken.overlaps(m.start(), m.end())]
    return Amounts(wages, qps, prices, _percents(norm))


def _percents(norm: str) -> list[tuple[int, int, str]]:
    percents = []
    if "%" in norm:
        for pattern in _PERCENT:
            percents += [(m.start(), m.end(), f"-{m.group('p')}%") for m in pattern.finditer(norm)]
    return percents


def _forward(norm: str, only_one: bool = False) -> list[Amount]:
    """Quantities followed by their prices; with `only_one`, only "le G à 60" (no digit before
    the price, so the hint cannot see it)."""
    found: list[Amount] = []
    for pattern in (_QP_FORWARD[2:] if only_one else _QP_FORWARD):
        for m in pattern.finditer(norm):
            currency = _currency(m)
            amount_text = m.group("a0") or m.group("a")
            if currency is None and not _bare_price(m, norm, amount_text, m.group("conn")
                                                    or m.groupdict().get("one")):
                continue
            if not m.group("conn") and _LETTERS.search(m.group("gap")):
                continue  # "1 taz offert dès 50€": words but no sign between quantity and price
            groups = m.groupdict()
            if groups.get("q"):
                unit, factor = _unit(m.group("u"))
                quantity, qty_start = _number(m.group("q")) * factor, m.start("q")
            elif groups.get("qx"):
                unit, quantity, qty_start = None, float(m.group("qx")), m.start()
            else:
                unit, factor = _unit(m.group("one"))
                quantity, qty_start = factor, m.start()
            found.append(Amount(m.start(), m.end(), _number(amount_text), currency or "EUR",
                                quantity, unit, qty_start, m.start("money")))
    counts = (_QP_COUNT.finditer(norm) if not only_one and any(w in norm for w in _COUNT_WORDS)
              else ())
    for m in counts:
        if m.group("c") is None and not _bare_price(m, norm, m.group("a"), True):
            continue
        found.append(Amount(m.start(), m.end(), _number(m.group("a")), _currency(m) or "EUR",
                            float(m.group("q")), None, m.start(), m.start("a")))
    return [a for a in found if a.quantity]

"""The one normaliser: undoes what sellers do to dodge keyword filters, for extraction and search.

`normalise(text)` returns a lowercase, accent-free text in which disguised words read plainly:

- case is folded and accents are stripped ("KÉTA" → "keta");
- look-alike characters become Latin: Unicode NFKC first (fullwidth "ｃｏｋｅ", mathematical
  "𝐜𝐨𝐤𝐞", circled "ⓒⓞⓚⓔ"), then the table in `data/confusables.csv` (Cyrillic "сoке",
  Greek "κeτα", curly apostrophes and dashes);
- invisible characters (zero-width space and joiners, soft hyphen) are dropped;
- digits misread by OCR are repaired where they sit among digits ("1Og = 6O€" → "10g = 60€",
  "l0g" → "10g");
- leetspeak inside words is undone: 0→o, 1→i, 3→e, 4→a, 5→s, 7→t, 8→b, $→s and @→a between
  letters ("c0ke", "k3ta", "sh1t", "T@z"; @ only before one to four letters, so that e-mail
  addresses stay whole), and in a text that had some, a final 0, 3 or 4 after two letters
  ("c0c0", "c0k3");
  digits that start a token are kept ("3-MMC", "10g", "13001");
- letters spaced out or separated by dots, dashes, stars or underscores are joined ("C.o.k.e",
  "c o k e", "3-M.M.C", "3.M.M.C" → "coke", "coke", "3-mmc", "3mmc"; a digit may lead). With plain spaces it takes four letters, or
  three that are not all vowels, so that French "y a à" is left alone;
- emoji are kept (variation selectors included), so that the lexicon can match them.

`normalise_with_map(text)` also returns, for each character of the normalised text, the offset of
the character of the original text it came from, so that an entity found in the normalised text
points at its raw span. Most steps keep one character for one character; only dropped characters,
expansions ("ß" → "ss", "…" → "...") and joined letters need the map, and it is built only then.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Dropped outright: zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen,
# Mongolian vowel separator, invisible operators.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
# Ranges whose characters may change under the normaliser (everything else maps to itself).
_LETTER_NAME = re.compile(r"^NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER [A-Z]$")
_RANGES = ((0x80, 0x3400), (0xA000, 0xAC00), (0xD7B0, 0xD800), (0xE000, 0x10000),
           (0x1D400, 0x1D800), (0x1F100, 0x1F1E6))


def load_confusables(path: Path) -> dict[str, str]:
    """The look-alike table: one `character,replacement` a line, # for comments."""
    table: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line == "character,replacement":
            continue
        char, sep, repl = line.partition(",")
        if not sep or len(char) != 1 or len(repl) != 1:
            raise ValueError(f"{path.name} line {number}: expected `character,replacement`, "
                             f"one character each, got {line!r}")
        table[char] = repl
    return table


def _fold_char(ch: str, confusables: dict[str, str]) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", stripped).casefold()
    return "".join(confusables.get(c, c) for c in folded)


class _Tables:
    """The translation tables, built once from the confusables file.

    `table` maps every character that changes; `even` is the same table with the characters
    that do not give exactly one character (dropped, or expanded like "ß" → "ss") mapped to NUL
    instead, so that one `str.translate` tells whether offsets can be kept as they are.
    """

    def __init__(self, confusables: dict[str, str]):
        table: dict[int, str] = {cp: chr(cp).lower() for cp in range(ord("A"), ord("Z") + 1)}
        for lo, hi in _RANGES:
            for cp in range(lo, hi):
                ch = chr(cp)
                if unicodedata.category(ch) in ("Cs", "Cn", "Co"):
                    continue
                out = "" if ch in _INVISIBLE else _fold_char(ch, confusables)
                if out == ch:
                    # Negative circled and squared letters (🅒, 🅲) have no NFKC form.
                    name = unicodedata.name(ch, "")
                    if not _LETTER_NAME.search(name):
                        continue
                    out = name[-1].lower()
                table[cp] = out
        self.table = table
        self.even = {cp: (out if len(out) == 1 else "\0") for cp, out in table.items()}
        # str.translate is much slower on a character missing from the table than on one that
        # maps to itself: list the common ones (scripts and emoji) explicitly.
        for lo, hi in ((0, 0x3400), (0x1F000, 0x1FB00)):
            for cp in range(lo, hi):
                self.even.setdefault(cp, chr(cp))


_TABLES = _Tables(load_confusables(DATA / "confusables.csv"))

# Each pattern starts with a character class, so that `re` skips quickly to where it can match;
# the context before that first character is checked by a lookbehind just after it.
_NUMERIC = re.compile(r"[ol](?:(?<=\do)o*(?=[\dgkhe€$%\s.,;:!?/)\-]|$)|(?<![\w].)(?=\d)"
                      r"|(?<=\dl)(?=\d))")
_NUMERIC_MAP = str.maketrans("ol", "01")
_LEET = re.compile(r"[0134578$@](?<=[a-z].)(?:(?<!@)[0134578$]*(?=[a-z])"
                   r"|(?<=@)(?=[a-z]{1,4}(?![\w.@-])))")
_LEET_END = re.compile(r"[034](?<=[a-z]{2}.)(?![\w])")
_LEET_MAP = str.maketrans("0134578$@", "oieastbsa")
_SPACED = re.compile(r"([.\-_*·• ])(?<=[a-z0-9].)(?<![\w']..)[a-z](?:\1[a-z]){1,40}(?![\w])")
_VOWELS = frozenset("aeiouy")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Case, accents, look-alikes, invisible characters. The map is None when offsets are kept."""
    if text.isascii():
        return text.lower(), None
    folded = text.translate(_TABLES.even)
    if "\0" not in folded:
        return folded, None
    table = _TABLES.table
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        repl = table.get(ord(ch), ch)
        out.append(repl)
        pos.extend([i] * len(repl))
    return "".join(out), pos


def _joined(text: str) -> tuple[str, list[int] | None]:
    """Join spaced-out letters; the map gives, for each output character, its index in `text`."""
    pieces: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _SPACED.finditer(text):
        start = m.start() - 1  # the match starts at the first separator
        letters = text[start:m.end():2]
        if m.group(1) == " " and (len(letters) < 3 or (len(letters) == 3
                                                       and set(letters) <= _VOWELS)):
            continue
        pieces.append(text[last:start])
        pos.extend(range(last, start))
        pieces.append(letters)
        pos.extend(range(start, m.end(), 2))
        last = m.end()
    if not pieces:
        return text, None
    pieces.append(text[last:])
    pos.extend(range(last, len(text)))
    return "".join(pieces), pos


def _normalise(text: str) -> tuple[str, list[int] | None]:
    norm, pos = _fold(text)
    if _NUMERIC.search(norm):
        norm = _NUMERIC.sub(lambda m: m.group(0).translate(_NUMERIC_MAP), norm)
    if _LEET.search(norm):
        norm = _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), norm)
        norm = _LEET_END.sub(lambda m: m.group(0).translate(_LEET_MAP), norm)
    norm, joined = _joined(norm)
    if joined is not None:
        pos = joined if pos is None else [pos[i] for i in joined]
    return norm, pos


def normalise(text: str) -> str:
    """The normalised form of `text`, for matching and search (see the module docstring)."""
    return _normalise(text)[0]


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the offset in `text` it came from.

    A span [s, e) of the normalised text is text[pos[s]:pos[e - 1] + 1] in the original.
    """
    norm, pos = _normalise(text)
    return norm, (list(range(len(norm))) if pos is None else pos)


def original_span(pos: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The original offsets of the normalised span [start, end), for a map from `_normalise`."""
    if pos is None:
        return start, end
    return pos[start], pos[end - 1] + 1

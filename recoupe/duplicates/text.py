"""What two copies of an advert are compared on: their words, numbers and contacts, line by line.

Every text goes through the extraction normaliser first (case, accents, look-alike letters,
leetspeak, spaced-out letters, digits misread by OCR: "C.o.k.e" and "c0ke" read "coke"), then is
cut into tokens per line. A token is one of three kinds:

- a **contact**: an @handle or a t.me link (a relay swaps the network's handle for its own);
- a **number**: a token with a digit and at most two letters (prices, quantities, hours, phone
  numbers, "10g", "x5"; "3csta" is a word the normaliser could not read back, and a postal code
  such as "13011" is a word: it names a place, as "Aubagne" does);
- a **word**: everything else. Emoji and punctuation are not tokens at all.

Words are what an advert *is* (what it sells, where, on which terms); numbers and contacts are
what reposts change (a price dropped for Christmas, the relay's own handle). The emoji sellers use
as a code for a substance (🍃, ❄️, 💊) are read as that substance's name: they say what is sold. So the fingerprints
that find candidates (MinHash over the set of words) ignore numbers and contacts, and the check of
a candidate pair (`compare.same_advert`) lets them differ.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from dataclasses import dataclass
from hashlib import blake2b

from ..extract import normalise
from ..extract.normalise import DATA

_TOKEN = re.compile(r"(?:@|t\.me/)[\w./?=-]*\w|\w+")
_DIGIT = re.compile(r"\d")
_POSTCODE = re.compile(r"\d{5}$")


def _emoji_words() -> tuple[re.Pattern, dict[str, str]]:
    """The substance emoji of the extraction lexicon, each read as its substance's name (so
    "🍃" and "🌿" are one word, and a post that sells 💊 is told from one that sells ❄️)."""
    data = tomllib.loads((DATA / "substances.toml").read_text(encoding="utf-8"))
    words = {}
    for value, entry in data.get("substance", {}).items():
        for emoji in entry.get("emoji", []):
            words[emoji.replace("\ufe0f", "").replace("\ufe0e", "")] = " " + value.replace("-", "") + " "
    keys = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), words


_EMOJI, _EMOJI_WORD = _emoji_words()


@dataclass(frozen=True, slots=True)
class Features:
    """A text cut into tokens; `lines` holds, for each line with words, its word positions."""

    words: tuple[str, ...]           # every word, in text order
    line_of: tuple[int, ...]         # for each word, the index of its line among `lines`
    lines: int                       # lines that hold at least one word
    numbers: tuple[str, ...]
    contacts: tuple[str, ...]

    @property
    def word_string(self) -> str:
        return " ".join(self.words)


def canonical(text: str) -> str:
    """The normalised text (see the module's docstring); line breaks are kept."""
    return normalise(text or "")


def features(canon: str) -> Features:
    """The tokens of a canonical text (from `canonical`)."""
    words: list[str] = []
    line_of: list[int] = []
    numbers: list[str] = []
    contacts: list[str] = []
    line = 0
    if _EMOJI.search(canon):
        canon = _EMOJI.sub(lambda m: _EMOJI_WORD[m.group(0)], canon)
    for raw_line in canon.split("\n"):
        had_word = False
        for tok in _TOKEN.findall(raw_line):
            if tok[0] == "@" or tok.startswith("t.me/"):
                contacts.append(tok.rstrip("."))
            elif _DIGIT.search(tok) and len(_DIGIT.sub("", tok)) <= 2 and not _POSTCODE.match(tok):
                numbers.append(tok)  # "60", "10g", "4h", "x5"; "3csta" and "avent1" are words
            else:
                words.append(tok)
                line_of.append(line)
                had_word = True
        if had_word:
            line += 1
    return Features(tuple(words), tuple(line_of), line, tuple(numbers), tuple(contacts))


def word_hashes(f: Features) -> list[int]:
    """Stable 32-bit hashes of the distinct words: what MinHash signs."""
    return [zlib.crc32(w.encode()) for w in set(f.words)]


def exact_key(f: Features) -> int:
    """A 64-bit key equal for texts with the same tokens in the same order (emoji, case, accents,
    spacing and obfuscation aside): the exact pass groups these without comparing them."""
    joined = "\x1f".join(f.words) + "\x1e" + "\x1f".join(f.numbers) + "\x1e" + "\x1f".join(f.contacts)
    return int.from_bytes(blake2b(joined.encode(), digest_size=8).digest(), "little") >> 1

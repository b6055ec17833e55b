"""The lexicons: editable data files turned into one Aho-Corasick automaton, and their version.

The files in `data/` are data, not code (each says at its top how to edit it):

- `substances.toml`: canonical substances, their street names, misspellings and emoji;
- `zones.csv`: departments, communes, Marseille's arrondissements and quarters;
- `promotions.toml` and `recruitment.toml`: the words of promotions and job offers, by kind;
- `confusables.csv`: the look-alike characters the normaliser maps to Latin letters.

Every name is passed through the normaliser, so that the automaton and the messages meet in the
same form. One pass of the automaton over a normalised message finds every name of every kind at
once; each hit is then checked for word boundaries and for the name's options (exact case,
language, words around it). Names that must keep their case ("C" for cocaine, "3M") are found
by one regular expression over the raw text instead.

`lexicon_version(data_dir)` is a short hash of the data files' bytes with the extractor's
revision, so that it changes whenever a lexicon or the extraction rules change: stored entities
carry it, and `enrich` re-runs extraction for the items whose entities carry another one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from .normalise import DATA, normalise

# Bump when the extraction rules in code change in a way that changes their output.
EXTRACTOR_REVISION = 1

_DATA_SUFFIXES = (".toml", ".csv")
_KINDS = ("substance", "promotion", "recruitment")


def lexicon_version(data_dir: Path = DATA) -> str:
    """The extractor revision and a hash of every data file's name and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(data_dir).iterdir() if p.suffix in _DATA_SUFFIXES):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{EXTRACTOR_REVISION}.{digest.hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class Term:
    """What a name in a lexicon stands for, and the conditions under which it counts."""

    kind: str                  # substance, zone, promotion, recruitment, or ignore
    value: str                 # canonical substance, place, promotion or recruitment kind
    detail: str | None = None  # zones: "level:code"
    emoji: bool = False        # emoji match without word boundaries
    only_lang: frozenset[str] | None = None
    unless_lang: frozenset[str] | None = None
    unless_after: frozenset[str] | None = None
    unless_before: frozenset[str] | None = None
    ambiguous: bool = False    # a zone name that is also an ordinary word
    needs_cue: bool = False    # a recruitment word that needs hiring or pay in the message


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    level: str
    code: str


def _words(values) -> frozenset[str] | None:
    return frozenset(normalise(v) for v in values) if values else None


def _zone_variants(key: str) -> set[str]:
    """Hyphens and spaces interchangeable, Saint/St and Sainte/Ste both ways."""
    out = {key, key.replace("-", " ")}
    for k in list(out):
        for long, short in (("sainte", "ste"), ("saint", "st")):
            out.add(re.sub(rf"\b{long}\b", short, k))
            out.add(re.sub(rf"\b{short}\b", long, k))
    return out


class Lexicon:
    """Every lexicon of a data folder, compiled for matching."""

    def __init__(self, data_dir: Path = DATA):
        self.data_dir = Path(data_dir)
        self.version = lexicon_version(self.data_dir)
        self.units: dict[str, str] = {}              # substance -> unit of a bare count
        self.postcodes: dict[str, Zone] = {}         # postal code -> first place listing it
        self.departments: dict[str, Zone] = {}       # "13" -> the department
        self._keys: dict[str, list[Term]] = {}
        self._cased: dict[str, list[Term]] = {}
        self._code_terms: dict[tuple[str, bool], Term | None] = {}
        for name in ("substances.toml", "promotions.toml", "recruitment.toml"):
            self._load_toml(self.data_dir / name)
        self._load_zones(self.data_dir / "zones.csv")
        self.automaton = ahocorasick.Automaton()
        for key, terms in self._keys.items():
            plain = all(t.only_lang is t.unless_lang is t.unless_after is t.unless_before is None
                        for t in terms)
            self.automaton.add_word(key, (len(key), tuple(terms), terms[0].emoji, plain))
        self.automaton.make_automaton()
        alternatives = sorted(self._cased, key=len, reverse=True)
        # No lookbehind before the names, so that `re` can skip to their first letters; the
        # character before a match is checked by `cased_matches`.
        self.cased = (re.compile("(?:" + "|".join(map(re.escape, alternatives))
                                 + r")(?![\w'’]|\.\w)") if alternatives else None)

    def code_term(self, code: str, postcode: bool) -> Term | None:
        """The zone a postal code or a department number stands for (None if not a department
        of the zones file)."""
        key = (code, postcode)
        if key not in self._code_terms:
            if postcode:
                zone = self.postcodes.get(code)
                term = (Term("zone", zone.name, detail=f"{zone.level}:{zone.code}") if zone
                        else Term("zone", code, detail=f"postcode:{code}"))
            else:
                zone = self.departments.get(code)
                term = Term("zone", zone.name, detail=f"department:{code}") if zone else None
            self._code_terms[key] = term
        return self._code_terms[key]

    def cased_matches(self, text: str):
        """The case-sensitive names in the raw text, standing alone: (start, end, terms)."""
        for m in self.cased.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if not (before.isalnum() or before in "_'’."):
                yield m.start(), m.end(), self._cased[m.group(0)]

    def _add(self, key: str, term: Term) -> None:
        if key:
            self._keys.setdefault(key, []).append(term)

    def _load_toml(self, path: Path) -> None:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for phrase in data.get("ignore", {}).get("phrases", []):
            self._add(normalise(phrase), Term("ignore", phrase))
        for kind in _KINDS:
            for value, entry in data.get(kind, {}).items():
                if kind == "substance":
                    self.units[value] = entry.get("unit", "unit")
                needs_cue = bool(entry.get("needs_cue", False))
                for name in entry.get("names", []):
                    self._add_name(kind, value, name, needs_cue, path)
                for emoji in entry.get("emoji", []):
                    key = emoji.replace("\ufe0f", "").replace("\ufe0e", "")
                    self._add(key, Term(kind, value, emoji=True))

    def _add_name(self, kind: str, value: str, name, needs_cue: bool, path: Path) -> None:
        options = name if isinstance(name, dict) else {"name": name}
        unknown = set(options) - {"name", "case", "only_lang", "unless_lang", "unless_after",
                                  "unless_before"}
        if unknown or not isinstance(options.get("name"), str):
            raise ValueError(f"{path.name}: {kind} {value}: cannot read {name!r}")
        term = Term(kind, value, only_lang=frozenset(options.get("only_lang", ())) or None,
                    unless_lang=frozenset(options.get("unless_lang", ())) or None,
                    unless_after=_words(options.get("unless_after")),
                    unless_before=_words(options.get("unless_before")),
                    needs_cue=needs_cue)
        if options.get("case"):
            self._cased.setdefault(options["name"], []).append(term)
        else:
            self._add(normalise(options["name"]), term)

    def _load_zones(self, path: Path) -> None:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        for row in csv.DictReader(io.StringIO("\n".join(lines))):
            name, level = row["name"].strip(), row["level"].strip()
            codes = [c.strip() for c in row["code"].split("|") if c.strip()]
            zone = Zone(name, level, codes[0] if codes else "")
            if level == "department":
                self.departments[zone.code] = zone
            for code in codes:
                if level != "department":
                    self.postcodes.setdefault(code, zone)
            term = Term("zone", name, detail=f"{level}:{zone.code}",
                        ambiguous=row.get("ambiguous", "").strip().lower() == "yes")
            names = [name] + [a for a in row["aliases"].split("|") if a.strip()]
            for alias in names:
                for key in _zone_variants(normalise(alias.strip())):
                    self._add(key, term)

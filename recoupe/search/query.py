"""The query language: parsed here, turned into tantivy queries, never passed to a parser of
tantivy's (so that nothing a person types is read as another engine's syntax).

    noel livraison          both words (words are ANDed; AND may be written)
    "calendrier de l'avent" the exact phrase; "…"~3 lets its words sit up to 3 positions apart
    coke OR beuh            either; OR binds tighter than the implicit AND: a b OR c = a (b OR c)
    -frappe  NOT frappe     without that word (or phrase, field or group)
    livr*                   words starting with "livr" (at least two characters before the *)
    ketamine~  ketamine~2   up to one (two) letters changed, added, removed or swapped
    ( … )                   grouping
    chat:"Le Plug"  author:karim  platform:whatsapp  lang:fr  substance:cocaine  zone:Aubagne
    contact:@plug13  promotion:black-friday  recruitment:courier  tag:…   field:* = has any value

Every word goes through `recoupe.extract.normalise` and the index's tokenizer, as the indexed
text did: case, accents and the sellers' obfuscations are folded ("RÉVEILLON", "c0ke", "K.E.T.A").
A word the normaliser cuts in several ("3-mmc", "jusqu'à") is searched as a phrase. A plain
word that the substance lexicon knows ("beuh", "c0ke", "🍃") also finds the posts in which
extraction found that substance, whatever name or emoji they used; in quotes, a word is only
itself (still folded). Fuzzy matching applies to words of three letters or more; `~2` to words of five or
more (shorter words get one edit, and the result says so).

A query that cannot be read raises `SearchSyntaxError`, whose message says what is wrong and at
which character. Control characters count as spaces; a word made only of punctuation is
ignored.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

import tantivy

from ..errors import RecoupeError
from ..i18n import _
from ..extract import extract, normalise
from ..extract.normalise import DATA
from .store import ANALYZER, SCHEMA

MAX_LENGTH = 1000
MAX_TERMS = 64
MAX_DEPTH = 12
MIN_PREFIX = 2
MIN_FUZZY = (3, 5)  # shortest word for one edit, for two edits
EXPANSION_BOOST = 0.5  # a post found through its substance ranks below one naming the word

# Fields of the query language: the index field searched, and how the value is matched.
# "words": the value's words, as in the text; "exact": the normalised value; "substance": a
# canonical substance or any name the lexicon gives it.
FIELDS = {
    "chat": ("chat_words", "words"), "author": ("author_words", "words"),
    "zone": ("zone_words", "words"), "contact": ("contact_words", "words"),
    "tag": ("tag_words", "words"), "platform": ("platform", "exact"), "lang": ("lang", "exact"),
    "promotion": ("promotion", "exact"), "recruitment": ("recruitment", "exact"),
    "substance": ("substance", "substance"),
}


class SearchSyntaxError(RecoupeError):
    """A query that cannot be read; `position` is the 1-based character where the problem is."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


# -- the syntax tree ----------------------------------------------------------------------

@dataclass
class Text:
    """A word or a quoted phrase, searched in the text (as the index's words)."""

    tokens: list[str]
    prefix: bool = False
    fuzzy: int = 0
    slop: int = 0
    substances: frozenset[str] = frozenset()


@dataclass
class Field:
    """`name:value`."""

    name: str
    tokens: list[str] = field(default_factory=list)
    prefix: bool = False
    any: bool = False
    values: frozenset[str] = frozenset()   # exact values (exact and substance fields)


@dataclass
class Not:
    child: object


@dataclass
class And:
    children: list


@dataclass
class Or:
    children: list


@dataclass
class Parsed:
    """A parsed query: its tree (None: match every post), and what it says about itself."""

    tree: object | None
    notes: list[str]

    def to_tantivy(self) -> tantivy.Query:
        return tantivy.Query.all_query() if self.tree is None else _compile(self.tree)

    def marks(self) -> "Marks":
        m = Marks()
        if self.tree is not None:
            _collect(self.tree, m)
        return m


@dataclass
class Marks:
    """What a hit's snippet highlights: the positive words of the query."""

    words: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    fuzzy: list[tuple[str, int]] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    prefix_phrases: list[list[str]] = field(default_factory=list)
    substances: set[str] = field(default_factory=set)
    # (kind, words, prefix) of zone: and contact: fields, marked on the entity's span
    entity_words: list[tuple[str, list[str], bool]] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_FIELD = re.compile(r"([A-Za-z_]+):(?=\S)")
_BREAK = " \t\"()"
_FUZZY = re.compile(r"~(\d*)$")


@dataclass
class _Token:
    kind: str      # "(", ")", "OR", "AND", "NOT", "-", "word", "phrase", "field"
    text: str
    pos: int       # 0-based offset in the query
    suffix: str = ""   # after a closing quote: "*", "~N"
    name: str = ""     # a field's name
    quoted: bool = False  # a field's value was quoted


def _at(pos: int) -> str:
    return _("at character {n}", n=pos + 1)


def _phrase_end(q: str, start: int) -> int:
    end = q.find('"', start + 1)
    if end < 0:
        raise SearchSyntaxError(_("The quote {at} is not closed: add a \" after the phrase.",
                                  at=_at(start)), start + 1)
    return end


def _suffix(q: str, i: int) -> tuple[str, int]:
    """A `*` or `~N` right after a closing quote."""
    m = re.match(r"\*|~\d*", q[i:])
    return (m.group(0), i + m.end()) if m else ("", i)


def _lex(q: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            out.append(_Token(c, c, i))
            i += 1
            continue
        if c == "-" and i + 1 < n and not q[i + 1].isspace():
            out.append(_Token("-", c, i))
            i += 1
            continue
        if c == '"':
            end = _phrase_end(q, i)
            suffix, after = _suffix(q, end + 1)
            out.append(_Token("phrase", q[i + 1:end], i, suffix=suffix))
            i = after
            continue
        m = _FIELD.match(q, i)
        if m and not q.startswith("//", m.end()):
            name = m.group(1).lower()
            if name not in FIELDS:
                raise SearchSyntaxError(_(
                    "Unknown field \"{field}:\" {at}. The fields are {fields}; to search for "
                    "the text itself, put it in quotes: \"{text}\".", field=m.group(1),
                    at=_at(i), fields=", ".join(sorted(FIELDS)),
                    text=q[i:_word_end(q, m.end())]), i + 1)
            j = m.end()
            if q[j] in "()":
                raise SearchSyntaxError(_(
                    "{name}: {at} is followed by a parenthesis; give one value per field "
                    "and join them with OR: {name}:a OR {name}:b.", name=name, at=_at(i)), i + 1)
            if q[j] == '"':
                end = _phrase_end(q, j)
                suffix, after = _suffix(q, end + 1)
                out.append(_Token("field", q[j + 1:end], i, suffix=suffix, name=name, quoted=True))
                i = after
            else:
                end = _word_end(q, j)
                out.append(_Token("field", q[j:end], i, name=name))
                i = end
            continue
        end = _word_end(q, i)
        word = q[i:end]
        if word in ("OR", "AND", "NOT"):
            out.append(_Token(word, word, i))
        elif re.fullmatch(r"[A-Za-z_]+:", word) and word[:-1].lower() in FIELDS:
            raise SearchSyntaxError(_("\"{word}\" {at} needs a value right after the colon, "
                                      "e.g. {field}:value or {field}:\"two words\".",
                                      word=word, at=_at(i), field=word[:-1]), i + 1)
        else:
            out.append(_Token("word", word, i))
        i = end
    return out


def _word_end(q: str, i: int) -> int:
    while i < len(q) and not q[i].isspace() and q[i] not in _BREAK:
        i += 1
    return i


class _Parser:
    """Recursive descent: and_ → or_ → unary → a word, a phrase, a field or a group."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.terms = 0
        self.notes: list[str] = []

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        tree = self.and_()
        tok = self.peek()
        if tok is not None:  # only a ")" stops and_() early
            raise SearchSyntaxError(_("The parenthesis {at} closes nothing: remove it "
                                      "or add a \"(\" before it.", at=_at(tok.pos)), tok.pos + 1)
        return tree

    def and_(self):
        children = []
        while (tok := self.peek()) is not None and tok.kind != ")":
            if tok.kind == "AND":
                self.take()
                if not children:
                    raise SearchSyntaxError(_("AND {at} has nothing before it.",
                                              at=_at(tok.pos)), tok.pos + 1)
                nxt = self.peek()
                if nxt is None or nxt.kind in (")", "OR", "AND"):
                    raise SearchSyntaxError(_("AND {at} has nothing after it.",
                                              at=_at(tok.pos)), tok.pos + 1)
                continue
            if tok.kind == "OR":
                raise SearchSyntaxError(_("OR {at} has nothing before it: write \"a OR b\".",
                                          at=_at(tok.pos)), tok.pos + 1)
            children.append(self.or_())
        return _join(And, children)

    def or_(self):
        children = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise SearchSyntaxError(_("OR {at} has nothing after it: write \"a OR b\".",
                                          at=_at(tok.pos)), tok.pos + 1)
            children.append(self.unary())
        return _join(Or, children)

    def unary(self):
        tok = self.take()
        if tok.kind in ("NOT", "-"):
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                what = "NOT" if tok.kind == "NOT" else "\"-\""
                raise SearchSyntaxError(_("{what} {at} must be followed by what to leave out.",
                                          what=what, at=_at(tok.pos)), tok.pos + 1)
            child = self.unary()
            return None if child is None else Not(child)
        if tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise SearchSyntaxError(_("Too many nested parentheses {at} (at most {max}).",
                                          at=_at(tok.pos), max=MAX_DEPTH), tok.pos + 1)
            nxt = self.peek()
            if nxt is not None and nxt.kind == ")":
                raise SearchSyntaxError(_("The parentheses {at} hold nothing.",
                                          at=_at(tok.pos)), tok.pos + 1)
            inner = self.and_()
            close = self.peek()
            if close is None:
                raise SearchSyntaxError(_("The parenthesis {at} is not closed: add a \")\".",
                                          at=_at(tok.pos)), tok.pos + 1)
            self.take()
            self.depth -= 1
            return inner
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise SearchSyntaxError(_("The query has more than {max} words and fields; split "
                                      "it (word {next} is {at}).", max=MAX_TERMS,
                                      next=MAX_TERMS + 1, at=_at(tok.pos)), tok.pos + 1)
        if tok.kind == "field":
            return self.field(tok)
        if tok.kind == "phrase":
            return self.phrase(tok)
        return self.word(tok)

    def word(self, tok: _Token):
        raw = tok.text
        fuzzy = 0
        prefix = False
        m = _FUZZY.search(raw)
        if m:
            raw = raw[:m.start()]
            fuzzy = self.edits(m.group(1), tok.pos + m.start())
            if raw.endswith("*"):
                raise SearchSyntaxError(_("\"{word}\" {at} is both a prefix (*) and fuzzy (~): "
                                          "choose one.", word=tok.text, at=_at(tok.pos)),
                                        tok.pos + 1)
        elif raw.endswith("*") and raw.strip("*"):
            raw = raw.rstrip("*")
            prefix = True
        tokens = _words(raw)
        if not tokens:
            return None
        if prefix and len(tokens) == 1 and len(tokens[0]) < MIN_PREFIX:
            raise SearchSyntaxError(_("\"{word}\" {at}: a prefix needs at least {min} "
                                      "characters before the *.", word=tok.text,
                                      at=_at(tok.pos), min=MIN_PREFIX), tok.pos + 1)
        if fuzzy:
            if len(tokens) > 1:
                raise SearchSyntaxError(_("\"{word}\" {at}: ~ applies to one word, and this is "
                                          "read as {n} ({words}).", word=tok.text,
                                          at=_at(tok.pos), n=len(tokens),
                                          words=" ".join(tokens)), tok.pos + 1)
            fuzzy = self.fuzzy_for(tokens[0], fuzzy, tok.text)
        substances = (_substances_in(raw) if not (prefix or fuzzy) and _worth_expanding(tokens)
                      else frozenset())
        return Text(tokens, prefix=prefix, fuzzy=fuzzy, substances=substances)

    def phrase(self, tok: _Token):
        tokens = _words(tok.text)
        if not tokens:
            if tok.text.strip():
                self.notes.append(_("\"{text}\" has no word to search for; it was left out.",
                                    text=tok.text))
            return None
        slop = 0
        prefix = tok.suffix == "*"
        if tok.suffix.startswith("~"):
            digits = tok.suffix[1:]
            slop = int(digits) if digits else 1
            if slop > 20:
                raise SearchSyntaxError(_("The phrase {at} allows {slop} positions between its "
                                          "words; at most 20.", at=_at(tok.pos), slop=slop),
                                        tok.pos + 1)
        return Text(tokens, prefix=prefix, slop=slop)

    def field(self, tok: _Token):
        name = tok.name
        how = FIELDS[name][1]
        raw = tok.text
        prefix = (tok.suffix == "*"
                  or (not tok.quoted and raw.endswith("*") and bool(raw.strip("*"))))
        if not tok.quoted and raw.strip("*") == "":
            return Field(name, any=True)
        if tok.suffix.startswith("~") or (not tok.quoted and _FUZZY.search(raw)):
            raise SearchSyntaxError(_("{name}:{value} {at}: ~ applies to words of the text, not "
                                      "to field values.", name=name, value=raw,
                                      at=_at(tok.pos)), tok.pos + 1)
        value = raw.rstrip("*") if prefix and not tok.quoted else raw
        if how == "words":
            tokens = _words(value)
            if not tokens:
                raise SearchSyntaxError(_("{name}:{value} {at} has no word to search for.",
                                          name=name, value=raw, at=_at(tok.pos)), tok.pos + 1)
            return Field(name, tokens=tokens, prefix=prefix)
        folded = normalise(value).strip()
        if how == "substance":
            values = _substance_values(value, folded)
            if not values:
                raise SearchSyntaxError(_(
                    "substance:{value} {at}: the lexicon knows no substance by that name. "
                    "Substances: {substances}.", value=raw, at=_at(tok.pos),
                    substances=", ".join(sorted(canonical_substances()))), tok.pos + 1)
            return Field(name, values=values)
        if not folded:
            raise SearchSyntaxError(_("{name}:{value} {at} has no value to search for.",
                                      name=name, value=raw, at=_at(tok.pos)), tok.pos + 1)
        return Field(name, prefix=prefix, values=frozenset({folded}))

    def edits(self, digits: str, pos: int) -> int:
        n = int(digits) if digits else 1
        if n > 2:
            raise SearchSyntaxError(_("~{digits} {at}: fuzzy matching allows 1 or 2 edits.",
                                      digits=digits, at=_at(pos)), pos + 1)
        return n

    def fuzzy_for(self, word: str, edits: int, written: str) -> int:
        if len(word) < MIN_FUZZY[0]:
            self.notes.append(_("\"{word}\": words under {n} characters are searched exactly.",
                                word=written, n=MIN_FUZZY[0]))
            return 0
        if edits == 2 and len(word) < MIN_FUZZY[1]:
            self.notes.append(_("\"{word}\": words under {n} characters get one edit, not two.",
                                word=written, n=MIN_FUZZY[1]))
            return 1
        return edits


def _join(kind, children: list):
    kept = [c for c in children if c is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(kept)


def _words(text: str) -> list[str]:
    """The index's words of a piece of text: normalised, then cut by the index's tokenizer."""
    return ANALYZER.analyze(normalise(text))


def _worth_expanding(tokens: list[str]) -> bool:
    """Single letters are not looked up in the lexicon ("C" would stand for cocaine)."""
    return len("".join(tokens)) > 1 or not tokens[0].isascii()


@lru_cache(maxsize=1)
def canonical_substances() -> frozenset[str]:
    """The canonical substances of the lexicon (`[substance.NAME]` in substances.toml)."""
    data = tomllib.loads((DATA / "substances.toml").read_text(encoding="utf-8"))
    return frozenset(data.get("substance", {}))


@lru_cache(maxsize=4096)
def _substances_in(word: str) -> frozenset[str]:
    """The substances that extraction finds in a word on its own (its name, misspelling or
    emoji code)."""
    return frozenset(e.value for e in extract(word) if e.kind == "substance")


def _substance_values(value: str, folded: str) -> frozenset[str]:
    if folded in canonical_substances():
        return frozenset({folded})
    return _substances_in(value)


def parse(query: str) -> Parsed:
    """Read a query (see the module docstring); raises SearchSyntaxError."""
    if len(query) > MAX_LENGTH:
        raise SearchSyntaxError(_("The query is {n} characters long; at most {max}.",
                                  n=len(query), max=MAX_LENGTH), MAX_LENGTH + 1)
    cleaned = _CONTROL.sub(" ", query)
    parser = _Parser(_lex(cleaned))
    tree = parser.parse()
    if tree is None and cleaned.strip():
        raise SearchSyntaxError(_("The query \"{query}\" has no word to search for "
                                  "(punctuation alone is not indexed).", query=cleaned.strip()), 1)
    return Parsed(tree, parser.notes)


# -- to tantivy ---------------------------------------------------------------------------

def _compile(node) -> tantivy.Query:
    if isinstance(node, Text):
        return _text_query(node)
    if isinstance(node, Field):
        return tantivy.Query.const_score_query(_field_query(node), 0.0)
    if isinstance(node, Or):
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, _compile(c))
                                            for c in node.children])
    if isinstance(node, Not):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.all_query()),
                                            (tantivy.Occur.MustNot, _compile(node.child))])
    clauses = [(tantivy.Occur.MustNot, _compile(c.child)) if isinstance(c, Not)
               else (tantivy.Occur.Must, _compile(c)) for c in node.children]
    if all(occur == tantivy.Occur.MustNot for occur, _query in clauses):
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def _words_query(index_field: str, tokens: list[str], *, prefix: bool = False,
                 fuzzy: int = 0, slop: int = 0) -> tantivy.Query:
    if len(tokens) == 1:
        word = tokens[0]
        if prefix:
            return tantivy.Query.regex_query(SCHEMA, index_field, _literal(word) + ".*")
        if fuzzy:
            return tantivy.Query.fuzzy_term_query(SCHEMA, index_field, word, distance=fuzzy,
                                                  transposition_cost_one=True)
        return tantivy.Query.term_query(SCHEMA, index_field, word)
    if prefix:
        return tantivy.Query.phrase_prefix_query(SCHEMA, index_field, tokens)
    return tantivy.Query.phrase_query(SCHEMA, index_field, tokens, slop=slop)


_REGEX_SPECIAL = frozenset(".^$*+?()[]{}|\\")


def _literal(text: str) -> str:
    """`text` as a literal in a tantivy (Rust) regular expression."""
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


def _text_query(node: Text) -> tantivy.Query:
    q = _words_query("text", node.tokens, prefix=node.prefix, fuzzy=node.fuzzy, slop=node.slop)
    if not node.substances:
        return q
    found = tantivy.Query.term_set_query(SCHEMA, "substance", sorted(node.substances))
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Should, q),
        (tantivy.Occur.Should, tantivy.Query.const_score_query(found, EXPANSION_BOOST))])


def _field_query(node: Field) -> tantivy.Query:
    index_field, how = FIELDS[node.name]
    if node.any:
        return tantivy.Query.exists_query(node.name)  # each name is also an exact-value field
    if how == "words":
        return _words_query(index_field, node.tokens, prefix=node.prefix)
    if node.prefix:
        [value] = node.values
        return tantivy.Query.regex_query(SCHEMA, index_field, _literal(value) + ".*")
    return tantivy.Query.term_set_query(SCHEMA, index_field, sorted(node.values))


def _collect(node, m: Marks) -> None:
    if isinstance(node, Not):
        return
    if isinstance(node, (And, Or)):
        for c in node.children:
            _collect(c, m)
    elif isinstance(node, Text):
        if len(node.tokens) > 1:
            (m.prefix_phrases if node.prefix else m.phrases).append(node.tokens)
        elif node.prefix:
            m.prefixes.append(node.tokens[0])
        elif node.fuzzy:
            m.fuzzy.append((node.tokens[0], node.fuzzy))
        else:
            m.words.add(node.tokens[0])
        m.substances |= node.substances
    elif isinstance(node, Field):
        if node.name == "substance":
            m.substances |= node.values
        elif node.name in ("zone", "contact") and not node.any:
            m.entity_words.append((node.name, node.tokens, node.prefix))

"""The search index on disk: its fields, its tokenizer, and opening it.

    WORKSPACE/search-index/
        tantivy/            the tantivy index (derived; deletable: `rebuild` makes it again)
        fingerprints.parquet  each indexed post's id and the hash of what the index holds of it
        state.json          the index's format version, the lexicon version it was built with

Text is indexed through `recoupe.extract.normalise`, the normaliser extraction uses, then cut
into words by one tokenizer (`ANALYZER`): runs of letters and digits (marks may follow a letter)
and single emoji. The query side uses the same two steps, so that "RÉVEILLON", "c0ke" and
"K.E.T.A" meet "reveillon", "coke" and "keta". The original text is kept in the index's store
(not indexed) with the spans of its substances, zones and contacts, so that a page of hits is
read from the index alone, without a round trip to DuckDB.

Fields. Exact values (`raw` tokenizer, for filters and `field:*`): `platform`, `lang`, `author`,
`substance`, `zone`, `contact`, `promotion`, `recruitment`, `tag`, `price_band`. Numbers (fast):
`id`, `chat` (chat id), `posted` (epoch seconds), `day` (the day in Europe/Paris, as YYYYMMDD;
0 when the post has no time), `unit_price`. Words (for `field:word` in queries): `chat_words`,
`author_words`, `zone_words`, `contact_words`, `tag_words`. Stored only: `original`, `marks`,
`chat_name`, `message_id`.

Facet counts read one column per facet (`FACET_COLUMNS`), made to be counted fast: tantivy counts
a column that holds exactly one value per post several times faster than one where posts have
none or several (measured on 1,000,000 posts: 1 ms against 8 to 20). So every post has one
value in each: `<field>_facet` holds, for a field with several values per post (substances,
zones...), its sorted values joined by SEPARATOR, and "" when it has none; the engine counts
those sets and adds them up per value.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import tantivy

from ..errors import RecoupeError
from ..i18n import _
from ..extract import LEXICON_VERSION
from ..workspace import Workspace

INDEX_DIR = "search-index"
# Bump when the fields, the tokenizer or what goes into a field change: an index of another
# version is rebuilt by the next `update`, and `search` asks for a rebuild.
INDEX_VERSION = 1
WORDS = "words"
NOTHING = "nothing"  # the tokenizer of stored-only fields: it makes no token
# Rust regex (tantivy's tokenizer): a letter or digit then letters, digits and combining marks
# (accents of scripts that keep them, variation selectors), or one pictographic emoji.
WORD_PATTERN = r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*|\p{Extended_Pictographic}"
MAX_WORD = 100  # longer tokens (base64, long URLs) are not indexed


class IndexMissing(RecoupeError):
    """There is no usable search index in the workspace."""


def analyzer() -> tantivy.TextAnalyzer:
    """The tokenizer of the `text` and `*_words` fields, for indexing and queries alike."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(WORD_PATTERN))
            .filter(tantivy.Filter.remove_long(MAX_WORD)).build())


ANALYZER = analyzer()
# An empty character class never matches: a field with this tokenizer is kept, not indexed.
_NO_TOKENS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"[^\s\S]")).build()

RAW_FIELDS = ("platform", "lang", "author", "substance", "zone", "contact", "promotion",
              "recruitment", "tag", "price_band")
# Facets whose column holds a set of values joined by SEPARATOR.
SET_FIELDS = ("substance", "zone", "promotion", "recruitment", "tag", "price_band")
SEPARATOR = "\x1f"
# Contacts are counted in their own field: posts share few sets of zones or substances, but
# nearly every set of contacts is new, and adding up tens of thousands of sets costs more than
# counting the field itself.
FACET_COLUMNS = {"chat": "chat", "platform": "platform", "day": "day", "contact": "contact",
                 **{name: name + "_facet" for name in ("lang", "author") + SET_FIELDS}}
WORD_FIELDS = ("chat_words", "author_words", "zone_words", "contact_words", "tag_words")
STORED_ONLY = ("original", "marks", "chat_name")


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("id", stored=True, indexed=True, fast=True)
    b.add_text_field("text", tokenizer_name=WORDS, index_option="position")
    b.add_integer_field("chat", stored=True, indexed=True, fast=True)
    b.add_integer_field("posted", stored=True, indexed=True, fast=True)
    b.add_integer_field("day", fast=True)
    b.add_float_field("unit_price", indexed=True, fast=True)
    for name in RAW_FIELDS:
        b.add_text_field(name, stored=name in ("platform", "author"), fast=True,
                         tokenizer_name="raw", index_option="basic")
    for name, column in FACET_COLUMNS.items():
        if column != name:
            b.add_text_field(column, fast=True, tokenizer_name="raw", index_option="basic")
    for name in WORD_FIELDS:
        b.add_text_field(name, tokenizer_name=WORDS, index_option="position")
    for name in STORED_ONLY:
        b.add_text_field(name, stored=True, tokenizer_name=NOTHING, index_option="basic")
    b.add_integer_field("message_id", stored=True)
    return b.build()


SCHEMA = schema()


def index_dir(ws: Workspace) -> Path:
    return ws.root / INDEX_DIR


@dataclass(frozen=True)
class State:
    """What `state.json` says of an index."""

    index_version: int
    lexicon_version: str
    documents: int

    @property
    def current(self) -> bool:
        return self.index_version == INDEX_VERSION and self.lexicon_version == LEXICON_VERSION


def read_state(folder: Path) -> State | None:
    try:
        raw = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        return State(int(raw["index_version"]), str(raw["lexicon_version"]), int(raw["documents"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(folder: Path, documents: int) -> None:
    """Write state.json whole or not at all (a temporary file renamed over it)."""
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps({"index_version": INDEX_VERSION, "lexicon_version": LEXICON_VERSION,
                               "documents": documents}), encoding="utf-8")
    os.replace(tmp, folder / "state.json")


def create(folder: Path) -> tantivy.Index:
    """A new, empty index in `folder` (made afresh)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tantivy").mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(folder / "tantivy"), reuse=False)
    _register(index)
    return index


def open_at(folder: Path) -> tantivy.Index:
    """The index in `folder`, with its tokenizers."""
    index = tantivy.Index.open(str(folder / "tantivy"))
    _register(index)
    return index


def _register(index: tantivy.Index) -> None:
    index.register_tokenizer(WORDS, ANALYZER)
    index.register_tokenizer(NOTHING, _NO_TOKENS)


_OPEN: dict[Path, tuple[tuple, tantivy.Index, State]] = {}
_LOCK = threading.Lock()


def _stamp(folder: Path) -> tuple | None:
    """Changes whenever the index is committed or replaced (state.json is rewritten each time)."""
    try:
        st = (folder / "state.json").stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def open_index(ws: Workspace) -> tuple[tantivy.Index, State]:
    """The workspace's index and its state, opened once per process and again after each
    update.

    Raises IndexMissing when there is none, or when it was made by another version of this
    module (then `python -m recoupe reindex` makes it again). An index made with other lexicons
    is still searched (the caller says it is stale); the next `update` rebuilds it.
    """
    folder = index_dir(ws)
    stamp = _stamp(folder)
    with _LOCK:
        cached = _OPEN.get(folder)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        state = read_state(folder)
        if state is None or not tantivy.Index.exists(str(folder / "tantivy")):
            raise IndexMissing(_("The workspace {root} has no search index yet; build it with "
                                 "`python -m recoupe reindex --workspace {root}`.", root=ws.root))
        if state.index_version != INDEX_VERSION:
            raise IndexMissing(_("The search index of {root} was built by another version of "
                                 "Recoupe; rebuild it with "
                                 "`python -m recoupe reindex --workspace {root}`.", root=ws.root))
        try:
            index = open_at(folder)
        except ValueError as exc:
            raise IndexMissing(_(
                "The search index of {root} cannot be read ({error}); rebuild it with "
                "`python -m recoupe reindex --workspace {root}`.", root=ws.root,
                error=exc)) from None
        _OPEN[folder] = (stamp, index, state)
        return index, state


def forget(folder: Path) -> None:
    """Drop the cached index of `folder` (before it is replaced)."""
    with _LOCK:
        _OPEN.pop(folder, None)

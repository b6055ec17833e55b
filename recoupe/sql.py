"""Named SQL statements, kept in `queries/`.

Every statement lives in a `.sql` file under `queries/`, in blocks that start with a header:

    -- name: items_by_chat
    -- returns: one row per item of a chat, oldest first
    SELECT ... WHERE chat_id = $chat_id

A statement is loaded as `"<file>.<name>"` (sub-folders add a prefix: `queries/a/b.sql` gives
`"a.b.<name>"`). Parameters are always named (`$chat_id`) and passed separately, never formatted
into the text. Migrations are the exception: each file in `queries/migrations/` is one migration,
applied whole (see `recoupe.workspace`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import QueryNotFound

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)
_RETURNS = re.compile(r"^--\s*returns:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    returns: str
    path: Path


def _namespace(path: Path) -> str:
    rel = path.relative_to(QUERIES_DIR).with_suffix("")
    return ".".join(rel.parts)


def parse_file(path: Path) -> list[Statement]:
    """Split one `.sql` file into its named statements."""
    source = path.read_text(encoding="utf-8")
    heads = list(_HEADER.finditer(source))
    out = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(source)
        body = source[head.end():end]
        returns = _RETURNS.search(body)
        text = _RETURNS.sub("", body).strip()
        out.append(Statement(f"{_namespace(path)}.{head.group(1)}", text,
                             returns.group(1).strip() if returns else "", path))
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Statement]:
    """All named statements, by full name (migrations excluded)."""
    found: dict[str, Statement] = {}
    for path in sorted(QUERIES_DIR.rglob("*.sql")):
        if path.parent.name == "migrations":
            continue
        for st in parse_file(path):
            if st.name in found:
                raise ValueError(f"{path}: statement {st.name} is defined twice")
            found[st.name] = st
    return found


def sql(name: str) -> str:
    """The text of a named statement, e.g. `sql("items.list")`."""
    try:
        return catalogue()[name].text
    except KeyError:
        raise QueryNotFound(f"no SQL statement named {name!r} in {QUERIES_DIR}") from None


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def parameters(name: str) -> frozenset[str]:
    """The named parameters (`$name`) of a statement."""
    return frozenset(_PARAM.findall(sql(name)))


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, text) of each migration, in order."""
    out = []
    for path in sorted((QUERIES_DIR / "migrations").glob("*.sql")):
        m = re.match(r"(\d+)_(.+)", path.stem)
        if not m:
            raise ValueError(f"{path}: a migration's file name must start with its number")
        out.append((int(m.group(1)), m.group(2), path.read_text(encoding="utf-8")))
    return out

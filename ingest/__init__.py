"""Parsers: each source format turned into rows.

A parser reads one file and yields a `Chat` before the items of that chat, then the items as
dicts with the keys of `ITEM_FIELDS`. It raises `Rejected` with a reason a person can act on when
the file cannot be read. Parsers never touch the workspace and never import Streamlit; storing the
rows is `recoupe.imports`' work.
"""

from .errors import Rejected
from .model import ITEM_FIELDS, Chat

__all__ = ["Rejected", "Chat", "ITEM_FIELDS"]

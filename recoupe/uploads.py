"""Files uploaded through the app, saved where the workspace decides.

An uploaded file's name is the sender's words: it never chooses where anything is written. Each
upload batch goes to a fresh folder inside the workspace (`.uploads/<random>/`), under its own name
reduced to a plain, safe file name (no folders, no dots in front, no control characters); the
name is kept because parsers read meaning into it (a WhatsApp chat's name, the next page of an
HTML export, the text beside a screenshot). The folder is removed once the import is done: the
evidentiary copy of each file is the one stored under its SHA-256.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .workspace import Workspace

_UNSAFE = re.compile(r"[^\w.\- ()\[\]@+,'&]", re.UNICODE)
MAX_NAME = 150


def safe_name(name: str, fallback: str = "upload") -> str:
    """A leaf file name made from what the sender called the file."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]            # never a folder
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")                      # no leading dots: no '..'
    if not name:
        name = fallback
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 10 \
            else name[:MAX_NAME]
    return name


@contextmanager
def saved_uploads(ws: Workspace, uploads: Iterable[tuple[str, BinaryIO]]) -> Iterator[list[Path]]:
    """Write uploads (name, readable) into a fresh folder of the workspace; yields their paths."""
    base = ws.root / ".uploads"
    base.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=base))
    try:
        paths: list[Path] = []
        taken: set[str] = set()
        for i, (name, stream) in enumerate(uploads, 1):
            leaf = safe_name(name, f"upload-{i}")
            if leaf.lower() in taken:
                stem, dot, suffix = leaf.rpartition(".")
                leaf = f"{stem or leaf}-{i}{dot}{suffix}" if dot else f"{leaf}-{i}"
            taken.add(leaf.lower())
            dest = folder / leaf
            assert dest.parent == folder
            with open(dest, "xb") as out:
                shutil.copyfileobj(stream, out, 1 << 20)
            paths.append(dest)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)

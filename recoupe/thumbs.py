"""Thumbnails of screenshots, made from the evidentiary copy.

Derived files: `thumbs/<sha256>.jpg` in the workspace, made after an import and again whenever one
is missing, so deleting the folder loses nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import ImageOps

from ingest import Rejected
from ingest.screenshot import open_image

from .workspace import Workspace

THUMBS_DIR = "thumbs"
MAX_SIDE = 360


def thumbnail(ws: Workspace, sha256: str) -> Path | None:
    """The thumbnail of a stored image, made if missing; None when the image cannot be read."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        return None
    dest = ws.root / THUMBS_DIR / f"{sha256}.jpg"
    if dest.exists():
        return dest
    source = ws.sources_dir / sha256
    try:
        img = open_image(source.read_bytes())
    except (OSError, Rejected):
        return None
    img = ImageOps.exif_transpose(img).convert("RGB")
    img.thumbnail((MAX_SIDE, MAX_SIDE * 3))
    dest.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".thumb-", suffix=".jpg", dir=dest.parent)
    with os.fdopen(fd, "wb") as out:
        img.save(out, "JPEG", quality=82)
    os.replace(tmp, dest)
    return dest

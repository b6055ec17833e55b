"""The image of a piece of evidence, as the dossier prints it.

A screenshot is read from its evidentiary copy (`sources/<sha256>`); a photo attached to a
WhatsApp chat from the zip archive stored for that chat, by the member name the import recorded,
and only when its bytes still have the SHA-256 recorded then. The image is turned upright (EXIF),
reduced to what a printed page can show, and given to the PDF as JPEG. In a redacted dossier the
words OCR read that hold a masked value are covered with black boxes first; an image without OCR
word boxes is left out.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from ingest import Rejected
from ingest.archive import SafeZip
from ingest.screenshot import open_image

from ..workspace import Workspace
from .redact import Redactor, word_boxes

MAX_SIDE = 1600          # pixels: about 200 dpi over a page's height
QUALITY = 85
PAD = 3                  # pixels around a masked word


@dataclass(frozen=True)
class Picture:
    data: bytes            # JPEG
    width: int
    height: int
    sha256: str            # of the original image file
    name: str
    masked: int            # boxes drawn


@dataclass(frozen=True)
class Withheld:
    """An image that exists but is not printed, and why (a sentence key for the PDF)."""

    sha256: str
    name: str
    reason: str            # "redacted" | "unreadable" | "changed"


def _original(ws: Workspace, entry) -> tuple[bytes, str, str] | Withheld | None:
    """(bytes, sha256, name) of the evidence's image, a Withheld, or None when it has none."""
    row = entry.row
    if row["platform"] == "screenshot":
        sha = row["source_sha256"]
        path = ws.sources_dir / sha
        try:
            return path.read_bytes(), sha, row["source_file"]
        except OSError:
            return Withheld(sha, row["source_file"], "unreadable")
    for media in entry.media:
        if (media.get("included") and media.get("container") == "zip" and media.get("path")
                and media.get("sha256") and media.get("kind") in ("photo", "image", "sticker")):
            try:
                with SafeZip(ws.sources_dir / row["source_sha256"]) as archive:
                    data = archive.read(media["path"], limit=50 << 20)
            except (OSError, Rejected):
                return Withheld(media["sha256"], media["path"], "unreadable")
            if hashlib.sha256(data).hexdigest() != media["sha256"]:
                return Withheld(media["sha256"], media["path"], "changed")
            return data, media["sha256"], media["path"]
    return None


def picture(ws: Workspace, entry, redactor: Redactor) -> Picture | Withheld | None:
    """The printable image of a piece of evidence, a Withheld saying why it is not printed, or
    None when the evidence has no image."""
    found = _original(ws, entry)
    if found is None or isinstance(found, Withheld):
        return found
    data, sha, name = found
    boxes = []
    if redactor.enabled:
        if not entry.words:
            return Withheld(sha, name, "redacted")
        boxes = word_boxes(entry.words, redactor)
    try:
        img = open_image(data)
        img = ImageOps.exif_transpose(img)
    except (Rejected, OSError, ValueError):
        return Withheld(sha, name, "unreadable")
    img = img.convert("RGB")
    if boxes:
        draw = ImageDraw.Draw(img)
        for left, top, width, height in boxes:
            draw.rectangle((left - PAD, top - PAD, left + width + PAD, top + height + PAD),
                           fill=(0, 0, 0))
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=QUALITY, optimize=False)
    return Picture(out.getvalue(), img.width, img.height, sha, name, len(boxes))

"""Screenshots (PNG, JPEG, WebP): each image one item, its text read by OCR or taken from a .txt.

Every screenshot goes to one chat, `Screenshots` (platform `screenshot`); the item's key is the
image's SHA-256, so the same image handed in twice is one item. The item keeps:

- the text: from a `.txt` beside the image with the same stem (a corrected or pre-made text; found
  through `origin`, where the image was handed in), else from Tesseract OCR (`text_origin` says
  which). OCR also keeps the mean word confidence and every word's box, in the image's pixels;
- a perceptual hash (`phash`, imagehash's pHash in hex) to find the same screen re-encoded;
- the capture time from EXIF DateTimeOriginal, with OffsetTimeOriginal when the phone wrote one,
  else read in the assumed zone; no EXIF time, no time;
- in `extra`: the EXIF fields worth keeping (Make, Model, Software, DateTimeOriginal,
  OffsetTimeOriginal, Orientation), the original file name, the sidecar's name and SHA-256 or the
  OCR settings and engine version, and `captured_chat` / `captured_at`, empty, for the reporter to
  fill in (which chat the screen shows, and when it was captured if EXIF says nothing).

OCR runs the `tesseract` command (Debian: tesseract-ocr, tesseract-ocr-fra) on a grayscale copy of
the image sent on its standard input, with TSV output, languages `RECOUPE_OCR_LANGS` (default
fra+eng) and page segmentation mode 4 (one column of text of varying sizes: a chat screen). On the
sample screenshots, modes 3, 4 and 6 found 98.8 % of their messages' words again and 11 98.7 %;
on copies re-compressed as a messenger does (540 px wide, JPEG quality 55), 3 and 4 98.8 %, 6
97.9 %, 11 97.2 %. Mode 4 ties with 3, fully automatic, which also looks for the several columns
a chat screen does not have (`python bench/ocr.py --psm 3 4 6 11 [--recompress]` measures it
again).
Tesseract runs with OMP_THREAD_LIMIT=1: its OpenMP threads made one screen take 3.3 s instead of
0.55 s on a two-core machine.

Images are decoded by Pillow with only its PNG, JPEG and WebP readers; a file that does not decode
whole, or that declares more pixels than Pillow's MAX_IMAGE_PIXELS (a decompression bomb), is
refused with the reason. An image that belongs to a chat export (in the photos/ folder of a
Telegram Desktop export, or a WhatsApp-named photo beside the chat's .txt) is that export's media,
not a screenshot: `detect` leaves it alone.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

import imagehash
import orjson
from PIL import Image, ImageOps

from .errors import Rejected
from .model import Chat
from .timeutil import DEFAULT_TZ, local_to_epoch

NAME = "screenshot"
VERSION = "1"
DESCRIPTION = "screenshots (PNG, JPEG or WebP images), read by OCR or from a .txt beside them"
PLATFORM = "screenshot"

LANGS_ENV = "RECOUPE_OCR_LANGS"
DEFAULT_LANGS = "fra+eng"
PSM = 4
OCR_TIMEOUT_S = 120
SIDECAR_MAX_BYTES = 1 << 20
NO_TESSERACT = ("Tesseract OCR is not installed: install it (apt-get install tesseract-ocr "
                "tesseract-ocr-fra) and import again")

_FORMATS = ("PNG", "JPEG", "WEBP")
_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp"}
_LANGS = re.compile(r"[\w/]+(\+[\w/]+)*", re.ASCII)
_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)")
# EXIF fields kept in `extra`: in the first IFD, then in the Exif sub-IFD.
_EXIF_MAIN = {0x010F: "Make", 0x0110: "Model", 0x0131: "Software", 0x0112: "Orientation"}
_EXIF_SUB = {0x9003: "DateTimeOriginal", 0x9011: "OffsetTimeOriginal"}
_EXIF_IFD = 0x8769
# Where Telegram Desktop puts an export's media, beside result.json or messages.html.
_TELEGRAM_MEDIA = {"photos", "files", "stickers", "video_files", "round_video_messages",
                   "voice_messages", "images"}
# How WhatsApp names the photos of an export (Android, iOS).
_WHATSAPP_MEDIA = re.compile(r"(IMG-\d{8}-WA\d+|\d{8}-PHOTO-\d{4}(-\d\d){5})\.\w+", re.IGNORECASE)

# (tesseract path, languages) -> engine version, for checks that passed: a failed check is run
# again on the next import, so that installing what was missing is enough.
_engines: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class OcrResult:
    """What Tesseract read in one image, and how it was asked."""

    text: str
    confidence: float | None      # mean confidence of the words that have one, 0-100
    words: list[dict]             # text, conf, left, top, width, height
    engine: str                   # e.g. "tesseract 5.3.0"
    langs: str
    psm: int


def ocr_langs() -> str:
    """The OCR languages: RECOUPE_OCR_LANGS, else fra+eng."""
    langs = os.environ.get(LANGS_ENV, "").strip() or DEFAULT_LANGS
    if not _LANGS.fullmatch(langs):
        raise Rejected(f"{LANGS_ENV}={langs!r} is not a list of Tesseract languages such as "
                       f"{DEFAULT_LANGS}")
    return langs


def tesseract_binary() -> str:
    """The `tesseract` command's path, found on PATH."""
    found = shutil.which("tesseract")
    if found is None:
        raise Rejected(NO_TESSERACT)
    return found


def _run(args: list[str], *, data: bytes | None = None,
         timeout: float = 30) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.run(args, input=data, capture_output=True, timeout=timeout, env=env)


def _engine(binary: str, langs: str) -> str:
    """Tesseract's version, once it is known to have every language asked for."""
    if (binary, langs) in _engines:
        return _engines[(binary, langs)]
    try:
        listed = _run([binary, "--list-langs"]).stdout.decode(errors="replace").splitlines()[1:]
        out = _run([binary, "--version"])
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Rejected(f"Tesseract ({binary}) does not answer ({exc}): reinstall it "
                       "(apt-get install tesseract-ocr tesseract-ocr-fra) and import again") from None
    missing = [lang for lang in langs.split("+") if lang not in {x.strip() for x in listed}]
    if missing:
        packages = " ".join(f"tesseract-ocr-{m.lower()}" for m in missing)
        raise Rejected(f"Tesseract has no data for the language(s) {', '.join(missing)}: install "
                       f"it ({packages}) or change {LANGS_ENV}, and import again")
    first = (out.stdout or out.stderr).decode(errors="replace").strip().splitlines()
    version = first[0].strip() if first else "tesseract (version unknown)"
    _engines[(binary, langs)] = version
    return version


def parse_tsv(tsv: str) -> tuple[str, float | None, list[dict]]:
    """Tesseract's TSV output as (text, mean word confidence, words).

    Words on one line are joined by spaces, lines by a newline, and paragraphs are separated by
    an empty line, as Tesseract's own text output does. The mean is over words whose confidence
    is 0 or more (Tesseract writes -1 where it has none).
    """
    lines: list[str] = []
    words: list[dict] = []
    line_key = para_key = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = round(float(cols[10]), 2)
        except ValueError:
            continue
        text = cols[11].strip()
        words.append({"text": text, "conf": conf, "left": left, "top": top, "width": width,
                      "height": height})
        key = tuple(cols[1:5])                    # page, block, paragraph, line
        if key == line_key:
            lines[-1] += " " + text
            continue
        if para_key is not None and key[:3] != para_key:
            lines.append("")
        lines.append(text)
        line_key, para_key = key, key[:3]
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    mean = round(sum(confs) / len(confs), 2) if confs else None
    return "\n".join(lines), mean, words


def ocr(img: Image.Image, *, langs: str | None = None, psm: int | None = None,
        timeout: float | None = None) -> OcrResult:
    """Read the text of an image with Tesseract (`ocr_langs()`, PSM, OCR_TIMEOUT_S unless given)."""
    langs = langs or ocr_langs()
    psm = psm or PSM
    timeout = timeout or OCR_TIMEOUT_S
    binary = tesseract_binary()
    engine = _engine(binary, langs)
    buf = io.BytesIO()
    img.convert("L").save(buf, "PNG", compress_level=1)
    try:
        done = _run([binary, "stdin", "stdout", "-l", langs, "--psm", str(psm), "tsv"],
                    data=buf.getvalue(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Rejected(f"OCR took longer than {timeout:g} s and was stopped: is the image a very "
                       "long capture? Cut it in parts, or put its text in a .txt beside it") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise Rejected(f"Tesseract could not read the image ({said[-1] if said else 'no message'})")
    text, confidence, words = parse_tsv(done.stdout.decode("utf-8", errors="replace"))
    return OcrResult(text, confidence, words, engine, langs, psm)


def open_image(data: bytes) -> Image.Image:
    """Decode a PNG, JPEG or WebP image in full, or say why it cannot be read."""
    if not data:
        raise Rejected("not a readable image: the file is empty")
    limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_FORMATS)
            if limit and img.width * img.height > limit:
                raise Rejected(_bomb(f"it is {img.width}x{img.height} pixels", limit))
            img.load()
    except Image.DecompressionBombError:
        raise Rejected(_bomb(f"it declares over {2 * limit:,} pixels", limit)) from None
    except Image.UnidentifiedImageError:
        raise Rejected("not a readable image: its content is not PNG, JPEG or WebP") from None
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        text = str(exc)
        if "truncated" in text or isinstance(exc, EOFError):
            text = "the file ends before the image does (truncated or damaged)"
        raise Rejected(f"not a readable image: {text or type(exc).__name__}") from None
    return img


def _bomb(what: str, limit: int) -> str:
    return (f"not a readable image: {what}, above the limit of {limit:,}: it may be a "
            "decompression bomb (a small file built to fill memory); refused")


def _exif(img: Image.Image) -> dict:
    """The EXIF fields worth keeping, as text (Orientation as a number)."""
    exif = img.getexif()
    fields = {name: exif.get(tag) for tag, name in _EXIF_MAIN.items()}
    sub = exif.get_ifd(_EXIF_IFD)
    fields.update({name: sub.get(tag) for tag, name in _EXIF_SUB.items()})
    out = {}
    for name, value in fields.items():
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if value is not None and not isinstance(value, (str, int)):
            value = str(value)  # a field of an unexpected EXIF type (a ratio, a list)
        if isinstance(value, str):
            value = value.strip("\x00 ")[:200]
        if value not in (None, ""):
            out[name] = value
    return out


def _taken(exif: dict, tz: str) -> tuple[int | None, int | None, str | None]:
    """(epoch, offset minutes, assumed zone) of EXIF DateTimeOriginal; Nones when unreadable.

    An offset no clock has (beyond 14 hours) is ignored: the time is then read in `tz`.
    """
    try:
        local = datetime.strptime(str(exif.get("DateTimeOriginal"))[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None, None, None
    m = _OFFSET.fullmatch(str(exif.get("OffsetTimeOriginal", "")))
    offset = (int(m[2]) * 60 + int(m[3])) * (-1 if m[1] == "-" else 1) if m else None
    if offset is not None and abs(offset) <= 14 * 60:
        epoch = (local - timedelta(minutes=offset) - datetime(1970, 1, 1)).total_seconds()
        return int(epoch), offset, None
    epoch, offset = local_to_epoch(local, tz)
    return epoch, offset, tz


def _decode_text(raw: bytes) -> tuple[str, str | None]:
    """A sidecar's text and the encoding assumed when it was not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise Rejected("the text file beside it is neither UTF-8 nor Windows-1252 text: save it "
                       "as UTF-8 and import again") from None


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


class ScreenshotParser:
    """Yields the `Screenshots` chat, then the one item of the image."""

    name = NAME
    version = VERSION

    def __init__(self, path, *, tz: str = DEFAULT_TZ, source_sha256: str = "",
                 progress: Callable[[int], None] | None = None, origin=None):
        self.path = Path(path)
        self.tz = tz
        self.sha = source_sha256
        self.progress = progress
        self.origin = Path(origin) if origin is not None else None
        self.notes: dict = {}
        self.tz_assumed: str | None = None
        self.companions: list[Path] = []  # files read besides the image: its .txt

    def records(self) -> Iterator[Chat | dict]:
        item = self._item()  # everything is read before anything is yielded
        yield Chat(PLATFORM, "screenshots", "Screenshots", "screenshots")
        yield item

    def _sidecar(self) -> Path | None:
        if self.origin is None:
            return None
        for suffix in (".txt", ".TXT"):
            candidate = self.origin.with_suffix(suffix)
            if candidate.is_file():
                return candidate
        return None

    def _item(self) -> dict:
        data = self.path.read_bytes()
        if self.progress:
            self.progress(len(data))
        sha = self.sha or hashlib.sha256(data).hexdigest()
        img = open_image(data)
        fmt = img.format
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Pillow warns of each damaged EXIF field
                exif = _exif(img)
                upright = ImageOps.exif_transpose(img)  # a photo of a screen may be sideways
        except Exception:  # noqa: BLE001 - a damaged EXIF block must not cost the image itself
            exif, upright = {}, img
            self.notes["exif_unreadable"] = True
        posted, offset, assumed = _taken(exif, self.tz)
        if assumed:
            self.tz_assumed = assumed
        if posted is None and "DateTimeOriginal" in exif:
            self.notes["exif_time_unreadable"] = exif["DateTimeOriginal"]
        extra = {"original_name": self.origin.name if self.origin else None, "exif": exif}

        item = {"text_origin": "ocr", "ocr_confidence": None, "ocr_words": None,
                "text_encoding": None}
        sidecar = self._sidecar()
        if sidecar is not None:
            raw = sidecar.read_bytes()
            self.companions.append(sidecar)
            if len(raw) > SIDECAR_MAX_BYTES:
                raise Rejected(f"the text beside it ({sidecar.name}) is larger than 1 MiB: is it "
                               "really this image's text?")
            text, encoding = _decode_text(raw)
            text = text.replace("\r\n", "\n").rstrip("\n")
            item.update(text_origin="sidecar", text_encoding=encoding)
            extra["sidecar"] = {"name": sidecar.name, "sha256": hashlib.sha256(raw).hexdigest()}
        else:
            read = ocr(upright)
            text = read.text
            item.update(ocr_confidence=read.confidence, ocr_words=_dumps(read.words))
            extra["ocr"] = {"engine": read.engine, "langs": read.langs, "psm": read.psm}
        extra.update(captured_chat=None, captured_at=None)

        media = {"kind": "image", "included": True, "format": fmt, "width": upright.width,
                 "height": upright.height, "sha256": sha}
        item.update({
            "item_key": sha, "message_id": None, "kind": "post", "author": None,
            "author_id": None, "posted_epoch": posted, "posted_offset_min": offset,
            "tz_assumed": assumed, "text": text, "entities": None, "reply_to": None,
            "forwarded_from": None, "forwarded_from_id": None, "edited_epoch": None,
            "media": _dumps([media]), "reactions": None, "buttons": None, "action": None,
            "album_key": None, "extra": _dumps(extra), "phash": str(imagehash.phash(upright)),
        })
        return item


def _is_image(head: bytes) -> bool:
    return (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"))


def _export_media(path: Path) -> bool:
    """An image that is part of a Telegram Desktop or WhatsApp export, not a screenshot.

    Telegram Desktop puts media in folders (photos/, files/...) beside result.json or
    messages.html; WhatsApp names them IMG-20261127-WA0001.jpg (Android) or
    00000012-PHOTO-2026-11-27-10-00-00.jpg (iOS), beside the chat's .txt.
    """
    export = path.parent.parent
    if path.parent.name in _TELEGRAM_MEDIA and (
            (export / "result.json").is_file() or (export / "messages.html").is_file()):
        return True
    if not _WHATSAPP_MEDIA.fullmatch(path.name):
        return False
    try:
        return any(p.suffix.lower() == ".txt"
                   and (p.name == "_chat.txt" or "whatsapp" in p.name.lower())
                   for p in path.parent.iterdir())
    except OSError:
        return False


def detect(path, head: bytes) -> bool:
    """PNG, JPEG or WebP by its first bytes, or a file named like one (to say why it is not).

    Images inside a Telegram or WhatsApp export folder are left to that export.
    """
    path = Path(path)
    if not (_is_image(head) or path.suffix.lower() in _EXTENSIONS):
        return False
    return not _export_media(path)


Parser = ScreenshotParser

#!/usr/bin/env python3
"""Render the fictional sample screenshots: phone captures of adverts from the sample corpus.

Each image shows one message of `samples/telegram/` at the bottom of a Telegram-like phone screen
(status bar, channel header, the channel's earlier posts above it, views and time on each bubble,
the channel's mute bar), drawn at 1080x2340 and scaled down to 720x1560 as phones share them. Some
show a main-channel advert, others a relay's copy of the same advert whose price was changed, so
that a screenshot can later be matched to its message and the price difference flagged.

DejaVu Sans has no colour emoji: emoji are left out of the drawn text (nothing is drawn in their
place). `strip_emoji` is that rule; `words` and `word_share` measure how much of a message an
OCR read again (the tests and `bench/ocr.py` use them).

Output is deterministic (no randomness, fixed fonts and sizes): some images are JPEG with EXIF
(DateTimeOriginal, with or without OffsetTimeOriginal), one PNG carries EXIF as a phone would, the
others are plain PNG; one image has a `.txt` beside it holding its corrected text.

    python samples/screenshots.py            # writes samples/screenshots/
    python samples/screenshots.py --out DIR  # writes DIR/ instead

Needs Pillow and the DejaVu fonts (Debian: fonts-dejavu-core).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
TELEGRAM = HERE / "telegram"
OUT = HERE / "screenshots"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

DRAW_SIZE = (1080, 2340)   # drawn at a common phone resolution...
SAVE_SIZE = (720, 1560)    # ...and scaled down, as messengers and phones share screenshots

# Emoji and their joiners: symbols and pictographs, dingbats, geometric shapes used as bullets
# (▫️), keycap and variation selectors, zero-width joiner. Arrows (→) and € are text, kept.
EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2300-\u23FF\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF"
    "\uFE0E\uFE0F\u200D\u20E3]")
WORD = re.compile(r"[^\W\d_]{3,}")


def strip_emoji(text: str) -> str:
    """The text as drawn: emoji removed, each line's edges trimmed of the spaces left behind."""
    lines = [re.sub(r" {2,}", " ", EMOJI.sub("", line)).strip() for line in text.split("\n")]
    return "\n".join(lines)


def words(text: str) -> set[str]:
    """The distinct words of 3+ letters of a text, lower-cased, accents kept, emoji removed."""
    return set(WORD.findall(EMOJI.sub(" ", text).lower()))


def word_share(source: str, ocr_text: str) -> float:
    """The share of the source's words that appear among the OCR text's words."""
    wanted = words(source)
    return len(wanted & words(ocr_text)) / len(wanted) if wanted else 1.0


@dataclass(frozen=True)
class Screen:
    """One sample screenshot: which message it shows and how it is drawn and saved."""

    file: str
    chat: str                  # folder under samples/telegram/
    message_id: int
    theme: str                 # "light" or "dark"
    clock: str                 # the phone's clock in the status bar
    subscribers: str
    exif: dict | None = None   # Make, Model, Software, DateTimeOriginal, OffsetTimeOriginal
    sidecar: bool = False      # write the corrected text beside the image
    differs: str = ""          # what the README says about it


SCREENS = (
    Screen("01-drive13-menu-mid.png", "le-drive-du-13-2026-12-31", 46, "dark", "14:19",
           "8 412 abonnés",
           differs="main-channel menu of 17 Nov: C.o.k.e \"le G à 60\""),
    Screen("02-marius-menu-mid.png", "marius-delivery", 13, "light", "16:30",
           "1 327 abonnés",
           differs="relay copy of main 46: price changed, C.o.k.e \"le G à 70\" (main: 60); "
                   "\"T@z\" for \"Taz\", two lines swapped"),
    Screen("03-drive13-black-friday.jpg", "le-drive-du-13-2026-12-31", 64, "light", "08:41",
           "8 412 abonnés",
           exif={"Make": "samsung", "Model": "SM-A546B", "Software": "A546BXXS9CXK1",
                 "DateTimeOriginal": "2026:11:27 08:41:12"},
           differs="main-channel Black Friday post of 27 Nov (with its photo): \"x5 = 32€\"; "
                   "JPEG, EXIF time without offset"),
    Screen("04-bonsplans-black-friday.jpg", "bons-plans-13", 24, "dark", "10:12",
           "2 955 abonnés",
           exif={"Make": "Google", "Model": "Pixel 7a", "Software": "AP2A.240905.003",
                 "DateTimeOriginal": "2026:11:27 10:12:05", "OffsetTimeOriginal": "+01:00"},
           differs="relay copy of main 64: price changed, \"x5 = 27€\" (main: 32€), footer added; "
                   "JPEG, EXIF time with offset +01:00"),
    Screen("05-drive13-menu-fetes.png", "le-drive-du-13-2026-12-31", 144, "light", "11:02",
           "9 870 abonnés",
           exif={"Make": "Apple", "Model": "iPhone 13", "Software": "18.1.1",
                 "DateTimeOriginal": "2026:12:21 11:02:40", "OffsetTimeOriginal": "+01:00"},
           differs="main-channel festive menu of 21 Dec (with its photo): Taz \"x5 = 35€\"; "
                   "PNG with EXIF, as an iPhone writes it"),
    Screen("06-secours-menu-fetes.png", "drive-13-secours", 61, "dark", "14:05",
           "3 602 abonnés",
           differs="relay copy of main 144: price changed, Taz \"x5 = 45€\" (main: 35€), "
                   "footer added"),
    Screen("07-drive13-regles.png", "le-drive-du-13-2026-12-31", 10, "light", "20:30",
           "6 118 abonnés", sidecar=True,
           differs="main-channel rules of 2 Nov; its corrected text is beside it "
                   "(07-drive13-regles.txt)"),
)

THEMES = {
    "light": {"bar": (81, 125, 162), "bar_text": (255, 255, 255), "sub_text": (214, 228, 240),
              "back": (206, 221, 183), "bubble": (255, 255, 255), "text": (0, 0, 0),
              "meta": (160, 172, 182), "photo": (148, 160, 150), "pill": (170, 190, 150),
              "pill_text": (255, 255, 255), "bottom": (255, 255, 255),
              "bottom_text": (81, 125, 162), "avatar": (229, 115, 115)},
    "dark": {"bar": (23, 33, 43), "bar_text": (255, 255, 255), "sub_text": (112, 128, 144),
             "back": (14, 22, 33), "bubble": (24, 37, 51), "text": (245, 245, 245),
             "meta": (109, 127, 143), "photo": (52, 66, 80), "pill": (30, 44, 58),
             "pill_text": (220, 226, 232), "bottom": (23, 33, 43),
             "bottom_text": (100, 181, 239), "avatar": (101, 170, 221)},
}

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    if not path.exists():
        sys.exit(f"{path} is missing: install the DejaVu fonts (apt-get install fonts-dejavu-core)")
    return ImageFont.truetype(str(path), size)


def load_chat(chat: str) -> dict:
    with open(TELEGRAM / chat / "result.json", encoding="utf-8") as f:
        return json.load(f)


def message(chat: str, message_id: int) -> dict:
    for m in load_chat(chat)["messages"]:
        if m["id"] == message_id:
            return m
    raise KeyError(f"no message {message_id} in {chat}")


def message_text(m: dict) -> str:
    """A Telegram message's plain text (its `text` is a string or a list of strings and parts)."""
    text = m["text"]
    if isinstance(text, str):
        return text
    return "".join(p if isinstance(p, str) else p["text"] for p in text)


def source_text(screen: Screen) -> str:
    """The text of the message a sample screenshot shows, as the export holds it."""
    return message_text(message(screen.chat, screen.message_id))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and font.getlength(trial) > width:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


def _views(message_id: int) -> str:
    """A channel post's view count, as Telegram abbreviates it (made up, fixed per message)."""
    return f"{1 + (message_id * 37) % 40 / 10:.1f}K".replace(".", ",")


def _bubble(d: ImageDraw.ImageDraw, m: dict, bottom: int, c: dict, *, fit_top: int | None) -> int:
    """Draw a post's bubble ending at `bottom`; return its top.

    A post with a photo gets a plain block for it (the export holds no image). With `fit_top`,
    the photo is made smaller so that the whole bubble fits below that line.
    """
    body = _font("DejaVuSans.ttf", 42)
    line_h, pad, x0 = 56, 32, 36
    bubble_w = int(DRAW_SIZE[0] * 0.86)
    lines = _wrap(strip_emoji(message_text(m)), body, bubble_w - 2 * pad)
    while lines and not lines[-1]:
        lines.pop()
    text_h = len(lines) * line_h + 70
    photo_h = 560 if "photo" in m else 0
    if fit_top is not None:
        room = bottom - fit_top - text_h - 2 * pad
        if photo_h:
            photo_h = min(photo_h, room)
        if room < (200 if photo_h else 0):
            raise ValueError(f"message {m['id']} is too long for one screen")
    top = bottom - photo_h - text_h - 2 * pad
    d.rounded_rectangle((x0, top, x0 + bubble_w, bottom), 30, fill=c["bubble"])
    y = top + pad
    if photo_h:
        d.rounded_rectangle((x0 + 12, top + 12, x0 + bubble_w - 12, top + 12 + photo_h), 24,
                            fill=c["photo"])
        y = top + 12 + photo_h + pad
    for line in lines:
        d.text((x0 + pad, y), line, font=body, fill=c["text"])
        y += line_h
    meta = f"{_views(m['id'])}   {m['date'][11:16]}"
    d.text((x0 + bubble_w - pad, bottom - 22), meta, font=_font("DejaVuSans.ttf", 30),
           fill=c["meta"], anchor="rd")
    return top


def render(screen: Screen) -> Image.Image:
    """Draw one phone screen: the screen's message at the bottom, earlier posts above it."""
    export = load_chat(screen.chat)
    posts = [m for m in export["messages"] if m["type"] == "message" and message_text(m)]
    index = next(i for i, m in enumerate(posts) if m["id"] == screen.message_id)
    c = THEMES[screen.theme]
    w, h = DRAW_SIZE
    img = Image.new("RGB", DRAW_SIZE, c["back"])
    d = ImageDraw.Draw(img)
    regular, bold = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

    # the chat, from the bottom up: the post shown, then earlier ones until the header hides them
    header_h = 230
    top = _bubble(d, posts[index], h - 190, c, fit_top=header_h + 130)
    shown = posts[index]
    while top > header_h and index > 0:
        index -= 1
        shown = posts[index]
        top = _bubble(d, shown, top - 24, c, fit_top=None)

    # status bar and channel header, drawn over whatever post runs under them
    d.rectangle((0, 0, w, header_h), fill=c["bar"])
    d.text((48, 14), screen.clock, font=_font(bold, 34), fill=c["bar_text"])
    d.text((w - 48, 14), "87 %", font=_font(bold, 34), fill=c["bar_text"], anchor="ra")
    d.text((40, 150), "←", font=_font(regular, 58), fill=c["bar_text"], anchor="lm")
    d.ellipse((130, 100, 230, 200), fill=c["avatar"])
    name = strip_emoji(export["name"])
    initials = "".join(p[0] for p in name.split()[:2]).upper()
    d.text((180, 150), initials, font=_font(bold, 40), fill=(255, 255, 255), anchor="mm")
    d.text((260, 108), name, font=_font(bold, 44), fill=c["bar_text"])
    d.text((260, 164), screen.subscribers, font=_font(regular, 34), fill=c["sub_text"])

    # the floating date of the topmost post
    day, month = int(shown["date"][8:10]), int(shown["date"][5:7])
    pill = f"{day} {MONTHS[month - 1]}"
    pill_font = _font(bold, 32)
    pw = int(pill_font.getlength(pill)) + 48
    d.rounded_rectangle(((w - pw) // 2, 262, (w + pw) // 2, 318), 28, fill=c["pill"])
    d.text((w // 2, 290), pill, font=pill_font, fill=c["pill_text"], anchor="mm")

    # the channel's mute bar
    d.rectangle((0, h - 150, w, h), fill=c["bottom"])
    d.text((w // 2, h - 75), "DÉSACTIVER LE SON", font=_font(bold, 36), fill=c["bottom_text"],
           anchor="mm")
    return img.resize(SAVE_SIZE, Image.Resampling.LANCZOS)


def _exif(fields: dict) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = fields["Make"]
    exif[0x0110] = fields["Model"]
    exif[0x0131] = fields["Software"]
    sub = exif.get_ifd(0x8769)  # the Exif IFD, where the capture time lives
    sub[0x9003] = fields["DateTimeOriginal"]
    if "OffsetTimeOriginal" in fields:
        sub[0x9011] = fields["OffsetTimeOriginal"]
    return exif


def write(screen: Screen, out: Path) -> Path:
    img = render(screen)
    path = out / screen.file
    options: dict = {"exif": _exif(screen.exif)} if screen.exif else {}
    if path.suffix == ".jpg":
        img.save(path, "JPEG", quality=88, **options)
    else:
        img.save(path, "PNG", optimize=True, **options)
    if screen.sidecar:
        path.with_suffix(".txt").write_text(strip_emoji(source_text(screen)) + "\n",
                                            encoding="utf-8")
    return path


def readme(screens=SCREENS) -> str:
    rows = []
    for s in screens:
        export = load_chat(s.chat)
        m = message(s.chat, s.message_id)
        exif = "—"
        if s.exif:
            exif = s.exif["DateTimeOriginal"] + (f" {s.exif['OffsetTimeOriginal']}"
                                                  if "OffsetTimeOriginal" in s.exif else "")
        rows.append(f"| `{s.file}` | {export['name']} (`{s.chat}`) | {s.message_id} | "
                    f"{m['date'].replace('T', ' ')} | {s.theme} | {exif} | {s.differs} |")
    return "\n".join([
        "# Sample screenshots (fictional)",
        "",
        "Phone screenshots of adverts from the fictional corpus in `../telegram/`, for the",
        "screenshot import and its OCR. Written by `../screenshots.py` (Pillow, DejaVu Sans),",
        "deterministically: run `python samples/screenshots.py` to write them again.",
        "",
        "Each image is a Telegram-like channel screen drawn at 1080x2340 and scaled down to",
        "720x1560: status bar, channel header (name, subscribers), the floating date of the",
        "topmost post, the post shown at the bottom with the channel's earlier posts above it (the",
        "topmost cut by the header), each bubble with its views and time (a plain block where a",
        "post has a photo: the export holds no image file), and the channel's mute bar. The",
        "message ids below are the post at the bottom; the OCR text also holds the earlier posts",
        "and the screen's furniture (clock, channel name, \"DÉSACTIVER LE SON\").",
        "",
        "**Emoji are not drawn**: DejaVu Sans has no colour emoji, so every emoji (with its",
        "variation selector and keycap marks; `▫️` bullets included) is left out of the drawn text,",
        "nothing in its place. Channel names lose their emoji too (\"Le Drive du 13\"). Arrows (→)",
        "and € are drawn.",
        "",
        "| image | chat | message id | posted (Paris) | theme | EXIF DateTimeOriginal | what it shows, what differs |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Relay copies with a changed price pair with their main-channel message: 02 with 01",
        "(main 46), 04 with 03 (main 64), 06 with 05 (main 144).",
        "",
        "EXIF: the JPEGs carry Make, Model, Software and DateTimeOriginal (03 without an offset,",
        "so it is read in the assumed zone; 04 with OffsetTimeOriginal +01:00); 05 is a PNG with",
        "the same fields, as iPhones write them; the other PNGs have no EXIF, as most Android",
        "phones save them.",
        "",
        "`07-drive13-regles.txt` is the corrected text of `07-drive13-regles.png` (the message",
        "without its emoji, as a reporter would type it): an import takes it as the image's text",
        "instead of running OCR.",
        "",
        "`python bench/ocr.py` prints how many of each message's words the OCR finds again, and",
        "how fast.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the fictional sample screenshots.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write (default {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for screen in SCREENS:
        print(write(screen, args.out))
    (args.out / "README.md").write_text(readme(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

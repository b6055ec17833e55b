"""Render the sample channel "Le Drive du 13 🎄" as a Telegram Desktop HTML export.

    python samples/telegram_html.py              # writes samples/telegram-html/le-drive-du-13/
    python samples/telegram_html.py --out DIR    # writes DIR/messages.html, DIR/messages2.html...

It reads `samples/telegram/le-drive-du-13-2026-12-31/result.json` (written by generate.py) and
writes the same messages, with the same ids, the way Telegram Desktop's HTML export lays them out
(export/output/export_output_html.cpp): a page header with the channel's name; day separators as
service messages with negative ids; posts as `div.message.default`, `joined` when they follow a
post of the same sender less than 15 minutes before on the same day; date titles
"dd.MM.yyyy hh:mm:ss UTC+01:00"; `<br>` for line breaks and `<strong>`, `<a href>`... for the
formatting; replies as "In reply to this message" links (to an earlier page when the message is
there); photos as a link to their path, or the "Not included" block; reactions as
`span.reaction` (emoji and count); service messages without a time, as Telegram writes them.

Pages hold 100 messages here (Telegram's are 1,000) so that the paging is exercised. What
Telegram would also draw but the samples do not need is left out: userpic colours are all the
same, photo thumbnails are named but not written, inline buttons are not drawn (nor are they in
the HTML exports that this parser has been checked against).

Standard library only; the output is the same byte for byte from one run to the next.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "telegram" / "le-drive-du-13-2026-12-31" / "result.json"
OUT = HERE / "telegram-html" / "le-drive-du-13"
PER_PAGE = 100
ZONE = ZoneInfo("Europe/Paris")
JOIN_WITHIN_SECONDS = 900
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
NOT_INCLUDED = "Not included, change data exporting settings to download."


def serialize(text: str) -> str:
    """Telegram's SerializeString: HTML-escaped, line breaks as <br>, control characters &#x..;"""
    out = []
    for ch in text:
        if ch in "\n\u2028\u2029":
            out.append("<br>")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 32:
            out.append(f"&#x{ord(ch):02X};")
        else:
            out.append(ch)
    return "".join(out)


_ESCAPES = {'"': "&quot;", "&": "&amp;", "'": "&apos;", "<": "&lt;", ">": "&gt;"}


def format_text(parts) -> str:
    """Telegram's FormatText: each part of a message's text as HTML."""
    if isinstance(parts, str):
        parts = [parts]
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(serialize(part))
            continue
        kind, raw = part.get("type", "plain"), part.get("text", "")
        text = serialize(raw)
        if kind == "mention":
            out.append(f'<a href="https://t.me/{text[1:]}">{text}</a>')
        elif kind in ("hashtag", "cashtag", "bot_command"):
            call = {"hashtag": "ShowHashtag", "cashtag": "ShowCashtag",
                    "bot_command": "ShowBotCommand"}[kind]
            arg = serialize(f'"{raw[1:]}"')
            out.append(f'<a href="" onclick="return {call}({arg})">{text}</a>')
        elif kind == "link":
            out.append(f'<a href="{text}">{text}</a>')
        elif kind == "email":
            out.append(f'<a href="mailto:{text}">{text}</a>')
        elif kind == "phone":
            out.append(f'<a href="tel:{text}">{text}</a>')
        elif kind == "text_link":
            out.append(f'<a href="{serialize(part["href"])}">{text}</a>')
        elif kind == "spoiler":
            out.append('<span class="spoiler hidden" onclick="ShowSpoiler(this)">'
                       f'<span aria-hidden="true">{text}</span></span>')
        elif kind in _TAGS:
            out.append(f"<{_TAGS[kind]}>{text}</{_TAGS[kind]}>")
        else:
            out.append(text)
    return "".join(out)


_TAGS = {"bold": "strong", "italic": "em", "code": "code", "pre": "pre", "underline": "u",
         "strikethrough": "s", "blockquote": "blockquote"}


class Page:
    """One HTML file being written, with Telegram's indentation: one space per open tag."""

    def __init__(self, path: Path):
        self.path = path
        self.parts: list[str] = []
        self.tags: list[tuple[str, bool]] = []

    def push(self, tag: str, attrs: dict | None = None, *, block: bool = True,
             empty: bool = False) -> str:
        inner = "".join(f' {k}="{serialize(v)}"' for k, v in sorted((attrs or {}).items()))
        indent = " " * len(self.tags)
        out = f"<{tag}{inner}{'/' if empty else ''}>"
        if block:
            out = f"\n{indent}{out}\n"
        if not empty:
            self.tags.append((tag, block))
        return out

    def div(self, cls: str, style: str | None = None) -> str:
        return self.push("div", {"class": cls, **({"style": style} if style else {})})

    def pop(self) -> str:
        tag, block = self.tags.pop()
        return f"\n{' ' * len(self.tags)}</{tag}>\n" if block else f"</{tag}>"

    def write(self, text: str) -> None:
        self.parts.append(text)

    def close(self) -> None:
        while self.tags:
            self.write(self.pop())
        self.path.write_text("".join(self.parts), encoding="utf-8")


def start_page(path: Path, name: str, index: int) -> Page:
    page = Page(path)
    out = "<!DOCTYPE html>" + page.push("html") + page.push("head")
    out += page.push("meta", {"charset": "utf-8"}, empty=True)
    out += page.push("title", block=False) + "Exported Data" + page.pop()
    viewport = {"name": "viewport", "content": "width=device-width, initial-scale=1.0"}
    out += page.push("meta", viewport, empty=True)
    out += page.push("link", {"href": "css/style.css", "rel": "stylesheet"}, empty=True)
    out += page.push("script", {"src": "js/script.js", "type": "text/javascript"}) + page.pop()
    out += page.pop() + page.push("body", {"onload": "CheckLocation();"}) + page.div("page_wrap")
    out += page.div("page_header") + page.div("content") + page.div("text bold")
    out += serialize(name + " ") + page.pop() + page.pop() + page.pop()
    out += page.div("page_body chat_page") + page.div("history")
    if index > 0:
        out += page.push("a", {"class": "pagination block_link", "href": page_name(index - 1)})
        out += "Previous messages" + page.pop()
    page.write(out)
    return page


def page_name(index: int) -> str:
    return f"messages{index + 1 if index else ''}.html"


def local(msg: dict) -> datetime:
    return datetime.fromtimestamp(int(msg["date_unixtime"]), ZONE)


def date_title(when: datetime) -> str:
    minutes = int(when.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return when.strftime("%d.%m.%Y %H:%M:%S") + f" UTC{sign}{h:02d}:{m:02d}"


def file_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{round(n / 1024, 1)} KB"
    return f"{round(n / (1024 * 1024), 1)} MB"


def userpic(page: Page, name: str) -> str:
    out = page.div("pull_left userpic_wrap")
    out += page.div("userpic userpic1", "width: 42px; height: 42px")
    out += page.div("initials", "line-height: 42px") + serialize(name.strip()[:1]) + page.pop()
    return out + page.pop() + page.pop()


class Export:
    """Telegram's HtmlWriter for one chat, reduced to what the sample channel holds."""

    def __init__(self, data: dict, out: Path, per_page: int):
        self.name = data["name"]
        self.messages = data["messages"]
        self.out = out
        self.per_page = per_page
        self.last_ids: list[int] = []  # the last message id of each finished page

    def link(self, message_id: int, text: str) -> str:
        """wrapMessageLink: to this page, or to the earlier page that holds the message."""
        for index, last in enumerate(self.last_ids):
            if message_id <= last:
                return f'<a href="{page_name(index)}#go_to_message{message_id}">{text}</a>'
        return (f'<a href="#go_to_message{message_id}" onclick="return GoToMessage({message_id})">'
                f"{text}</a>")

    def write(self) -> list[Path]:
        self.out.mkdir(parents=True, exist_ok=True)
        written, page, previous, day_id = [], None, None, 0
        for count, msg in enumerate(self.messages):
            index = count // self.per_page
            if page is None or index != len(written) - 1:
                if page is not None:
                    link = {"class": "pagination block_link", "href": page_name(index)}
                    page.write(page.push("a", link) + "Next messages" + page.pop())
                    page.close()
                    self.last_ids.append(previous["id"])
                    previous = None
                page = start_page(self.out / page_name(index), self.name, index)
                written.append(page.path)
            when = local(msg)
            if previous is None or local(previous).date() != when.date():
                day_id -= 1
                day = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
                page.write(self.service(page, day_id, day))
            if msg["type"] == "service":
                page.write(self.service(page, msg["id"], self.service_text(msg), msg.get("photo")))
            else:
                page.write(self.post(page, msg, previous))
            previous = msg
        page.close()
        return written

    def service_text(self, msg: dict) -> str:
        action = msg["action"]
        if action == "create_channel":
            return f"Channel &laquo;{serialize(msg['title'])}&raquo; created"
        if action == "edit_group_photo":
            return "Channel photo changed"
        if action == "pin_message":
            pinned = self.link(msg["message_id"], "this message")
            return f"{serialize(msg['actor'])} pinned {pinned}"
        raise ValueError(f"no text for the service action {action!r} of message {msg['id']}")

    def service(self, page: Page, message_id: int, text: str, photo: str | None = None) -> str:
        out = page.push("div", {"class": "message service", "id": f"message{message_id}"})
        out += page.div("body details") + text + page.pop()
        if photo is not None:
            out += page.div("userpic_wrap")
            out += page.div("userpic userpic1", "width: 60px; height: 60px")
            out += page.div("initials", "line-height: 60px") + serialize(self.name[:1]) + page.pop()
            out += page.pop() + page.pop()
        return out + page.pop()

    def post(self, page: Page, msg: dict, previous: dict | None) -> str:
        when = local(msg)
        wrap = (previous is None or previous["type"] != "message"
                or previous.get("from_id") != msg.get("from_id")
                or local(previous).date() != when.date()
                or (abs(int(msg["date_unixtime"]) - int(previous["date_unixtime"]))
                    > JOIN_WITHIN_SECONDS))
        cls = "message default clearfix" if wrap else "message default clearfix joined"
        out = page.push("div", {"class": cls, "id": f"message{msg['id']}"})
        if wrap:
            out += userpic(page, msg["from"])
        out += page.div("body")
        out += page.push("div", {"class": "pull_right date details", "title": date_title(when)})
        out += when.strftime("%H:%M") + page.pop()
        if wrap:
            out += page.div("from_name") + serialize(msg["from"] + " ") + page.pop()
        if "reply_to_message_id" in msg:
            out += page.div("reply_to details") + "In reply to "
            out += self.link(msg["reply_to_message_id"], "this message") + page.pop()
        if "photo" in msg:
            out += self.photo(page, msg)
        text = format_text(msg["text"])
        if text:
            out += page.div("text") + text + page.pop()
        if msg.get("reactions"):
            out += page.div("reactions")
            for r in msg["reactions"]:
                out += page.push("span", {"class": "reaction"})
                out += page.push("span", {"class": "emoji"}) + serialize(r["emoji"]) + page.pop()
                out += page.push("span", {"class": "count"}) + str(r["count"]) + page.pop()
                out += page.pop()
            out += page.pop()
        return out + page.pop() + page.pop()

    def photo(self, page: Page, msg: dict) -> str:
        path = msg["photo"]
        out = page.div("media_wrap clearfix")
        if path.startswith("("):  # "(File not included. ...)": Telegram's generic block
            out += page.div("media clearfix pull_left media_photo")
            out += page.div("fill pull_left") + page.pop() + page.div("body")
            out += page.div("title bold") + "Photo" + page.pop()
            out += page.div("description") + serialize(NOT_INCLUDED) + page.pop()
            status = f"{msg['width']}x{msg['height']}, {file_size(msg['photo_file_size'])}"
            out += page.div("status details") + status + page.pop()
            return out + page.pop() + page.pop() + page.pop()
        width, height = msg["width"], msg["height"]
        scale = min(1.0, 520 / max(width, height))
        size = f"width: {int(width * scale) // 2}px; height: {int(height * scale) // 2}px"
        out += page.push("a", {"class": "photo_wrap clearfix pull_left", "href": path})
        out += page.push("img", {"class": "photo", "src": path.replace(".jpg", "_thumb.jpg"),
                                 "style": size}, empty=True)
        return out + page.pop() + page.pop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Render the sample channel Le Drive du 13 as a "
                                            "Telegram Desktop HTML export (messages.html...).")
    p.add_argument("--out", type=Path, default=OUT, help="folder to write the pages into "
                                                         "(default: %(default)s)")
    args = p.parse_args(argv)
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    for path in Export(data, args.out, PER_PAGE).write():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Redaction of a dossier (`--redact`): what is masked in the PDF, never in the workspace.

Masked, each with a numbered label that stays the same across the dossier, so a reader can still
follow who said what ("[phone 2]" is the same number everywhere):

- phone numbers: every phone number that extraction found in the evidence (the `entities` table,
  contacts) or finds in the case's own texts (title, summary, claims, notes), in whatever spacing
  it is written: "06 39 98 00 87", "+33 6 39 98 00 87", "06.39.98.00.87" and "0639980087" are
  one number;
- handles and accounts: the Telegram, Snapchat, Signal, Potato, Threema and WhatsApp accounts and
  links and the e-mail addresses extraction found, and any other @handle in any text;
- names of private persons: the authors of messages in groups and WhatsApp chats who are not the
  chat itself (a channel's posts are signed by the channel, which is not masked), wherever their
  name appears (texts, file names).

Not masked: chat and channel names, crypto addresses, Recoupe's own users (importers, the audit
trail), hashes and ids. A name of a person written in a message's text that is not one of those
authors is not found (there is no recognition of names in free text).

In screenshots, the words that OCR read and that hold a masked value are covered by black boxes;
an image without OCR word boxes (an attached photo) is left out of a redacted dossier, since
what it shows cannot be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from ..extract import extract
from ..extract.entities import _leftmost_longest
from ..i18n import _

_SEP = r"[\s.\-/()]*"
_AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{2,31}(?![\w@])")
CHANNEL_TYPES = frozenset({"public_channel", "private_channel", "channel"})
NOT_MASKED = ("btc:", "eth:", "xmr:", "tron:")


def phone_pattern(e164: str) -> str | None:
    """A pattern for a number in any spacing, with or without its country code or trunk 0."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    national = str(parsed.national_number)
    cc = str(parsed.country_code)
    digits = _SEP.join(national)
    prefix = (rf"(?:(?:\+|00){_SEP}{_SEP.join(cc)}{_SEP}(?:\(0\){_SEP})?|0{_SEP})?")
    return rf"(?<![\d+]){prefix}{digits}(?!\d)"


@dataclass
class Redactor:
    """Masks the values it was given in every text handed to it."""

    enabled: bool = True
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)   # key -> label
    counts: dict[str, int] = field(default_factory=lambda: {"phone": 0, "handle": 0,
                                                            "person": 0})

    def _label(self, kind: str, key: str) -> str:
        if key not in self.labels:
            self.counts[kind] += 1
            n = self.counts[kind]
            self.labels[key] = {"phone": _("[phone {n}]", n=n),
                                "handle": _("[handle {n}]", n=n),
                                "person": _("[person {n}]", n=n)}[kind]
        return self.labels[key]

    # -- what to mask ---------------------------------------------------------------------
    def add_contact(self, value: str, raw: str | None = None) -> None:
        """A contact as extraction keeps it ('phone:+33...', 'telegram:@name', ...)."""
        if not value or value.startswith(NOT_MASKED):
            return
        platform, _colon, ident = value.partition(":")
        if platform == "phone" or (platform == "whatsapp" and ident.startswith("+")):
            key = "phone:" + ident
            label = self._label("phone", key)
            pattern = phone_pattern(ident)
            if pattern:
                self._add(pattern, label)
        else:
            name = ident.lstrip("@")
            key = "handle:" + (name.lower() if platform == "telegram" else value.lower())
            label = self._label("handle", key)
            if platform == "telegram" and not name.startswith("t.me/"):
                self._add(rf"(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me)/{re.escape(name)}"
                          rf"(?![\w])|(?<![\w.@])@?{re.escape(name)}(?![\w])", label)
            elif platform == "email":
                self._add(re.escape(ident), label)
            else:
                self._add(rf"(?<![\w.]){re.escape(name)}(?![\w])", label)
        if raw and raw.strip():
            self._add(re.escape(raw.strip()), self.labels[key])

    def add_person(self, name: str) -> None:
        name = (name or "").strip()
        if len(name) < 2:
            return
        label = self._label("person", "person:" + name.lower())
        self._add(rf"(?<!\w){re.escape(name)}(?!\w)", label)

    def add_text_contacts(self, text: str | None) -> None:
        """The contacts extraction finds in a text that was not extracted at import (the
        case's title, summary, claims and notes)."""
        if not self.enabled or not text:
            return
        for e in extract(text):
            if e.kind == "contact":
                self.add_contact(e.value, e.raw)

    def _add(self, pattern: str, label: str) -> None:
        self.patterns.append((re.compile(pattern, re.IGNORECASE), label))

    # -- masking --------------------------------------------------------------------------
    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of what is masked in `text`, leftmost-longest, not overlapping."""
        if not self.enabled or not text:
            return []
        found: list[tuple[int, int, str]] = []
        for pattern, label in self.patterns:
            found += [(m.start(), m.end(), label) for m in pattern.finditer(text)
                      if m.end() > m.start()]
        for m in _AT_HANDLE.finditer(text):
            found.append((m.start(), m.end(),
                          self._label("handle", "handle:" + m.group(0)[1:].lower())))
        return _leftmost_longest(found)

    def __call__(self, text: str | None) -> str:
        """`text` with what is masked replaced by its label."""
        if not self.enabled or not text:
            return text or ""
        spans = self.spans(text)
        if not spans:
            return text
        parts, pos = [], 0
        for start, end, label in spans:
            parts.append(text[pos:start])
            parts.append(label)
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    def summary(self) -> str:
        return _("Masked: phone numbers {phones} · handles and accounts {handles} · names of "
                 "private persons {persons}.", phones=self.counts["phone"],
                 handles=self.counts["handle"], persons=self.counts["person"])


NONE = Redactor(enabled=False)


def private_author(author: str | None, chat: str | None, chat_type: str | None,
                   platform: str | None) -> bool:
    """Whether an author is a private person to mask: an author in a group or a WhatsApp chat
    who is not the chat itself (a channel's posts are signed by the channel)."""
    if not author or not author.strip():
        return False
    if author.strip() == (chat or "").strip():
        return False
    if platform == "whatsapp":
        return True
    return chat_type not in CHANNEL_TYPES and platform not in ("screenshot",)


def word_boxes(words: list[dict] | None, redactor: Redactor) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, width, height) of the OCR words of a screenshot that hold what the
    redactor masks. Words are put back into lines (by their vertical overlap), each line read
    as one text, and every word touched by a masked span is covered."""
    if not redactor.enabled or not words:
        return []
    lines: list[list[dict]] = []
    for w in sorted((w for w in words if str(w.get("text", "")).strip()),
                    key=lambda w: (w["top"], w["left"])):
        middle = w["top"] + w["height"] / 2
        for line in lines:
            ref = line[0]
            if ref["top"] <= middle <= ref["top"] + ref["height"]:
                line.append(w)
                break
        else:
            lines.append([w])
    boxes = []
    for line in lines:
        line.sort(key=lambda w: w["left"])
        text, offsets = "", []
        for w in line:
            if text:
                text += " "
            offsets.append((len(text), len(text) + len(str(w["text"])), w))
            text += str(w["text"])
        for start, end, _label in redactor.spans(text):
            for a, b, w in offsets:
                if a < end and b > start:
                    boxes.append((int(w["left"]), int(w["top"]), int(w["width"]),
                                  int(w["height"])))
    return boxes

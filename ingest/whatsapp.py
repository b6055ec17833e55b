"""WhatsApp chat exports: the `.txt` a phone writes, alone or zipped with its media.

WhatsApp's "Export chat" writes one text file (`_chat.txt` on iOS, `WhatsApp Chat with X.txt` on
Android, translated in the phone's language: "Discussion WhatsApp avec X.txt"...) and, "with
media", zips it with the photos, videos and voice notes. Each message starts a line:

    iOS      [18/03/2022, 14:56:01] Alice: text          ([3/18/22 2:56:01 PM], [18.03.22, ...])
    Android  18/03/2022, 14:56 - Alice: text              (3/18/22, 2:56 PM - ...)

and a line that does not start so continues the message before it. What this parser handles:

- dates in the phone's locale: day/month or month/day (inferred from the whole file: a first
  field above 12 proves day first, a second above 12 proves month first; when nothing proves
  either, the `date_order` given, else day first; `notes` says which), year first
  (`2022-03-18`), 2- or 4-digit years, `/ . -` separators, Buddhist years (`2565 BE`, minus
  543), Persian (Solar Hijri) years; Islamic (Hijri) years are refused with a clear reason;
  12- or 24-hour times, with AM/PM written `PM`, `p.m.`, `p. m.`, in Arabic or CJK, after a plain,
  no-break or narrow no-break space; the invisible direction marks iOS sprinkles (U+200E, U+200F);
- times are local without an offset: read in `tz` (Europe/Paris by default), recorded as assumed;
- system lines (end-to-end encryption notice, security code changed, group created, members
  added, removed, left or joined by link, subject, description, icon, settings, disappearing
  messages, number changed, missed calls) become events with an `action`, in the languages of
  real exports (English, French, Russian, Arabic for the notices; English and French for group
  events); an unknown line without an author is an event too, with action "system";
- media: "<Media omitted>", "image omitted", "image absente", "изображение отсутствует"... become
  a descriptor with `included: false`; "<attached: 00000012-PHOTO-….jpg>" (iOS) and
  "IMG-20200101-WA0001.jpg (file attached)" (Android) are linked to that file in the zip (or
  beside the .txt) with its SHA-256 and size;
- deleted messages ("This message was deleted", "Vous avez supprimé ce message"...) stay posts
  with `extra.deleted`; "<This message was edited>" is taken off the text into `extra.edited`;
- text that is not UTF-8 (a file re-saved by a text editor) is decoded by detection
  (charset-normalizer), and every item records the encoding in `text_encoding`.

Messages have no id in an export: `item_key` is a hash of the local time (as the line gives it,
before any zone is applied), the author, the text and the occurrence number of that triple in
the file, so two overlapping exports of one chat (or one exported with media and one without) do
not duplicate a message.

The file is read twice as a stream (once to learn the date order, the authors and the encoding,
once to yield items), so a large chat does not sit in memory. Zips are read through
`ingest.archive.SafeZip`: nothing is ever extracted to disk.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

import orjson

from .archive import MiB, SafeZip
from .errors import Rejected
from .model import Chat
from .timeutil import DEFAULT_TZ, local_to_epoch

NAME = "whatsapp"
VERSION = "1"
DESCRIPTION = "WhatsApp chat export (.txt, or .zip with its media)"
PLATFORM = "whatsapp"

CHAT_TEXT_LIMIT = 200 * MiB     # the largest chat text read from a zip
DATE_ORDERS = ("dmy", "mdy", "ymd")

# -- lines --------------------------------------------------------------------------------------

# Direction marks and embeddings that WhatsApp writes around dates, names and its own words.
_MARK_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_M = f"[{_MARK_CHARS}]*"
_MARKS = re.compile(f"[{_MARK_CHARS}]+")

_AM_PM_AFTER = r"[AaPp]\.?\s?[Mm]\.?|ص|م"
_AM_PM_BEFORE = r"上午|下午|午前|午後|오전|오후"
_PM_WORDS = ("p", "P", "م", "下午", "午後", "오후")
_DATE = (rf"(?P<a>\d{{1,4}}){_M}[./\-]\s?{_M}(?P<b>\d{{1,2}}){_M}[./\-]\s?{_M}(?P<c>\d{{2,4}})\.?"
         rf"(?:\s?(?P<era>BE))?")
_TIME = (rf"(?:(?P<pre>{_AM_PM_BEFORE})\s?)?"
         rf"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<s>\d{{2}}))?"
         rf"(?:\s?(?P<post>{_AM_PM_AFTER}))?")
_STAMP = rf"{_M}{_DATE}{_M}[,،]?\s(?:à\s|klo\s)?{_M}{_TIME}{_M}"

# The three shapes of a message's first line; a file keeps the shape of its first line.
_STYLES = {
    "ios": re.compile(rf"^{_M}\[{_STAMP}\]\s(?P<rest>.*)$"),
    "android": re.compile(rf"^{_M}{_STAMP}\s[-–]\s(?P<rest>.*)$"),
    "ios_2016": re.compile(rf"^{_M}{_STAMP}:\s(?P<rest>.*)$"),   # 7/1/16, 4:56:55 PM: Alice: hi
}

# -- WhatsApp's own words, as its exports write them (compared without marks, case-folded) --------

_DELETED = {s.casefold() for s in (
    "This message was deleted", "You deleted this message",
    "Ce message a été supprimé", "Vous avez supprimé ce message",
    "Данное сообщение удалено", "Вы удалили данное сообщение", "Вы удалили это сообщение",
    "تم حذف هذه الرسالة", "لقد حذَفت هذه الرسالة",
    "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
    "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
    "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
    "Esta mensagem foi apagada", "Você apagou esta mensagem",
)}

_EDITED = re.compile(rf"\s*{_M}<(?:This message was edited|Ce message a été modifié)>{_M}\s*$")

# Placeholders for media left out of the export: iOS writes them after a mark, Android in <>.
_OMITTED = {s.casefold(): kind for kind, words in {
    "photo": ("image omitted", "image absente", "image omise", "изображение отсутствует",
              "لم يتم إدراج الصورة", "imagen omitida", "Bild weggelassen", "immagine omessa"),
    "video": ("video omitted", "vidéo absente", "vidéo omise", "видео отсутствует",
              "لم يتم إدراج الفيديوهات", "video omitido", "Video weggelassen", "video omesso"),
    "audio": ("audio omitted", "audio omis", "audio absent", "аудиофайл отсутствует",
              "لم يتم إدراج المقاطع الصوتية", "audio omitido", "Audio weggelassen",
              "audio omesso"),
    "sticker": ("sticker omitted", "sticker omis", "стикер не добавлен", "تم حذف الملصقات",
                "sticker omitido", "Sticker weggelassen", "sticker omesso"),
    "gif": ("GIF omitted", "GIF retiré", "GIF omis", "GIF отсутствует", "لم يتم إدراج صورة GIF",
            "GIF omitido", "GIF weggelassen"),
    "contact": ("Contact card omitted", "Fiche contact manquante", "Карточка контакта отсутствует",
                "لم يتم إدراج بطاقة جهة اتصال"),
    "file": ("document omitted", "document manquant", "document omis", "документ отсутствует",
             "لم يتم إدراج المستند", "documento omitido", "Dokument weggelassen"),
    "media": ("Media omitted", "Médias omis", "Multimedia omitido", "Medien ausgeschlossen",
              "Media omessi", "Mídia oculta", "Без медиафайлов"),
}.items() for s in words}

_ATTACHED_IOS = re.compile(
    r"<(?:attached|pièce jointe|adjunto|anexo|allegato|Anhang|прикреплено|المُرفق)\s?:\s?"
    r"(?P<name>[^<>]+?)>")
_ATTACHED_ANDROID = re.compile(
    r"^(?P<name>[^/\\]+?\.\w{1,10}) \((?:file attached|fichier joint|archivo adjunto|"
    r"Datei angehängt|file allegato|arquivo anexado|файл добавлен|الملف مرفق)\)$")

# What an attachment is, from the tag in its file name (iOS 00000012-PHOTO-…, Android IMG-…-WA…)
# or else from its extension.
_NAME_TAGS = {"PHOTO": "photo", "IMG": "photo", "VIDEO": "video", "VID": "video",
              "AUDIO": "audio", "AUD": "audio", "PTT": "audio", "STICKER": "sticker",
              "STK": "sticker", "GIF": "gif", "DOC": "file", "VCF": "contact"}
_EXTENSIONS = {
    "photo": {"jpg", "jpeg", "png", "heic", "webp", "gif"},
    "video": {"mp4", "mov", "3gp", "m4v", "mkv", "avi"},
    "audio": {"opus", "ogg", "m4a", "mp3", "aac", "amr", "wav"},
    "contact": {"vcf"},
}
_TAG = re.compile(r"^(?:\d+-)?([A-Z]{3,7})-")

# -- system lines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _System:
    action: str
    pattern: re.Pattern
    group: bool            # proves the chat is a group
    strong: bool = False   # recognised even behind a "Name: " prefix without a mark
    author_is_prefix: bool = False


def _sys(action: str, group: bool, *patterns: str, strong: bool = False,
         author_is_prefix: bool = False) -> list[_System]:
    return [_System(action, re.compile(p, re.S), group, strong, author_is_prefix)
            for p in patterns]


_Q_OPEN, _Q_CLOSE = "[\"“«]\\s?", "\\s?[\"”»]"
_SYSTEM = [
    *_sys("encryption_notice", True,
          r"Messages (?:you send )?to this group are now secured with end-to-end encryption.*",
          r"Les messages (?:envoyés )?(?:dans|à) ce groupe sont (?:désormais|maintenant) "
          r"(?:protégés|sécurisés).*", strong=True),
    *_sys("encryption_notice", False,
          r"Messages and calls are end-to-end encrypted.*",
          r"Messages (?:you send )?to this chat and calls are now secured with end-to-end "
          r"encryption.*",
          r"Les messages et les appels sont chiffrés de bout en bout.*",
          r"Vos messages et vos appels sont protégés avec le chiffrement de bout en bout.*",
          r"Сообщения и звонки защищены сквозным шифрованием.*",
          r"الرسائل والمكالمات مشفرة تمامًا بين الطرفين.*",
          r"Los mensajes y las llamadas están cifrados de extremo a extremo.*",
          r"Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.*",
          r"I messaggi e le chiamate sono crittografati end-to-end.*", strong=True),
    *_sys("security_code_change", False,
          r"Your security code with (?P<subject>.+?) changed\..*",
          r"Votre code de sécurité avec (?P<subject>.+?) a changé\..*",
          r"Ваш код безопасности с контактом (?P<subject>.+?) изменился\..*",
          r"تغيّر رمز أمانك المُستخدَم مع (?P<subject>.+?)\.\s.*", strong=True),
    *_sys("phone_call", False,
          r"Missed (?:group )?(?:voice|video) call.*",
          r"Appel (?:vocal|vidéo)(?: de groupe)? manqué.*", strong=True, author_is_prefix=True),
    *_sys("create_group", True,
          rf"(?P<actor>.+?) created (?:this )?group(?: {_Q_OPEN}(?P<subject>.*?){_Q_CLOSE})?",
          rf"(?P<actor>.+?) (?:a|avez) créé (?:le |ce )?groupe(?: {_Q_OPEN}(?P<subject>.*?)"
          rf"{_Q_CLOSE})?"),
    *_sys("invite_members", True,
          r"(?P<actor>You) were added", r"(?P<actor>Vous) avez été ajouté(?:e|\(e\))?",
          r"(?P<actor>.+?) added (?P<subject>.+)",
          r"(?P<actor>.+?) (?:a|avez) ajouté (?P<subject>.+)"),
    *_sys("remove_members", True,
          r"(?P<actor>.+?) removed (?P<subject>.+)",
          r"(?P<actor>.+?) (?:a|avez) retiré (?P<subject>.+)"),
    *_sys("join_group_by_link", True,
          r"(?P<actor>.+?) joined using this group's invite link",
          r"(?P<actor>.+?) (?:a|avez) rejoint (?:ce |le )?groupe.*"),
    *_sys("leave_group", True,
          r"(?P<actor>.+?) left", r"(?P<actor>.+?) (?:est|êtes) parti(?:e|\(e\)|s)?"),
    *_sys("edit_group_title", True,
          rf"(?P<actor>.+?) changed the (?:subject|group name)(?: from {_Q_OPEN}.*?{_Q_CLOSE})?"
          rf" to {_Q_OPEN}(?P<subject>.*){_Q_CLOSE}",
          r"(?P<actor>.+?) (?:a|avez) (?:modifié|changé) "
          r"(?:le sujet|le nom (?:du|de ce) groupe).*"),
    *_sys("edit_group_description", True,
          r"(?P<actor>.+?) changed the group description",
          r"(?P<actor>.+?) (?:a|avez) modifié la description (?:du|de ce) groupe.*"),
    *_sys("edit_group_photo", True,
          r"(?P<actor>.+?) changed this group's icon",
          r"(?P<actor>.+?) (?:a|avez) (?:changé|modifié) l['’]icône de ce groupe"),
    *_sys("delete_group_photo", True,
          r"(?P<actor>.+?) deleted this group's icon",
          r"(?P<actor>.+?) (?:a|avez) supprimé l['’]icône de ce groupe"),
    *_sys("group_settings", True,
          r"(?P<actor>.+?) changed (?:this group's|the group) settings.*",
          r"(?P<actor>.+?) (?:a|avez) modifié les paramètres de ce groupe.*"),
    *_sys("admin_change", True,
          r"(?P<actor>You)['’]re now an admin",
          r"(?P<actor>Vous) êtes (?:maintenant|désormais) admin.*"),
    *_sys("set_messages_ttl", False,
          r"(?P<actor>.+?) (?:updated the message timer|"
          r"turned (?:on|off) disappearing messages)\..*",
          r"(?P<actor>.+?) (?:a|avez) (?:activé|désactivé) les messages éphémères.*"),
    *_sys("phone_number_change", False,
          r"(?P<actor>.+?) changed their phone number to a new number\..*",
          r"(?P<actor>.+?) changed to (?P<subject>\+?[\d\s()\-‑]{6,})",
          r"(?P<actor>.+?) a changé (?:de|son) numéro(?: de téléphone)?.*"),
]
_YOU = {"you", "vous"}   # the exporter, who is never named in the system lines about them


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def _any_of(systems: list[_System]) -> re.Pattern:
    """One pattern matching whatever one of `systems` matches: a fast first test for each line."""
    unnamed = (_NAMED_GROUP.sub("(?:", s.pattern.pattern) for s in systems)
    return re.compile("|".join(f"(?:{p})" for p in unnamed), re.S)


_ANY_SYSTEM = _any_of(_SYSTEM)
_ANY_STRONG_SYSTEM = _any_of([s for s in _SYSTEM if s.strong])

# -- file names ---------------------------------------------------------------------------------

_CHAT_FILE_NAME = re.compile(
    r"^(?:WhatsApp[ -]?Chat|Discussion WhatsApp|Chat de WhatsApp|Chat WhatsApp|"
    r"Conversa do WhatsApp|Чат WhatsApp)"
    r"\s*(?:with|avec|mit|con|com|met|с контактом|с|s uživatelem|-|–|:)\s*(?P<name>.+)$",
    re.I)


def chat_name_from(stem: str) -> str:
    """'WhatsApp Chat with Alice' -> 'Alice'; 'WhatsApp Chat - Groupe' -> 'Groupe'; else as is."""
    m = _CHAT_FILE_NAME.match(stem.strip())
    return m["name"].strip() if m else stem.strip()


def is_chat_text_name(member: str) -> bool:
    """A zip member that is a WhatsApp chat text: `_chat.txt` or `WhatsApp Chat with X.txt`."""
    p = PurePosixPath(member)
    if p.suffix.lower() != ".txt":
        return False
    return p.name == "_chat.txt" or bool(_CHAT_FILE_NAME.match(p.stem))


# -- reading text -------------------------------------------------------------------------------

# A WhatsApp export is UTF-8; a text in another encoding was re-saved by an editor, on Windows
# almost always, in its "ANSI" code page. Detection is limited to those (and Latin-1), which keeps
# a short French text from reading as Mac Central European; when two candidates read the bytes
# equally well (a French text reads the same in cp1250 and cp1252), the first one listed wins:
# the code pages of the languages reporters meet most come first.
_CANDIDATE_ENCODINGS = ("cp1252", "cp1251", "cp1256", "cp1250", "cp1253", "cp1254", "cp1255",
                        "cp1257", "cp1258", "cp874", "cp932", "gb18030", "cp949", "cp950",
                        "iso8859_15", "latin_1")
_DETECT_SAMPLE = 1 * MiB


def detect_encoding(sample: bytes) -> str | None:
    """The encoding of a text that is not UTF-8, by charset-normalizer; None when unknown."""
    from charset_normalizer import from_bytes  # only files that are not UTF-8 pay its import

    results = from_bytes(sample, cp_isolation=list(_CANDIDATE_ENCODINGS))
    best = results.best()
    if best is None:
        return None
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    for candidate in _CANDIDATE_ENCODINGS:
        if any(candidate in r.could_be_from_charset for r in tied):
            return candidate
    return best.encoding


def _strip_marks(text: str) -> str:
    return _MARKS.sub("", text)


def _canonical_encoding(name: str) -> str:
    if name in ("utf-8-sig", "utf-8"):
        return "utf-8"
    return codecs.lookup(name).name


class _Reporting(io.RawIOBase):
    """Passes reads through and tells `progress` how many bytes went by."""

    def __init__(self, raw, progress: Callable[[int], None]):
        self.raw = raw
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        if data:
            self.progress(len(data))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


# -- one message --------------------------------------------------------------------------------


@dataclass
class _Entry:
    """A message as written: its first line's match, the rest of that line, the lines after."""

    line: int
    match: re.Match
    lines: list[str]


@dataclass
class _Message:
    """What an entry says, before its time is read."""

    kind: str
    author: str | None
    text: str
    basis: str                       # the text that identifies it in `item_key`
    action: str | None = None
    media: list[dict] | None = None
    extra: dict = field(default_factory=dict)
    group: bool = False


class _Attachments:
    """Finds the file an attachment line names: in the zip, or beside the .txt it came with."""

    def __init__(self, *, zip_: SafeZip | None = None, chat_dir: str = "",
                 folder: Path | None = None, progress: Callable[[int], None] | None = None):
        self.zip = zip_
        self.folder = folder
        self.progress = progress
        self.found: dict[str, dict | None] = {}
        self.by_name: dict[str, str] = {}
        self.referenced: set[str] = set()
        if zip_ is not None:
            for m in zip_.members():
                if m.is_dir:
                    continue
                base = PurePosixPath(m.name).name
                same_dir = _folder(m.name) == chat_dir
                if same_dir or base not in self.by_name:
                    self.by_name[base] = m.name

    def lookup(self, name: str) -> dict | None:
        """{"path", "sha256", "size", "container"} for a file that is there, else None."""
        if name not in self.found:
            self.found[name] = self._zip_file(name) if self.zip is not None else self._beside(name)
        return self.found[name]

    def _zip_file(self, name: str) -> dict | None:
        member = self.by_name.get(PurePosixPath(name.replace("\\", "/")).name)
        if member is None:
            return None
        self.referenced.add(member)
        h = hashlib.sha256()
        size = 0
        with self.zip.open(member) as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        if self.progress:
            self.progress(self.zip.member(member).compressed_size)
        return {"path": member, "sha256": h.hexdigest(), "size": size, "container": "zip"}

    def _beside(self, name: str) -> dict | None:
        if self.folder is None or name != os.path.basename(name) or name in (".", "..") \
                or "\\" in name or "\x00" in name:
            return None
        candidate = self.folder / name
        try:
            if candidate.is_symlink() or not candidate.is_file():
                return None
            h = hashlib.sha256()
            size = 0
            with open(candidate, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
        except OSError:
            return None
        return {"path": name, "sha256": h.hexdigest(), "size": size, "container": "folder"}


def _folder(member: str) -> str:
    parent = str(PurePosixPath(member).parent)
    return "" if parent == "." else parent


def _attachment_kind(name: str) -> str:
    m = _TAG.match(PurePosixPath(name).name)
    if m and m[1] in _NAME_TAGS:
        return _NAME_TAGS[m[1]]
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    for kind, exts in _EXTENSIONS.items():
        if ext in exts:
            return kind
    return "file"


def _dumps(value) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    return orjson.dumps(value).decode()


# -- the parser ---------------------------------------------------------------------------------


class WhatsAppParser:
    """Yields the chat of a WhatsApp export, then its messages and system lines as items."""

    name = NAME
    version = VERSION

    def __init__(self, path, *, tz: str = DEFAULT_TZ, source_sha256: str = "",
                 progress: Callable[[int], None] | None = None, origin=None,
                 date_order: str | None = None):
        # `source_sha256` is part of every parser's signature; a WhatsApp chat is named from its
        # file name, so this one does not need it. `date_order` ("dmy", "mdy" or "ymd") settles
        # the order of dates a file cannot tell by itself.
        if date_order not in (None, *DATE_ORDERS):
            raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)} or None, "
                             f"not {date_order!r}")
        self.path = Path(path)
        self.origin = Path(origin) if origin is not None else None
        self.tz = tz
        self.progress = progress
        self.date_order = date_order
        self.notes: dict = {}
        self.tz_assumed: str | None = None
        self.text_encoding = "utf-8"     # of the chat text being read
        self.order = "dmy"               # its date order, once the first reading has settled it

    # -- the file ----------------------------------------------------------------------------

    def records(self) -> Iterator[Chat | dict]:
        shown = self.origin or self.path
        if shown.suffix.lower() == ".zip" or _zip_head(self.path):
            with SafeZip(self.path) as z:
                member = self._chat_member(z)
                chat_dir = _folder(member)
                name = self._zip_chat_name(member, shown)
                self.notes["chat_text"] = member
                media = _Attachments(zip_=z, chat_dir=chat_dir, progress=self.progress)
                compressed = z.member(member).compressed_size

                def open_text(report: bool):
                    stream = z.open(member, limit=CHAT_TEXT_LIMIT)
                    if report and self.progress:
                        self.progress(compressed)
                    return stream

                yield from self._chat(open_text, name, media)
                unreferenced = sorted(m.name for m in z.members()
                                      if not m.is_dir and m.name != member
                                      and m.name not in media.referenced)
                if unreferenced:
                    self.notes["members_not_referenced"] = len(unreferenced)
                    self.notes["members_not_referenced_first"] = unreferenced[:20]
        else:
            media = _Attachments(folder=self.origin.parent if self.origin else None)

            def open_text(report: bool):
                raw = open(self.path, "rb", buffering=0)
                if report and self.progress:
                    return io.BufferedReader(_Reporting(raw, self.progress), 1 << 16)
                return io.BufferedReader(raw, 1 << 16)

            yield from self._chat(open_text, self._txt_chat_name(shown), media)

    def _chat_member(self, z: SafeZip) -> str:
        texts = [m.name for m in z.members() if not m.is_dir and is_chat_text_name(m.name)]
        if not texts:
            raise Rejected("the zip archive holds no WhatsApp chat text (_chat.txt or "
                           "'WhatsApp Chat with ….txt')")
        if len(texts) > 1:
            raise Rejected(f"the zip archive holds several chat texts ({', '.join(texts[:5])}): "
                           "import each chat's export on its own")
        return texts[0]

    @staticmethod
    def _zip_chat_name(member: str, shown: Path) -> str:
        p = PurePosixPath(member)
        if p.name != "_chat.txt":
            return chat_name_from(p.stem)
        if str(p.parent) not in ("", "."):
            return chat_name_from(p.parent.name)
        return chat_name_from(shown.stem)

    @staticmethod
    def _txt_chat_name(shown: Path) -> str:
        if shown.name == "_chat.txt" and shown.parent.name:
            return chat_name_from(shown.parent.name)
        return chat_name_from(shown.stem)

    # -- one chat text -----------------------------------------------------------------------

    def _chat(self, open_text, name: str, media: _Attachments) -> Iterator[Chat | dict]:
        encoding, strict = self._encoding(open_text), True
        try:
            survey = self._survey(open_text, encoding, strict)
        except UnicodeDecodeError:
            encoding = self._detect(open_text)
            try:
                survey = self._survey(open_text, encoding, strict)
            except UnicodeDecodeError:   # a few bytes no candidate decodes: shown as U+FFFD
                strict = False
                self.notes["undecodable_bytes_replaced"] = True
                survey = self._survey(open_text, encoding, strict)
        self.text_encoding = _canonical_encoding(encoding)
        self.notes["text_encoding"] = self.text_encoding
        self.notes["style"] = survey.style
        self.order = self._order(survey)
        group = survey.group or len(survey.authors) > 2
        yield Chat(PLATFORM, f"name:{name}", name, "group" if group else "personal_chat",
                   external_id_standin=True)
        with self._text(open_text, encoding, strict, report=True) as lines:
            yield from self._items(_entries(lines, survey.style), media)
        self.notes["messages_and_events"] = survey.entries

    def _text(self, open_text, encoding: str, strict: bool, report: bool = False):
        return io.TextIOWrapper(open_text(report), encoding=encoding,
                                errors="strict" if strict else "replace", newline=None)

    def _encoding(self, open_text) -> str:
        with open_text(False) as f:
            head = f.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        return "utf-8-sig"

    def _detect(self, open_text) -> str:
        """Find the first byte that is not UTF-8 and detect the encoding around it."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        with open_text(False) as f:
            while chunk := f.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    offset += exc.start
                    break
                offset += len(chunk)
        with open_text(False) as f:
            skip = max(0, offset - _DETECT_SAMPLE // 4)
            while skip > 0 and (chunk := f.read(min(skip, 1 << 20))):
                skip -= len(chunk)
            sample = f.read(_DETECT_SAMPLE)
        encoding = detect_encoding(sample)
        if encoding is None:
            raise Rejected("its text is not UTF-8, and its encoding could not be recognised: "
                           "is it really a WhatsApp export?")
        return encoding

    def _survey(self, open_text, encoding: str, strict: bool) -> _Survey:
        survey = _Survey()
        with self._text(open_text, encoding, strict) as text:
            survey.style, lines = _with_style(text)
            for entry in _entries(lines, survey.style):
                survey.entries += 1
                a, b = entry.match["a"], entry.match["b"]
                if len(a) > 2:
                    survey.year_first += 1
                else:
                    if int(a) > 12 and survey.day_first is None:
                        survey.day_first = entry.line
                    if int(b) > 12 and survey.month_first is None:
                        survey.month_first = entry.line
                msg = _classify(entry)
                if msg.kind == "post" and msg.author is not None:
                    survey.authors.add(msg.author)
                survey.group = survey.group or msg.group
        if survey.entries == 0:
            raise Rejected("the file is empty")
        return survey

    def _order(self, survey: _Survey) -> str:
        """The file's own evidence first; then the `date_order` given; then day first."""
        if survey.day_first and survey.month_first:
            raise Rejected(f"its dates are written day first (line {survey.day_first}) and month "
                           f"first (line {survey.month_first}): is it two exports pasted together?")
        if survey.year_first == survey.entries:
            order, how = "ymd", "inferred"
        elif survey.month_first:
            order, how = "mdy", "inferred"
        elif survey.day_first:
            order, how = "dmy", "inferred"
        elif self.date_order is not None:
            order, how = self.date_order, "given"
        else:
            order, how = "dmy", "assumed"
        self.notes["date_order"] = order
        self.notes["date_order_from"] = how
        if self.date_order is not None and how == "inferred" and order != self.date_order:
            self.notes["date_order_given_but_contradicted"] = self.date_order
        return order

    # -- items -------------------------------------------------------------------------------

    def _items(self, entries: Iterable[_Entry], media: _Attachments) -> Iterator[dict]:
        seen: dict[bytes, int] = {}     # occurrences of each (time, author, text), by digest
        for entry in entries:
            msg = _classify(entry)
            local = self._local_time(entry)
            posted, offset = local_to_epoch(local, self.tz)
            self.tz_assumed = self.tz
            if msg.media:
                self._link(msg.media, media)
            basis = f"{local.isoformat()}|{msg.author or ''}|{msg.basis}"
            digest = hashlib.blake2b(basis.encode(), digest_size=16).digest()
            n = seen.get(digest, 0)
            seen[digest] = n + 1
            key = "h:" + hashlib.sha256(f"{basis}|{n}".encode()).hexdigest()[:24]
            extra = {"line": entry.line, **msg.extra}
            yield {
                "item_key": key,
                "message_id": None,
                "kind": msg.kind,
                "author": msg.author,
                "author_id": None,
                "posted_epoch": posted,
                "posted_offset_min": offset,
                "tz_assumed": self.tz,
                "text": msg.text,
                "entities": None,
                "reply_to": None,
                "forwarded_from": None,
                "forwarded_from_id": None,
                "edited_epoch": None,
                "media": _dumps(msg.media),
                "reactions": None,
                "buttons": None,
                "action": msg.action,
                "album_key": None,
                "extra": _dumps(extra),
                "text_encoding": self.text_encoding,
            }

    def _link(self, descriptors: list[dict], media: _Attachments) -> None:
        for d in descriptors:
            name = d.pop("attached", None)
            if name is None:
                continue
            found = media.lookup(name)
            if found is None:
                d["included"] = False
                self.notes["attachments_missing"] = self.notes.get("attachments_missing", 0) + 1
            else:
                d["included"] = True
                d.update(found)
                self.notes["attachments_linked"] = self.notes.get("attachments_linked", 0) + 1

    def _local_time(self, entry: _Entry) -> datetime:
        m = entry.match
        a, b, c = m["a"], m["b"], m["c"]
        if len(a) > 2 or self.order == "ymd":
            y, mo, d = a, b, c
        elif self.order == "mdy":
            mo, d, y = a, b, c
        else:
            d, mo, y = a, b, c
        day = self._gregorian(y, int(mo), int(d), bool(m["era"]), entry.line)
        h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
        marker = m["pre"] or m["post"]
        if marker:
            if h > 12:
                raise Rejected(f"line {entry.line}: {h}:{mi:02d} is not a 12-hour time")
            pm = marker.startswith(_PM_WORDS)
            h = (h % 12) + (12 if pm else 0)
        if h > 23 or mi > 59 or s > 59:
            raise Rejected(f"line {entry.line}: {m['h']}:{m['mi']} is not a time of day")
        return datetime(day.year, day.month, day.day, h, mi, s)

    def _gregorian(self, year_text: str, month: int, day: int, buddhist_era: bool,
                   line: int) -> date:
        year = int(year_text)
        if len(year_text) <= 2:
            year += 2500 if buddhist_era else 2000
        try:
            if buddhist_era or year > 2400:
                self.notes["calendar"] = "buddhist"
                return date(year - 543, month, day)
            if 1300 <= year < 1425:
                self.notes["calendar"] = "persian"
                return jalali_to_gregorian(year, month, day)
            if 1425 <= year < 1600:
                raise Rejected(f"line {line}: its dates are in the Islamic (Hijri) calendar "
                               f"({year}), which Recoupe cannot turn into days exactly: export "
                               "the chat again with the phone set to the Gregorian calendar")
            if year < 1900:
                raise Rejected(f"line {line}: {year} is not a year Recoupe can read")
            return date(year, month, day)
        except ValueError:
            order = {"dmy": "day/month/year", "mdy": "month/day/year",
                     "ymd": "year/month/day"}[self.order]
            raise Rejected(f"line {line}: its date is not a day of the calendar when read as "
                           f"{order}") from None


Parser = WhatsAppParser


@dataclass
class _Survey:
    """What the first reading learns: the line shape, the date order, the authors."""

    style: str | None = None
    entries: int = 0
    year_first: int = 0              # messages whose date starts with a 4-digit year
    day_first: int | None = None     # first line whose first date field is above 12
    month_first: int | None = None   # first line whose second date field is above 12
    authors: set = field(default_factory=set)
    group: bool = False


def _with_style(lines: Iterable[str]) -> tuple[str | None, Iterator[str]]:
    """The shape of the file's first non-empty line, which must be a message line; and all lines."""
    it = iter(lines)
    seen: list[str] = []
    for line in it:
        seen.append(line)
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        for style, regex in _STYLES.items():
            if regex.match(text):
                return style, itertools.chain(seen, it)
        raise Rejected(f"its first line is not a WhatsApp message line: {text[:60]!r}")
    return None, iter(seen)


def _entries(lines: Iterable[str], style: str | None) -> Iterator[_Entry]:
    """Messages as written: a line of the file's shape starts one, any other line continues it."""
    if style is None:
        return
    regex = _STYLES[style]
    current: _Entry | None = None
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        m = regex.match(line)
        if m:
            if current is not None:
                yield current
            current = _Entry(number, m, [m["rest"]])
        elif current is not None:
            current.lines.append(line)
    if current is not None:
        yield current


def _classify(entry: _Entry) -> _Message:
    """What one entry is: a post (with its author, text, media) or an event."""
    rest = entry.lines[0]
    more = entry.lines[1:]
    while more and not more[-1].strip():
        more.pop()
    whole = _strip_marks("\n".join([rest, *more])).strip()
    # A line with no "Name: " in front is WhatsApp's own (Android: "Alice added Bob").
    system = _system(whole, prefix=None, weak=True)
    if system is not None:
        return system
    author, body = _split_author(rest)
    if author is None:
        return _Message("event", None, whole, whole, action="system")
    body_text = "\n".join([body, *more])
    marked = body[:1] in _MARK_CHARS or entry.match.string[:1] in _MARK_CHARS
    clean = _strip_marks(body_text).strip()

    if clean.rstrip(".").casefold() in _DELETED:
        return _Message("post", author, clean, clean, extra={"deleted": True})
    media = _media(body, more)
    if media is not None:
        descriptor, caption = media
        return _Message("post", author, caption, f"{caption}|media", media=[descriptor])
    system = _system(clean, prefix=author, weak=marked)
    if system is not None:
        return system
    text = _EDITED.sub("", body_text)
    extra = {"edited": True} if text != body_text else {}
    text = text.lstrip(_MARK_CHARS).strip("\n")
    return _Message("post", author, text, text, extra=extra)


def _split_author(rest: str) -> tuple[str | None, str]:
    """'Alice: hi' -> ('Alice', 'hi'); 'John Doe:.' -> ('John Doe', '.'); no author -> None."""
    i = rest.find(": ")
    if i > 0:
        body = rest[i + 2:]
    elif rest.endswith(":"):
        i, body = len(rest) - 1, ""
    else:
        i = rest.find(":")
        if i <= 0:
            return None, rest
        body = rest[i + 1:]
    author = _strip_marks(rest[:i]).strip()
    if not author or any(q in author for q in "\"“”«»"):
        return None, rest
    return author, body


def _system(text: str, *, prefix: str | None, weak: bool) -> _Message | None:
    """A system line, when `text` is one of WhatsApp's; `prefix` is the name written before it.

    `weak` allows the patterns a person could also write ("Alice left"): for a line without a
    name, or one that iOS marked as its own with a direction mark.
    """
    if not (_ANY_SYSTEM if weak else _ANY_STRONG_SYSTEM).fullmatch(text):
        return None
    for s in _SYSTEM:
        if not (s.strong or weak):
            continue
        m = s.pattern.fullmatch(text)
        if m is None:
            continue
        actor = m.groupdict().get("actor")
        if prefix is None and actor is not None and ":" in actor:
            continue   # "Bob: Alice left" is Bob writing, not WhatsApp
        extra: dict = {}
        author = prefix if s.author_is_prefix else actor
        if prefix is not None and not s.author_is_prefix:
            extra["shown_as"] = prefix     # iOS writes the chat's name before its own lines
        if author is not None and author.casefold() in _YOU:
            extra["actor"] = author
            author = None
        subject = m.groupdict().get("subject")
        if subject:
            extra["subject"] = subject
        return _Message("event", author, text, text, action=s.action, extra=extra, group=s.group)
    return None


def _media(body: str, more: list[str]) -> tuple[dict, str] | None:
    """(descriptor, caption) when the first line of a message is an attachment or placeholder."""
    first = body
    caption = "\n".join(more).strip("\n")
    clean = _strip_marks(first).strip()
    m = _ATTACHED_IOS.search(clean)
    if m:
        name = m["name"].strip()
        label = clean[:m.start()].strip().rstrip("•").strip()
        d = {"kind": _attachment_kind(name), "file_name": PurePosixPath(name).name,
             "attached": name, "placeholder": m[0]}
        if label:
            d["label"] = label
        after = clean[m.end():].strip()
        return d, "\n".join(t for t in (after, caption) if t)
    m = _ATTACHED_ANDROID.match(clean)
    if m:
        name = m["name"].strip()
        return {"kind": _attachment_kind(name), "file_name": name, "attached": name,
                "placeholder": clean}, caption
    segments = [s.strip() for s in _MARKS.split(first) if s.strip()]
    if not segments:
        return None
    last = segments[-1]
    words = last[1:-1].strip() if last.startswith("<") and last.endswith(">") else last
    kind = _OMITTED.get(words.casefold())
    if kind is None:
        return None
    d = {"kind": kind, "included": False, "placeholder": last}
    if len(segments) > 1:
        label = segments[0].rstrip("•").strip()
        if label:
            d["file_name" if kind == "file" else "label"] = label
        if len(segments) > 2:
            d["details"] = segments[1:-1]
    return d, caption


# -- calendars ----------------------------------------------------------------------------------


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """A Persian (Solar Hijri) date as a Gregorian one, by the 33-year arithmetic rule.

    That rule agrees with the official (astronomical) calendar for every year WhatsApp has existed
    (1388 onward) and far beyond.
    """
    if not (1 <= jm <= 12 and 1 <= jd <= (31 if jm <= 6 else 30)):
        raise ValueError("not a Persian date")
    jy += 1595
    days = (-355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
            + ((jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186))
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    leap = gy % 4 == 0 and (gy % 100 != 0 or gy % 400 == 0)
    months = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    for gm, length in enumerate(months, 1):
        if days < length:
            return date(gy, gm, days + 1)
        days -= length
    raise ValueError("not a Persian date")


# -- detection ----------------------------------------------------------------------------------


def _zip_head(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _head_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _first_local_member(head: bytes) -> str | None:
    """The name in a zip's first local header (readable even when the archive is truncated)."""
    if len(head) < 30 or not head.startswith(b"PK\x03\x04"):
        return None
    n = int.from_bytes(head[26:28], "little")
    return head[30:30 + n].decode("utf-8", errors="replace")


def detect(path, head: bytes) -> bool:
    """A .zip holding a WhatsApp chat text, or a .txt whose first line is a WhatsApp line.

    A file whose name says it is a WhatsApp export (`WhatsApp Chat - X.zip`, `_chat.txt`) is
    claimed whatever it holds, and so is a zip whose first member is a chat text even when the
    archive is truncated: the parser then says precisely what is wrong with it.
    """
    suffix = path.suffix.lower()
    if suffix not in (".zip", ".txt"):
        return False
    if path.name == "_chat.txt" or _CHAT_FILE_NAME.match(path.stem):
        return True
    if suffix == ".zip":
        first = _first_local_member(head)
        if first is not None and is_chat_text_name(first):
            return True
        try:
            with zipfile.ZipFile(path) as z:
                return any(is_chat_text_name(n) for n in z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return False
    for line in _head_text(head).splitlines():
        if line.strip():
            return any(regex.match(line) for regex in _STYLES.values())
    return False

"""Contacts: messenger handles and links, phone numbers, e-mail addresses, crypto addresses.

Each contact becomes one value that is the same however the message wrote it, so that the
workspace can count and join on it:

| what | value | found from |
|---|---|---|
| Telegram account, bot or channel | `telegram:@name` (lowercase) | `@name`, `t.me/name`, `https://t.me/name?start=…`, "Telegram : name" |
| Telegram invite link | `telegram:t.me/+CODE` | `t.me/+CODE`, `t.me/joinchat/CODE` |
| Snapchat, Signal, Potato | `snapchat:name`, `signal:name`, `potato:name` | "Snap : name", "👻 name", "Signal : name", "🥔 name", their links |
| Threema | `threema:ID` (8 characters, uppercase) | "Threema : ID", `threema.id/ID` |
| WhatsApp | `whatsapp:+33…` or `whatsapp:chat.whatsapp.com/CODE` | `wa.me/…`, `api.whatsapp.com/send?phone=…`, group links |
| phone number | `phone:+33639981234` (E.164, with the `phonenumbers` library) | French numbers in any spacing, `+33`/`0033`, other `+CC` numbers |
| e-mail | `email:name@domain` (lowercase) | addresses |
| Bitcoin | `btc:ADDRESS` | legacy and P2SH addresses (base58check verified), bech32/bech32m (checksum verified) |
| Ethereum (and ERC-20 USDT) | `eth:0x…` (lowercase) | `0x` and 40 hex digits |
| Monero | `xmr:ADDRESS` | 95 characters from 4 or 8 (106 for integrated addresses) |
| Tron (and TRC-20 USDT) | `tron:T…` | T and 33 base58 characters, base58check verified |

A handle without `@` counts only after a label ("Snap", "Signal", "Potato", "Threema",
"Telegram", "TG", 👻, 🥔) and when a separator follows the label (":", "=", "->", "👉") or the
name has a digit, dot or underscore: "ajoute-moi sur Snap ce soir" names no account.
Telegram bots are told apart by their name, which Telegram requires to end in "bot": their
entity's detail is "bot" (else "handle", "link" or "invite").
"""

from __future__ import annotations

import functools
import hashlib
import re

import phonenumbers

# One contact found: (start, end, value, detail), offsets in the text that was searched.
Found = tuple[int, int, str, str | None]

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check(address: str) -> bytes | None:
    """The payload of a base58check string (version byte included), or None if the checksum fails."""
    n = 0
    for c in address:
        if c not in _B58_INDEX:
            return None
        n = n * 58 + _B58_INDEX[c]
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload


def _bech32_polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_valid(address: str) -> bool:
    """True for a bech32 (BIP 173) or bech32m (BIP 350) string whose checksum holds."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, sep, data = address.rpartition("1")
    if not sep or not hrp or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    values += [_BECH32.index(c) for c in data]
    return _bech32_polymod(values) in (1, 0x2BC830A3)


def btc_valid(address: str) -> bool:
    """A Bitcoin mainnet address: P2PKH/P2SH base58check, or segwit bech32/bech32m."""
    if address[:3].lower() == "bc1":
        return bech32_valid(address)
    payload = base58check(address)
    return payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05)


def tron_valid(address: str) -> bool:
    """A Tron address: base58check, 21 bytes, version 0x41."""
    payload = base58check(address)
    return payload is not None and len(payload) == 21 and payload[0] == 0x41


_B58C = "1-9A-HJ-NP-Za-km-z"
_CRYPTO = re.compile(
    rf"(?<![\w])(?:(?P<btc>[13][{_B58C}]{{25,34}}|[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{{8,87}})"
    r"|(?P<eth>0x[0-9a-fA-F]{40})"
    rf"|(?P<xmr>[48][0-9AB][{_B58C}]{{93}}(?:[{_B58C}]{{11}})?)"
    rf"|(?P<tron>T[{_B58C}]{{33}}))(?![\w])")
# Whether a text may hold an address: a long token starting as addresses start.
_LONG_TOKEN = re.compile(r"[13bB0T48](?<![0-9A-Za-z].)[0-9A-Za-z]{24,}")

# E-mail addresses are found from their "@" and domain, then the local part before it.
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])")
_EMAIL_LOCAL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\Z")
_HANDLE = re.compile(r"@(?<![\w.@/]@)(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})(?![\w@])")
_LINK = re.compile(
    r"(?i)(?<![\w.])(?:https?://)?(?:www\.)?(?:"
    r"(?:t|telegram)\.(?:me|dog)/(?:(?P<inv>joinchat/|\+)(?P<code>[\w-]{6,})|(?:s/)?(?P<tg>[a-z][\w]{3,31}))"
    r"(?:\?start=[\w-]*)?"
    r"|snapchat\.com/add/(?P<snap>[\w.-]{3,15})"
    r"|signal\.me/#(?:u/(?P<sig>[\w.]{3,40})|p/(?P<sigp>\+?\d{8,15}))"
    r"|signal\.group/#(?P<sigg>[\w-]{10,})"
    r"|threema\.id/(?P<threema>[a-z0-9*]{8})"
    r"|potato\.im/(?P<potato>[\w]{3,32})"
    r"|wa\.me/(?P<wa>\+?\d{8,15})"
    r"|api\.whatsapp\.com/send/?\?phone=(?P<waapi>\+?\d{8,15})\S*"
    r"|chat\.whatsapp\.com/(?:invite/)?(?P<wag>[a-z0-9]{10,}))")
_LABEL_WORDS = r"snap(?:chat)?|signal|potato|threema|telegram|t[eé]l[eé]gram|tg"
_LABELLED = re.compile(
    rf"(?i)(?<![\w])(?P<label>{_LABEL_WORDS}|👻|🥔)\s*(?P<sep>:|=|->|=>|👉|➡️?)?\s*(?:👉\s*)?"
    rf"(?!(?:{_LABEL_WORDS})\b)(?P<at>@)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]{{2,31}})")
_LABEL_PLATFORM = {"snap": "snapchat", "snapchat": "snapchat", "👻": "snapchat", "signal": "signal",
                   "potato": "potato", "🥔": "potato", "threema": "threema"}
_THREEMA_ID = re.compile(r"[A-Z0-9*][A-Z0-9]{7}")

# French numbers (0X, +33, 0033) and other international ones (+CC, 00CC); the first character
# is a + or a 0 not preceded by a digit or a +.
_PHONE = re.compile(
    r"[+0](?<![\d+].)(?:(?<=\+)\s?33\s?(?:\(0\)\s?)?[1-9]|(?<=0)033\s?(?:\(0\)\s?)?[1-9]"
    r"|(?<=0)[1-9]|(?<=\+)\s?(?!33)[1-9]\d{0,2}|(?<=0)0\s?(?!33)[1-9]\d{0,2})"
    r"(?:(?<=[1-9])(?:[\s.\-]?\d{2}){4}|(?:[\s.\-]?\d{2,4}){2,5})(?!\d)")


def _telegram(name: str) -> tuple[str, str]:
    name = name.lower()
    return f"telegram:@{name}", "bot" if name.endswith("bot") else "handle"


@functools.lru_cache(maxsize=65536)
def _e164(number: str) -> str | None:
    """The E.164 form of a number as written (cached: sellers repeat their numbers)."""
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phones(norm: str) -> list[Found]:
    """Phone numbers in a normalised text (digits repaired), as E.164."""
    out: list[Found] = []
    for m in _PHONE.finditer(norm):
        e164 = _e164(m.group(0))
        if e164:
            out.append((m.start(), m.end(), f"phone:{e164}", None))
    return out


def _links(text: str) -> list[Found]:
    out: list[Found] = []
    for m in _LINK.finditer(text):
        g = m.groupdict()
        if g["code"]:
            value, detail = f"telegram:t.me/+{g['code']}", "invite"
        elif g["tg"]:
            value, detail = _telegram(g["tg"])
            detail = "bot" if detail == "bot" else "link"
        elif g["snap"]:
            value, detail = f"snapchat:{g['snap'].lower()}", "link"
        elif g["sig"]:
            value, detail = f"signal:{g['sig'].lower()}", "link"
        elif g["sigp"] or g["wa"] or g["waapi"]:
            e164 = _e164("+" + (g["sigp"] or g["wa"] or g["waapi"]).lstrip("+"))
            if not e164:
                continue
            value, detail = f"{'signal' if g['sigp'] else 'whatsapp'}:{e164}", "link"
        elif g["sigg"]:
            value, detail = f"signal:signal.group/#{g['sigg']}", "invite"
        elif g["threema"]:
            value, detail = f"threema:{g['threema'].upper()}", "link"
        elif g["potato"]:
            value, detail = f"potato:{g['potato'].lower()}", "link"
        else:
            value, detail = f"whatsapp:chat.whatsapp.com/{g['wag']}", "invite"
        out.append((m.start(), m.end(), value, detail))
    return out


def _labelled(text: str) -> list[Found]:
    out: list[Found] = []
    for m in _LABELLED.finditer(text):
        name = m.group("name").rstrip(".-_")
        if not (m.group("sep") or m.group("at") or re.search(r"[\d._]", name)):
            continue
        label = m.group("label").lower()
        start = m.start("at") if m.group("at") else m.start("name")
        end = m.start("name") + len(name)
        platform = _LABEL_PLATFORM.get(label, "telegram")
        if platform == "telegram":
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", name):
                continue
            value, detail = _telegram(name)
        elif platform == "threema":
            if not _THREEMA_ID.fullmatch(name.upper()):
                continue
            value, detail = f"threema:{name.upper()}", "handle"
        else:
            value, detail = f"{platform}:{name.lower()}", "handle"
        out.append((start, end, value, detail))
    return out


def _crypto(text: str) -> list[Found]:
    out: list[Found] = []
    for m in _CRYPTO.finditer(text):
        kind = m.lastgroup
        address = m.group(0)
        if kind == "btc" and not btc_valid(address):
            continue
        if kind == "tron" and not tron_valid(address):
            continue
        if kind == "eth" or (kind == "btc" and address[:3].lower() == "bc1"):
            address = address.lower()
        out.append((m.start(), m.end(), f"{kind}:{address}", None))
    return out


# Cheap tests, on the normalised text, of whether a link or a label may be there at all.
_LINK_HINT = re.compile(r"t\.me|telegram\.|snapchat\.com|signal\.|threema\.id|potato\.im|wa\.me"
                        r"|whatsapp\.com")
_LABEL_HINT = re.compile(r"snap|signal|potato|threema|telegram|tg|👻|🥔")


def raw_contacts(text: str, norm: str) -> list[Found]:
    """Every contact but phone numbers, in the raw text (offsets are the text's own).
    `norm`, the normalised text, only tells cheaply whether a label is there at all."""
    found: list[Found] = []
    if "@" in text:
        for m in _EMAIL_DOMAIN.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start())
            if local:
                address = text[local.start():m.end()]
                found.append((local.start(), m.end(), f"email:{address.lower()}", None))
        for m in _HANDLE.finditer(text):
            value, detail = _telegram(m.group("name"))
            found.append((m.start(), m.end(), value, detail))
    if "/" in text and _LINK_HINT.search(norm):
        found += _links(text)
    if _LABEL_HINT.search(norm):
        found += _labelled(text)
    if _LONG_TOKEN.search(text):
        found += _crypto(text)
    return found

#!/usr/bin/env python3
"""Generate the fictional Telegram sample corpus used by Recoupe.

Recoupe is an investigation workspace for reporters who study drug networks
selling on Telegram.  This script writes a small, entirely fictional corpus of
Telegram Desktop "Export chat history" files (machine-readable JSON,
``result.json``) describing an invented drug-delivery network in the
Bouches-du-Rhône before Christmas 2026 (1 November - 31 December 2026):

* ``telegram/le-drive-du-13-2026-12-10/result.json`` - the main channel
  "Le Drive du 13 🎄" exported on 10 December 2026 at 16:00 (Paris time);
* ``telegram/le-drive-du-13-2026-12-31/result.json`` - the same channel
  exported again on 31 December 2026, after four posts were edited and three
  were deleted by the channel;
* ``telegram/bons-plans-13/result.json``, ``telegram/marius-delivery/result.json``
  and ``telegram/drive-13-secours/result.json`` - three relay channels that
  repost (copy, with small changes, or forward) the main channel's adverts.

Everything is invented: channel names, handles, bots and links; phone numbers
only come from the ranges that ARCEP reserves for fiction (01 99 00, 02 61 91,
03 53 01, 04 65 71, 05 36 49, 06 39 98 and 09 99 00).  No image file is
written: the exports only reference photos, as Telegram Desktop does when
media are not downloaded.

The script uses the Python 3.11 standard library only and a seeded
``random.Random(2026)``, so running it again reproduces the files bit for bit.

Usage::

    python samples/generate.py              # writes next to this script
    python samples/generate.py --out /tmp/corpus
    python samples/generate.py --summary    # also prints ids useful to tests
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 2026
TZ = ZoneInfo("Europe/Paris")

# --------------------------------------------------------------------------
# Cast (all invented)
# --------------------------------------------------------------------------

MAIN = {
    "name": "Le Drive du 13 🎄",
    "id": 1987654321,
    "slug": "le-drive-du-13",
    "handle": "drv13_noel",
}

RELAYS = [
    {
        "name": "Bons Plans 13 🔥",
        "id": 1823456701,
        "slug": "bons-plans-13",
        "handle": "bonsplans13_fx",
        "created": datetime(2026, 11, 3, 11, 20, 0),
        "p_copy": 0.38,
        "p_forward": 0.12,
        "footers": [
            "👉 Plus de bons plans : @bonsplans13_fx",
            "➡️ Rejoins le canal de secours @drv13_secours",
            "🔥 Partage à tes potes : t.me/bonsplans13_fx",
        ],
        "transforms": {
            "price": 0.45, "emoji_swap": 0.35, "emoji_add": 0.25,
            "emoji_remove": 0.2, "casing": 0.3, "footer": 0.45,
            "reorder": 0.3, "obfuscate": 0.25,
        },
    },
    {
        "name": "Marius Delivery 🛵",
        "id": 1911223344,
        "slug": "marius-delivery",
        "handle": "marius_dlv13",
        "created": datetime(2026, 11, 8, 16, 5, 0),
        "p_copy": 0.32,
        "p_forward": 0.05,
        "footers": [
            "🛵 Marius Delivery — @marius_dlv13 — +33 6 39 98 90 46",
            "➡️ Rejoins le canal de secours @drv13_secours",
            "📲 Commande aussi chez Marius : @marius_dlv13",
        ],
        "transforms": {
            "obfuscate": 0.55, "contact": 0.65, "price": 0.4,
            "emoji_swap": 0.3, "footer": 0.35, "casing": 0.2, "reorder": 0.2,
        },
    },
    {
        "name": "Drive 13 Secours 🆘",
        "id": 1702938475,
        "slug": "drive-13-secours",
        "handle": "drv13_secours",
        "created": datetime(2026, 11, 2, 21, 0, 0),
        "p_copy": 0.36,
        "p_forward": 0.7,
        "footers": [
            "🆘 Canal de secours : t.me/drv13_secours",
            "➡️ Rejoins le canal de secours @drv13_secours",
        ],
        "transforms": {
            "footer": 0.6, "emoji_add": 0.3, "casing": 0.2, "reorder": 0.2,
            "price": 0.2, "emoji_swap": 0.2,
        },
    },
]

# Every @handle that may appear in the corpus; the generator refuses any other.
HANDLES = {
    "drv13_noel", "drv13_secours", "drv13_commande_bot", "drv13_standard",
    "drv13_recrute", "drv13_sav", "drv13_avis", "drv13_officiel_vrai",
    "bonsplans13_fx", "marius_dlv13",
}

# ARCEP numbers reserved for fiction (first six national digits).
FICTION_PREFIXES = ("019900", "026191", "035301", "046571", "053649",
                    "063998", "099900")

PHONE_STANDARD_OLD = "0639984107"   # main "standard", burned on 11 Dec
PHONE_STANDARD_NEW = "0639980087"   # replacement number
PHONE_RECRUIT = "0639987325"
PHONE_VOIP = "0999001313"
PHONE_GARAGE = "0465712013"
PHONE_SCAM_1 = "0199004567"
PHONE_SCAM_2 = "0353012210"
PHONE_SCAM_3 = "0261910844"
PHONE_SCAM_4 = "0536492781"
PHONE_MARIUS = "0639989046"
PHONE_MARIUS_VOIP = "0999007741"

FIRST_EXPORT = datetime(2026, 12, 10, 16, 0, 0)
LAST_EXPORT = datetime(2026, 12, 31, 23, 45, 0)

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def phone(number: str, style: str = "spaced") -> str:
    """Format a 10-digit French number (``06xxxxxxxx``) in a given style."""
    pairs = [number[i:i + 2] for i in range(0, 10, 2)]
    if style == "spaced":
        return " ".join(pairs)
    if style == "compact":
        return number
    if style == "dots":
        return ".".join(pairs)
    if style == "dashes":
        return "-".join(pairs)
    if style == "intl":
        return "+33 " + number[1] + " " + " ".join(pairs[1:])
    if style == "intl_compact":
        return "+33" + number[1:]
    raise ValueError(style)


# --------------------------------------------------------------------------
# Tiny markup -> Telegram text entities
# --------------------------------------------------------------------------
# **bold**  __italic__  ~~strikethrough~~  ||spoiler||  `code`
# [label](https://t.me/...)  -> text_link
# Detected automatically: email, link, mention, hashtag, cashtag,
# bot_command and phone (spaced or international forms only; compact,
# dotted or dashed numbers stay plain text, as the server would not tag them).

MARKUP_RE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<italic>.+?)__"
    r"|~~(?P<strikethrough>.+?)~~"
    r"|\|\|(?P<spoiler>.+?)\|\|"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)

PHONE_PATTERN = (r"(?<![\d+])(?:\+33[ .-]?[1-9](?:[ .-]?\d\d){4}"
                 r"|0[1-9](?:[ .-]?\d\d){4})(?!\d)")

AUTO_RE = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<link>(?:https?://)?t\.me/[A-Za-z0-9_/?=&+-]*[A-Za-z0-9_/=])"
    r"|(?P<mention>(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{3,31})"
    r"|(?P<hashtag>(?<![\w#])#\w*[^\W\d_]\w*)"
    r"|(?P<cashtag>(?<![\w$])\$[A-Z]{3,8}(?!\w))"
    r"|(?P<bot_command>(?<!\S)/[a-z][a-z0-9_]{1,31}(?![\w/]))"
    r"|(?P<phone>" + PHONE_PATTERN + r")"
)

PHONE_RE = re.compile(PHONE_PATTERN)


def national_digits(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("33"):
        digits = "0" + digits[2:]
    return digits


def check_phone(raw: str) -> None:
    digits = national_digits(raw)
    if len(digits) != 10 or not digits.startswith(FICTION_PREFIXES):
        raise SystemExit(f"refusing non-fiction phone number: {raw!r}")


def auto_parts(text: str) -> list[tuple[str, str, str | None]]:
    parts: list[tuple[str, str, str | None]] = []
    pos = 0
    for m in AUTO_RE.finditer(text):
        kind = m.lastgroup
        value = m.group(0)
        if kind == "mention" and value[1:] not in HANDLES:
            raise SystemExit(f"unknown handle {value!r}")
        if kind == "phone":
            check_phone(value)
            if not (value.startswith("+") or " " in value):
                continue  # compact / dotted / dashed: left as plain text
        if m.start() > pos:
            parts.append(("plain", text[pos:m.start()], None))
        parts.append((kind, value, None))
        pos = m.end()
    if pos < len(text):
        parts.append(("plain", text[pos:], None))
    return parts


def parse(src: str) -> list[tuple[str, str, str | None]]:
    """Turn markup into a list of (type, text, href) parts."""
    parts: list[tuple[str, str, str | None]] = []
    pos = 0
    for m in MARKUP_RE.finditer(src):
        if m.start() > pos:
            parts.extend(auto_parts(src[pos:m.start()]))
        if m.group("label") is not None:
            parts.append(("text_link", m.group("label"), m.group("href")))
        else:
            kind = m.lastgroup
            parts.append((kind, m.group(kind), None))
        pos = m.end()
    if pos < len(src):
        parts.extend(auto_parts(src[pos:]))
    merged: list[tuple[str, str, str | None]] = []
    for part in parts:
        if part[1] == "":
            continue
        if merged and part[0] == "plain" and merged[-1][0] == "plain":
            merged[-1] = ("plain", merged[-1][1] + part[1], None)
        else:
            merged.append(part)
    for kind, text, _href in merged:
        if kind == "plain" and any(tok in text for tok in ("**", "~~", "||", "](")):
            raise SystemExit(f"unbalanced markup in {src!r}")
    # Safety net: every phone-looking string must be a fiction number.
    for m in PHONE_RE.finditer("".join(p[1] for p in merged)):
        check_phone(m.group(0))
    return merged


def text_fields(src: str) -> tuple[object, list[dict]]:
    """Return Telegram Desktop's ``text`` and ``text_entities`` values."""
    parts = parse(src)
    if not parts:
        return "", []
    entities = []
    for kind, text, href in parts:
        entity = {"type": kind, "text": text}
        if href is not None:
            entity["href"] = href
        entities.append(entity)
    if len(parts) == 1 and parts[0][0] == "plain":
        return parts[0][1], entities
    text_value = [e["text"] if e["type"] == "plain" else dict(e) for e in entities]
    return text_value, entities


# --------------------------------------------------------------------------
# Time helpers
# --------------------------------------------------------------------------

def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def unix(dt: datetime) -> str:
    return str(int(dt.replace(tzinfo=TZ).timestamp()))


def D(day: int, month: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, month, day, hh, mm, ss)


# --------------------------------------------------------------------------
# Message model
# --------------------------------------------------------------------------

class Timeline:
    """Messages of one channel before ids are assigned."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.msgs: list[dict] = []
        self.by_key: dict[str, dict] = {}

    def _photo(self, included: bool | None = None) -> dict:
        w, h = self.rng.choice([(1280, 960), (960, 1280), (1280, 1280),
                                (1280, 720), (1024, 1280)])
        if included is None:
            included = self.rng.random() < 0.6
        return {"w": w, "h": h, "size": self.rng.randint(58_000, 246_000),
                "included": included}

    def add(self, key: str, when: datetime, src: str = "", *, kind: str = "misc",
            photo: bool = False, buttons=None, reactions=None, reply_to=None,
            forwarded_from=None, service=None, lang: str = "fr",
            relay: bool = True, album: str | None = None,
            photo_data: dict | None = None) -> dict:
        if key in self.by_key:
            raise ValueError(f"duplicate key {key}")
        msg = {
            "key": key, "when": when, "versions": [(when, src, None)],
            "kind": kind, "lang": lang, "service": service,
            "photo": photo_data if photo_data else (self._photo() if photo else None),
            "buttons": buttons, "reactions": reactions, "reply_to": reply_to,
            "forwarded_from": forwarded_from, "deleted_at": None,
            "relay": relay and service is None, "album": album,
        }
        self.msgs.append(msg)
        self.by_key[key] = msg
        return msg

    def album(self, key: str, when: datetime, caption: str, n: int, **kw) -> list[dict]:
        out = [self.add(key, when, caption, photo=True, album=key, **kw)]
        for i in range(2, n + 1):
            out.append(self.add(f"{key}#{i}", when, "", photo=True, album=key,
                                kind=kw.get("kind", "misc"), relay=False))
        return out

    def edit(self, key: str, when: datetime, new_src: str) -> None:
        msg = self.by_key[key]
        assert when > msg["versions"][-1][0]
        msg["versions"].append((when, new_src, when))

    def delete(self, key: str, when: datetime) -> None:
        self.by_key[key]["deleted_at"] = when

    def reactions(self, big: bool = False) -> list[tuple[str, int]] | None:
        rng = self.rng
        if not big and rng.random() > 0.35:
            return None
        pool = ["🔥", "❤️", "👍", "😂", "🎄", "🎅", "💯", "🤝", "😍"]
        chosen = rng.sample(pool, rng.randint(1, 3))
        top = rng.randint(40, 260) if big else rng.randint(3, 120)
        counts = sorted((max(1, int(top * rng.uniform(0.05, 1.0))) for _ in chosen),
                        reverse=True)
        counts[0] = top
        return list(zip(chosen, sorted(counts, reverse=True)))

    def finalize(self) -> None:
        """Sort chronologically, make timestamps unique outside albums, number."""
        self.msgs.sort(key=lambda m: m["when"])  # stable: albums keep order
        seen: dict[datetime, str | None] = {}
        for msg in self.msgs:
            while msg["when"] in seen and not (
                    msg["album"] and seen[msg["when"]] == msg["album"]):
                shift = timedelta(minutes=1)
                msg["when"] += shift
                msg["versions"][0] = (msg["when"],) + msg["versions"][0][1:]
            seen[msg["when"]] = msg["album"]
        self.msgs.sort(key=lambda m: m["when"])
        for i, msg in enumerate(self.msgs, start=1):
            msg["id"] = i
        # sanity: edits/deletions happen after posting
        for msg in self.msgs:
            for when, _src, _ed in msg["versions"][1:]:
                assert when > msg["when"], msg["key"]
            if msg["deleted_at"]:
                assert msg["deleted_at"] > msg["when"], msg["key"]

    def id_of(self, key: str) -> int:
        return self.by_key[key]["id"]


def version_at(msg: dict, t: datetime) -> tuple[str, datetime | None]:
    src, edited = msg["versions"][0][1], None
    for when, vsrc, ved in msg["versions"]:
        if when <= t:
            src, edited = vsrc, ved
    return src, edited


# --------------------------------------------------------------------------
# Main channel content
# --------------------------------------------------------------------------

STD = "@drv13_standard"
BOT = "@drv13_commande_bot"

BTN_ORDER = [("🛒 Commander", "https://t.me/drv13_commande_bot")]
BTN_BACKUP = [("🆘 Canal de secours", "https://t.me/drv13_secours")]
BTN_REVIEWS = [("⭐ Avis clients", "https://t.me/drv13_avis")]
BTN_JOBS = [("📈 Postuler", "https://t.me/drv13_recrute")]

MENU_NOV = """🎄 **MENU DU DRIVE — NOVEMBRE** 🎄

🍃 **Beuh** (Amnesia / Gelato / Cali 🇺🇸)
▫️ 5g = 40€
▫️ 10g = 60€
▫️ 25g = 130€

🍫 **Shit** (Filtré / Pollen / Jaune mousseux)
▫️ 10g = 50€
▫️ 25g = 110€
▫️ 50g = 200€

❄️ **Coke** (frappe, écaille 🐟)
▫️ le G à 60
▫️ 3 pour 160
▫️ 5G = 250€

💊 **Ecsta / Taz**
▫️ 💊 x5 = 40€
▫️ 💊 x10 = 70€

🐴 **Kéta** : 1g = 40€
🚀 **3M (3-MMC)** : 1g = 35€ / 3 pour 100

🛵 Livraison 7j/7 de 14h à 2h
📲 Commande en privé : @drv13_standard
🤖 Bot : @drv13_commande_bot
#menu #drive13"""

MENU_MID_NOV = """📋 **MENU MIS À JOUR** 📋

🍃 Beuh Gelato 41 : 10g = 70€ | 25g = 150€
🍃 Beuh Amnesia : 10g = 60€ | 25g = 130€
🍫 Filtré 120u : 10g = 60 balles
🍫 Pollen : 25g = 110€
❄️ C.o.k.e : le G à 60 / 3 pour 160
💊 Taz : x5 = 40€
🐴 K3ta : 1g = 40€
🚀 3M : 3 pour 100

Paiement espèces / crypto ($USDT, $BTC)
Pas de mineurs ❌
👉 @drv13_standard"""

MENU_DEC = """🎄 **MENU DE DÉCEMBRE** 🎄

🍃 **Beuh**
▫️ 10g = 60€
▫️ 25g = 130€
▫️ 50g = 240€

🍫 **Shit / Filtré**
▫️ 10g = 50€
▫️ 25g = 110€

❄️ **Coco**
▫️ le G à 60
▫️ 3 pour 160

💊 **Taz** : x5 = 40€ / x10 = 70€
🐴 **Kéta** : 1g = 40€
🚀 **3-MMC** : 3 pour 100

🛵 Tous les jours 14h → 2h
📲 @drv13_standard | 🤖 @drv13_commande_bot
#menu #noel"""

MENU_DEC_XMAS = """🎄 **MENU DE DÉCEMBRE — PRIX DE NOËL** 🎅

🍃 **Beuh**
▫️ 10g = 50€
▫️ 25g = 115€
▫️ 50g = 210€

🍫 **Shit / Filtré**
▫️ 10g = 45€
▫️ 25g = 100€

❄️ **Coco**
▫️ le G à 50
▫️ 3 pour 140

💊 **Taz** : x5 = 35€ / x10 = 60€
🐴 **Kéta** : 1g = 35€
🚀 **3-MMC** : 3 pour 90

🛵 Tous les jours 14h → 2h (jusqu'à 4h les 24 et 31)
📲 @drv13_standard | 🤖 @drv13_commande_bot
#menu #noel"""

MENU_FETES = """🎅 **MENU SPÉCIAL FÊTES** 🎅

🍃 Beuh : 10g = 55€ | 25g = 120€
🍫 Shit : 10g = 45€ | 25g = 100€
❄️ C : le G à 55 | 3 pour 150 | 5G = 230€
💊 Taz : x5 = 35€
🐴 Kéta : 1g = 35€
🚀 3M : 3 pour 90

🎁 Box Noël dispo jusqu'au 24
🛵 12h → 4h pendant les fêtes
📲 @drv13_standard"""

ADVENT = [
    "1 taz 💊 offert dès 50€ d'achat",
    "-20 % sur tout le shit 🍫 (filtré et pollen)",
    "Livraison offerte 🛵 sur Aubagne / La Ciotat / Gémenos",
    "Le G de c0ke ❄️ à 50 au lieu de 60",
    "10g de beuh 🍃 achetés = 2g offerts",
    "3-MMC 🚀 : 3 pour 90 au lieu de 100",
    "Feuilles + filtres offerts 🎁 avec chaque commande",
    "Double tampon sur la carte fidélité 💳",
    "💊 x10 = 60€ au lieu de 70",
    "K3ta 🐴 : le G à 35",
    "Pochon mystère 🎁 à 20€ (beuh ou shit, surprise)",
    "1 pré-roulé 🍃 offert à chaque commande",
    "Frappe ❄️ (c o k e) : 3 pour 140",
    "Parrainage doublé : ramène un pote = 20€ offerts 🤝",
    "-15 % sur la Cali 🇺🇸",
    "Livraison jusqu'à 4h ce soir 🌙",
    "Pollen 🍫 : 25g = 100€",
    "Un briquet collector Drive du 13 🔥 offert",
    "Ecsta 💊 : 2 achetées = 1 offerte",
    "Box Noël 🎁 : 5g beuh + 5g shit + 1 taz = 70€",
    "Happy hour 18h-20h : -20 % sur TOUT",
    "C.o.k.e ❄️ : 5G = 220€",
    "Livraison offerte partout dans le 13 🛵",
    "🎅 GROSSE SURPRISE : -25 % sur tout + 1 taz offert jusqu'à minuit",
]

REVIEWS = [
    "⭐⭐⭐⭐⭐\n« Livré en 25 min à Aubagne, frappe de qualité, je recommande » — Karim",
    "⭐⭐⭐⭐⭐\n« La Gelato est incroyable 🍃 livreur poli et discret » — client du 13006",
    "⭐⭐⭐⭐\n« Un peu d'attente un samedi soir mais ça valait le coup » — Jess, La Ciotat",
    "⭐⭐⭐⭐⭐\n« Meilleur drive du 13, les taz sont propres 💊 » — Lucas",
    "⭐⭐⭐⭐⭐\n« Commande passée via le bot, nickel, rien à dire » — Mehdi, Vitrolles",
    "⭐⭐⭐⭐⭐\n« Le filtré 🍫 c'est de la bombe, merci la team » — Inès",
    "⭐⭐⭐⭐\n« Livreur arrivé en avance, k3ta nickel » — Tom, Aix",
    "⭐⭐⭐⭐⭐\n« Carte fidélité remplie, 11e commande offerte 🎁 merci » — Sofiane",
    "⭐⭐⭐⭐⭐\n« Box de Noël reçue emballée comme un vrai cadeau 🎁 trop fort » — Nadia, Allauch",
    "⭐⭐⭐⭐⭐\n« Livreur sympa même à 3h du mat, respect 🛵 » — Rayan, 13013",
    "⭐⭐⭐⭐\n« Le calendrier de l'Avent c'est une dinguerie 🎄 » — Julie, Aix",
]

ZONES = [
    "Marseille centre (13001 / 13002 / 13006)",
    "Noailles / Belsunce / Belle de Mai",
    "Vieux-Port / Cours Ju / La Plaine",
    "13004 / 13005 / 13012",
    "13008 → 13010",
    "13011 / 13012",
    "13013 / 13014 / 13015 / 13016",
    "Les Aygalades / 13015",
    "Aubagne / Gémenos",
    "La Ciotat",
    "Aix-en-Provence",
    "Vitrolles / Marignane",
    "Martigues",
    "Allauch / Plan-de-Cuques",
]

DOW = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def daily_open(rng: random.Random, day: datetime, number: str) -> str:
    zones = rng.sample(ZONES, rng.randint(2, 4))
    h1 = rng.choice([12, 13, 14, 14, 15])
    h2 = rng.choice([1, 2, 2, 3]) if day.weekday() < 4 else rng.choice([3, 4])
    delay = rng.choice([20, 30, 30, 45])
    xmas = day.month == 12
    tree = "🎄 " if xmas and rng.random() < 0.6 else ""
    style = rng.choice(["spaced", "compact", "intl", "dots", "spaced"])
    tpl = rng.randrange(6)
    if tpl == 0:
        return (f"{tree}🟢 **ON EST OUVERT** 🟢\n📍 {' | '.join(zones)}\n"
                f"🕑 {h1}h → {h2}h\n🛵 Livreurs dispo, {delay} min max\n📲 {STD}")
    if tpl == 1:
        return (f"☀️ Bonjour la famille, le drive est ouvert {tree}!\n"
                f"Stock plein : beuh 🍃 shit 🍫 C ❄️ taz 💊 kéta 🐴 3M 🚀\n"
                f"Livraison {', '.join(zones)} de {h1}h à {h2}h\n"
                f"Commande en privé 👉 {STD}")
    if tpl == 2:
        return (f"✅ OUVERT ✅ {DOW[day.weekday()]} {day.day:02d}/{day.month:02d}\n"
                f"{' • '.join(zones)} 🛵\n{h1}h-{h2}h | Espèces ou crypto\n"
                f"Pas de mineurs ❌")
    if tpl == 3:
        mini = rng.choice([30, 40, 50])
        return (f"🔥 Service en cours 🔥 Les livreurs tournent sur "
                f"{', '.join(zones)}. Minimum {mini}€. DM {STD} {tree}".rstrip())
    if tpl == 4:
        return (f"{tree}📦 Drive ouvert de {h1}h à {h2}h\n📍 {' | '.join(zones)}\n"
                f"📲 {phone(number, style)} (SMS) ou {STD}\n⏱ {delay} min en moyenne")
    return (f"🚀 C'est parti pour aujourd'hui {tree}".rstrip() + "\n🍃🍫❄️💊 tout est dispo\n"
            f"Zones : {', '.join(zones)}\nCommandes : {BOT} ou {STD}")


def night_post(rng: random.Random, day: datetime) -> str:
    zones = rng.sample(ZONES, 2)
    return (f"🌙 **SERVICE DE NUIT** 🌙\nLivraisons jusqu'à {rng.choice([3, 4])}h "
            f"sur {zones[0]} et {zones[1]}\n📲 {STD}")


def build_main(rng: random.Random) -> Timeline:
    tl = Timeline(rng)
    R = tl.reactions
    ch = {"action": "create_channel", "title": MAIN["name"]}

    # --- Launch -----------------------------------------------------------
    tl.add("create", D(1, 11, 9, 0), service=ch)
    tl.add("channel_photo", D(1, 11, 9, 2),
           service={"action": "edit_group_photo"},
           photo_data={"w": 640, "h": 640, "size": 41_233, "included": False})
    tl.add("welcome", D(1, 11, 10, 15), (
        "🎄 **BIENVENUE SUR LE DRIVE DU 13** 🎄\n\n"
        "Livraison discrète 7j/7 dans tout le 13 🛵\n"
        "🍃 Beuh | 🍫 Shit | ❄️ C | 💊 Taz | 🐴 Kéta | 🚀 3M\n\n"
        f"📲 Commande en privé : {STD}\n"
        f"🤖 Bot de commande : {BOT}\n"
        "🆘 Canal de secours : t.me/drv13_secours\n"
        "👻 Snap : drv13.noel | 🔐 Signal : drv13.26 | 🥔 Potato : drv13_potato\n\n"
        "⚠️ Pas de mineurs. Paiement espèces ou crypto ($USDT / $BTC).\n"
        "#drive13 #marseille"),
        kind="contact", reactions=R(big=True),
        buttons=[[("🛒 Commander", "https://t.me/drv13_commande_bot?start=bienvenue")],
                 BTN_BACKUP])
    tl.add("pin_welcome", D(1, 11, 10, 16),
           service={"action": "pin_message", "target": "welcome"})
    tl.album("menu_nov", D(1, 11, 14, 0, 12), MENU_NOV, 3, kind="menu",
             reactions=R(big=True))
    tl.add("zones", D(1, 11, 18, 30, 41), (
        "🛵 **ZONES DE LIVRAISON**\n\n"
        "📍 Marseille : 13001 → 13016 (Noailles, Belsunce, Belle de Mai, Joliette, "
        "La Plaine, Prado…)\n"
        "📍 Aubagne / Gémenos / La Ciotat\n"
        "📍 Allauch / Plan-de-Cuques\n"
        "📍 Aix-en-Provence\n"
        "📍 Vitrolles / Marignane\n\n"
        "🕑 Tous les jours de 14h à 2h (vendredi-samedi jusqu'à 4h)\n"
        "💶 Minimum de commande : 40€ (80€ hors Marseille)\n"
        f"📲 {STD}"), kind="zones", reactions=R())
    tl.add("rules", D(2, 11, 20, 3, 9), (
        "📜 **LES RÈGLES DU DRIVE**\n"
        "1️⃣ Commande en privé uniquement, pas d'appel ☎️❌\n"
        "2️⃣ Pas de mineurs, on vérifie 🔞\n"
        "3️⃣ Paiement espèces à la livraison ou crypto (demande l'adresse au bot)\n"
        "4️⃣ Soyez à l'adresse, le livreur attend 5 min max ⏱\n"
        "5️⃣ Pas de vocal, pas de photo de votre tête 🙏\n"
        "__Merci de respecter, c'est pour la sécurité de tous__ 🤝"),
        kind="rules", reactions=R())
    tl.add("en_1", D(3, 11, 17, 44, 30), (
        "🇬🇧 **ENGLISH SPOKEN** 🇬🇧\n"
        "Delivery all over Marseille 🚀 Aix, Aubagne, La Ciotat too\n"
        "Weed 🍃 hash 🍫 coke ❄️ pills 💊\n"
        f"Order by DM only 👉 {STD}\n"
        "Cash or crypto. No minors."), kind="foreign", lang="en")
    tl.add("job_1", D(4, 11, 14, 7, 51), (
        "📢 **ON RECRUTE** 📢\n"
        "👀 Guetteur : 100€/jour\n"
        "🛵 Livreur (scooter fourni) : 250€/jour\n"
        "📦 Nourrice / stockage : à discuter\n"
        "✅ Paiement chaque soir\n"
        "📈 Évolution rapide : guetteur → livreur → gérant de zone\n"
        f"Sérieux uniquement, DM @drv13_recrute ou SMS au {phone(PHONE_RECRUIT, 'dashes')}"),
        kind="job", photo=True, buttons=[BTN_JOBS], reactions=R())
    tl.add("contacts", D(5, 11, 12, 40, 17), (
        "📲 **CONTACTS** 📲\n"
        f"Commandes : {STD}\n"
        "SAV / réclamations : @drv13_sav\n"
        "Recrutement : @drv13_recrute\n"
        f"Urgences : {phone(PHONE_STANDARD_OLD, 'intl')} (SMS)\n"
        "Avis clients : https://t.me/drv13_avis\n"
        "🛒 [Commande ici](https://t.me/drv13_commande_bot)"), kind="contact", reactions=R())
    tl.add("gelato", D(6, 11, 15, 12, 3), (
        "🍃 Nouvelle beuh en stock : **Gelatto 41** 🔥\n"
        "10g = 70€ | 25g = 150€\n"
        "Qualité Cali 🇺🇸, ça part vite !"), kind="menu", photo=True, reactions=R())
    tl.edit("gelato", D(6, 11, 15, 19, 44), (
        "🍃 Nouvelle beuh en stock : **Gelato 41** 🔥\n"
        "10g = 70€ | 25g = 150€\n"
        "Qualité Cali 🇺🇸, ça part vite !"))
    tl.add("fidelite", D(9, 11, 11, 2, 36), (
        "💳 **CARTE FIDÉLITÉ** 💳\n"
        "1 commande = 1 tampon\n"
        "10 tampons = la 11e offerte (jusqu'à 60€) 🎁\n"
        "Demande ta carte au livreur 🛵"), kind="promo",
        buttons=[BTN_ORDER], reactions=R())
    tl.album("arrivage", D(10, 11, 16, 20, 5), (
        "🔥 **ARRIVAGE** 🔥\n"
        "🍃 Gelato 41 / Zkittlez / Amnesia\n"
        "🍫 Filtré 120u + Pollen\n"
        "❄️ De la frappe, écaille 🐟\n"
        f"Tout est dispo dès maintenant 📲 {STD}"), 2, kind="menu", reactions=R(big=True))
    tl.add("es_1", D(12, 11, 19, 5, 40), (
        "🇪🇸 **Envío rápido** a toda Marsella 🛵\n"
        "Hierba 🍃, hachís 🍫, coca ❄️, pastillas 💊\n"
        f"Pedidos por privado 👉 {STD}\n"
        "Pago en efectivo o cripto. Prohibido a menores."), kind="foreign", lang="es")
    tl.add("police_1", D(13, 11, 16, 45, 2), (
        "🚨 Grosse présence bleue 🚔 sur Aubagne cet aprem, pause des livraisons 2h.\n"
        "Reprise vers 19h, merci de votre patience 🙏"), kind="info")
    tl.add("retrait", D(14, 11, 18, 10, 27), (
        "📍 **NOUVEAU** : retrait sur place possible à la résidence Les Galets Bleus "
        "(Vitrolles), tous les soirs 18h-22h 🚗\n"
        f"Demande le code en privé {STD}"), kind="info")
    tl.delete("retrait", D(13, 12, 22, 4, 0))
    tl.add("socials", D(16, 11, 13, 55, 8), (
        "👻 Ajoutez-nous sur Snap : **drv13.noel**\n"
        "🥔 Potato : drv13_potato\n"
        "🔐 Signal : drv13.26\n"
        "Au cas où Telegram nous coupe 🙃"), kind="contact")
    tl.album("reviews_1", D(16, 11, 20, 30, 0),
             "📸 Vos retours de la semaine 🙏 merci la famille ❤️", 3,
             kind="review", reactions=R())
    tl.add("menu_mid", D(17, 11, 14, 2, 45), MENU_MID_NOV, kind="menu",
           buttons=[BTN_ORDER, BTN_REVIEWS], reactions=R(big=True))
    tl.add("job_2", D(18, 11, 10, 30, 12), (
        "🛵 Recherche **livreurs Aix / Vitrolles**\n"
        "Permis B ou scooter, 250€/jour + primes 💶\n"
        "📈 Plan de carrière : au bout d'1 mois → chef d'équipe à 400€/jour\n"
        "DM @drv13_recrute"), kind="job", buttons=[BTN_JOBS])
    tl.add("standard", D(20, 11, 11, 11, 11), (
        "☎️ **STANDARD** ☎️\n"
        f"📲 {phone(PHONE_STANDARD_OLD)} (SMS, Signal, Telegram)\n"
        "📵 Pas d'appel, pas de vocal\n"
        f"Ou direct ici 👉 {STD}"), kind="contact", reactions=R())
    tl.edit("standard", D(11, 12, 9, 30, 0), (
        "⚠️ **NOUVEAU NUMÉRO** ⚠️\n"
        f"L'ancien ({phone(PHONE_STANDARD_OLD)}) est grillé 🔥 supprimez-le\n"
        f"📲 {phone(PHONE_STANDARD_NEW)} (SMS, Signal, Telegram)\n"
        "📵 Pas d'appel, pas de vocal\n"
        f"Ou direct ici 👉 {STD}"))
    tl.add("ar_1", D(21, 11, 18, 40, 55), (
        "🇲🇦 توصيل سريع لكل مرسيليا 🛵\n"
        f"للطلب راسلونا في الخاص 👉 {STD}\n"
        "الدفع نقدًا أو بالعملات الرقمية\n"
        "ممنوع على القاصرين 🔞"), kind="foreign", lang="ar")
    tl.add("review_1", D(22, 11, 21, 14, 9), "💬 **AVIS CLIENTS** 💬\n" + REVIEWS[0],
           kind="review", reactions=R())
    tl.add("scam", D(24, 11, 12, 5, 31), (
        "⚠️ **ARNAQUE** ⚠️\n"
        "Des faux comptes se font passer pour nous : @drv13_officiel_vrai, "
        f"{phone(PHONE_SCAM_1)}, {phone(PHONE_SCAM_2, 'dots')}\n"
        "C'est PAS nous ❌ On ne demande JAMAIS d'acompte.\n"
        f"Nos seuls contacts : {STD} et {BOT}"), kind="contact", reactions=R())
    tl.add("job_3", D(25, 11, 9, 48, 20), (
        "🚨 **URGENT** 🚨\n"
        "Recherche livreur La Ciotat / Aubagne 🛵\n"
        "💶 250€/jour, payé chaque soir\n"
        "🕑 14h-2h, scooter fourni\n"
        "📈 Évolution rapide → chef de zone\n"
        "DM @drv13_recrute"), kind="job", buttons=[BTN_JOBS])
    tl.edit("job_3", D(18, 12, 20, 15, 0), (
        "✅ **POSTE POURVU** merci à tous ✅\n"
        "~~Recherche livreur La Ciotat / Aubagne 🛵~~\n"
        "💶 250€/jour, payé chaque soir\n"
        "🕑 14h-2h, scooter fourni\n"
        "📈 Évolution rapide → chef de zone\n"
        "DM @drv13_recrute"))
    tl.add("bf_teaser", D(26, 11, 19, 0, 4), (
        "🖤 Demain c'est **BLACK FRIDAY** 🖤\n"
        "-20 % sur TOUT le menu, toute la journée\n"
        "Préparez vos commandes 😉 ||cadeau pour les 10 premiers||"),
        kind="promo", reactions=R())
    tl.album("bf", D(27, 11, 8, 0, 0), (
        "🖤 **BLACK FRIDAY** 🖤\n"
        "Aujourd'hui seulement : **-20 %** sur TOUT le menu 🔥\n"
        "🍃 10g = 48€ au lieu de 60\n"
        "❄️ le G à 48 au lieu de 60\n"
        "💊 x5 = 32€\n"
        "Livraison offerte dès 80€ 🛵\n"
        "#BlackFriday #drive13"), 2, kind="promo", reactions=R(big=True))
    tl.add("pin_bf", D(27, 11, 8, 1, 0),
           service={"action": "pin_message", "target": "bf"})
    tl.add("bf_ext", D(28, 11, 11, 0, 37), (
        "🔥 Vous avez tout cassé hier 🔥 Le **Black Friday** est prolongé tout le "
        "week-end 👆"), kind="promo", reply_to="bf", reactions=R())
    tl.add("zones_2", D(28, 11, 17, 22, 6), (
        "🛵 Mise à jour des zones : on livre maintenant **Gémenos** et **Allauch** 📍\n"
        "Horaires : 14h → 2h\n"
        f"📲 {STD}"), kind="zones")
    tl.edit("zones_2", D(20, 12, 13, 40, 0), (
        "🛵 Mise à jour des zones : on livre maintenant **Gémenos**, **Allauch** et "
        "**Martigues** 📍\n"
        "Horaires des fêtes 🎄 : 12h → 4h\n"
        f"📲 {STD}"))
    tl.add("cyber", D(30, 11, 11, 0, 50), (
        "💻 **CYBER MONDAY** 💻\n"
        "Commande via le bot = -15 % 🤖\n"
        f"👉 /start sur {BOT}\n"
        "Valable jusqu'à minuit"), kind="promo",
        buttons=[[("🤖 Ouvrir le bot", "https://t.me/drv13_commande_bot?start=cyber")]],
        reactions=R())
    tl.add("advent_announce", D(30, 11, 18, 0, 0), (
        "🎄🎁 **LE CALENDRIER DE L'AVENT DU DRIVE** 🎁🎄\n"
        "Du 1er au 24 décembre, chaque matin une surprise 🎅\n"
        "Promos, cadeaux, livraisons offertes…\n"
        "Activez les notifs 🔔 et restez connectés !\n"
        "#calendrier #noel"), kind="promo", photo=True,
        buttons=[BTN_BACKUP], reactions=R(big=True))
    tl.add("pin_advent", D(30, 11, 18, 1, 0),
           service={"action": "pin_message", "target": "advent_announce"})

    # --- December -----------------------------------------------------------
    tl.album("menu_dec", D(1, 12, 9, 30, 0), MENU_DEC, 4, kind="menu",
             reactions=R(big=True))
    tl.edit("menu_dec", D(14, 12, 10, 2, 0), MENU_DEC_XMAS)
    tl.add("pin_menu_dec", D(1, 12, 9, 31, 0),
           service={"action": "pin_message", "target": "menu_dec"})
    tl.add("lines", D(2, 12, 15, 33, 42), (
        f"☎️ Nouvelle ligne Signal / WhatsApp : {phone(PHONE_VOIP, 'dots')}\n"
        f"📦 Grosses commandes (100g et +) : appelle le {phone(PHONE_GARAGE)} "
        "et demande « Momo »\n"
        "💼 Pour les pros : drive13.gros@example.net"), kind="contact")
    tl.add("flash", D(3, 12, 19, 0, 14), (
        "💥 **FLASH PROMO** 💥\n"
        "Coke ❄️ à 40 le G jusqu'à minuit !!\n"
        f"Premier arrivé premier servi 📲 {STD}"), kind="promo", reactions=R())
    tl.delete("flash", D(11, 12, 8, 12, 0))
    tl.add("job_4", D(5, 12, 13, 20, 3), (
        "📦 **PRÉPARATEUR DE COMMANDES** 📦\n"
        "150€/jour, logé nourri 🏠\n"
        "Secteur 13011 / Aubagne\n"
        f"📈 Évolution rapide, formation assurée\n"
        f"Contact : @drv13_recrute ou {phone(PHONE_RECRUIT, 'compact')}"),
        kind="job", buttons=[BTN_JOBS])
    tl.add("parrainage", D(6, 12, 12, 12, 12), (
        "🤝 **PARRAINAGE** 🤝\n"
        "Ramène un pote = 10€ offerts pour toi ET pour lui\n"
        "Donne ton code au livreur 🛵"), kind="promo", buttons=[BTN_ORDER])
    tl.add("closed_1", D(7, 12, 17, 50, 30), (
        "⛔ Fermé ce soir (souci logistique), reprise demain 14h 🙏"), kind="info")
    tl.add("bot_down", D(8, 12, 14, 20, 44), (
        "🤖 Le bot est en panne ⚠️ passez par @drv13_standard ou @drv13_sav "
        "le temps qu'on répare"), kind="info",
        buttons=[[("💬 Écrire au standard", "https://t.me/drv13_standard")]])
    tl.delete("bot_down", D(15, 12, 10, 0, 0))
    tl.add("en_2", D(9, 12, 16, 18, 2), (
        "🎄 Tourists & students welcome! Fast delivery in 30 min in Marseille "
        f"centre. Message {STD}, English OK 👍"), kind="foreign", lang="en")
    tl.add("review_2", D(9, 12, 21, 2, 58), "💬 **AVIS CLIENTS** 💬\n" + REVIEWS[1],
           kind="review", reactions=R())
    # after the first export (10 Dec, 16:00)
    tl.add("new_number", D(11, 12, 9, 35, 0), (
        "☝️ Nouveau numéro, mettez à jour vos contacts : "
        f"{phone(PHONE_STANDARD_NEW, 'compact')}"), kind="contact", reply_to="standard")
    tl.album("box_noel", D(12, 12, 17, 45, 0), (
        "🎁 **BOX DE NOËL** 🎁\n"
        "🍃 5g beuh + 🍫 5g shit + 💊 x2 = **70€**\n"
        "❄️ Box premium : + 1G de C = **120€**\n"
        "Livrée dans un emballage cadeau 🎄🎅\n"
        "Jusqu'au 24 décembre"), 2, kind="promo", reactions=R(big=True))
    tl.add("job_5", D(16, 12, 11, 41, 7), (
        "🎄 **RENFORT DES FÊTES** 🎄\n"
        "On cherche 3 livreurs 🛵 + 2 guetteurs 👀\n"
        "💶 300€/jour du 20 au 31 décembre\n"
        "📈 Les meilleurs restent en 2027 avec évolution rapide\n"
        "DM @drv13_recrute"), kind="job", buttons=[BTN_JOBS], reactions=R())
    tl.add("police_2", D(17, 12, 19, 26, 0), (
        "🚨 Contrôles sur l'A50 vers La Ciotat, délais rallongés ce soir ⏱"),
        kind="info")
    tl.add("es_2", D(19, 12, 12, 50, 10), (
        "🇪🇸 ¡Feliz Navidad! 🎄 2x1 en pastillas 💊 hasta el 25 de diciembre.\n"
        f"Pedidos: {BOT}"), kind="foreign", lang="es")
    tl.album("reviews_2", D(20, 12, 20, 0, 0),
             "📸 Encore merci pour vos retours 🙏🎄 Vous êtes les meilleurs", 3,
             kind="review", reactions=R())
    tl.add("menu_fetes", D(21, 12, 10, 45, 0), MENU_FETES, kind="menu", photo=True,
           buttons=[BTN_ORDER, BTN_BACKUP], reactions=R(big=True))
    tl.add("pin_fetes", D(21, 12, 10, 46, 0),
           service={"action": "pin_message", "target": "menu_fetes"})
    tl.add("review_3", D(22, 12, 22, 10, 3), "💬 **AVIS CLIENTS** 💬\n" + REVIEWS[2],
           kind="review")
    tl.add("advent_last", D(24, 12, 18, 0, 30), (
        "⏳ Dernier jour du calendrier 🎁 profitez-en jusqu'à minuit 👆"),
        kind="promo", reply_to="advent_announce")
    tl.add("xmas_eve", D(24, 12, 23, 12, 37), (
        "🎅🎄 **JOYEUX NOËL LA FAMILLE** 🎄🎅\n"
        "Merci pour votre fidélité cette année 🙏\n"
        "Les livreurs tournent encore jusqu'à 4h cette nuit 🛵\n"
        f"📲 {STD}"), kind="festive", reactions=R(big=True))
    tl.add("xmas_night", D(25, 12, 0, 41, 5), (
        "🌙 Encore 2 livreurs en service : Aubagne / La Ciotat et 13008 → 13010\n"
        "Commandez maintenant, dernier passage 3h30"), kind="info")
    tl.add("en_3", D(25, 12, 15, 0, 0), (
        "🎅 Merry Christmas from Le Drive du 13! Open tonight 18h-4h 🚀\n"
        f"Order: {BOT}"), kind="foreign", lang="en")
    tl.add("soldes", D(26, 12, 13, 13, 13), (
        "🏷️ **SOLDES D'APRÈS NOËL** 🏷️\n"
        "-20 % sur le shit 🍫 et la beuh 🍃 jusqu'au 31\n"
        "10g = 48€ | 25g = 104€\n"
        f"📲 {STD}"), kind="promo", buttons=[BTN_ORDER], reactions=R())
    tl.add("review_4", D(27, 12, 19, 48, 0), "💬 **AVIS CLIENTS** 💬\n" + REVIEWS[7],
           kind="review", reactions=R())
    tl.add("job_6", D(28, 12, 12, 0, 40), (
        "🚀 **ON RECRUTE POUR 2027** 🚀\n"
        "Guetteur 120€/jour • Livreur 250€/jour • Chef d'équipe 400€/jour\n"
        "📈 Plan de carrière : évolution en 1 mois si t'es sérieux\n"
        f"DM @drv13_recrute | SMS {phone(PHONE_RECRUIT, 'intl')}"),
        kind="job", photo=True, buttons=[BTN_JOBS], reactions=R())
    tl.add("ar_2", D(29, 12, 18, 20, 0), (
        "🎆 عروض خاصة بمناسبة رأس السنة\n"
        "توصيل مجاني في كل مرسيليا 🛵\n"
        f"👉 {BOT}"), kind="foreign", lang="ar")
    tl.add("reveillon_1", D(30, 12, 14, 10, 21), (
        "🥂 **COMMANDES DU RÉVEILLON** 🥂\n"
        "Réservez avant le 31 à 18h, livraisons jusqu'à 5h le 1er janvier\n"
        "Box Nouvel An 🎆 : 10g beuh + 1G C + 💊 x5 = 130€\n"
        f"📲 {STD} | {phone(PHONE_STANDARD_NEW, 'intl_compact')}"),
        kind="promo", buttons=[BTN_ORDER], reactions=R())
    tl.add("reveillon_2", D(31, 12, 17, 30, 0), (
        "🎆 Dernier créneau de commande pour ce soir : 22h ⏰\n"
        "Après on ne prend plus que les urgences 😅"), kind="info")
    tl.add("bonne_annee", D(31, 12, 20, 30, 0), (
        "🎆 **BONNE ANNÉE 2027** en avance la famille 🥂\n"
        "Merci pour tout, rendez-vous l'année prochaine 😉\n"
        "#drive13"), kind="festive", reactions=R(big=True))

    # --- Advent calendar: one post per day, 1-24 December ----------------------
    for day in range(1, 25):
        minute = rng.randint(0, 25)
        src = (f"🎄 **CALENDRIER DE L'AVENT — JOUR {day}** 🎁\n"
               f"{ADVENT[day - 1]}\n"
               "⏳ Valable aujourd'hui seulement, jusqu'à 2h\n"
               f"📲 Code « AVENT{day} » en privé {STD}\n"
               "#calendrier")
        when = D(day, 12, 10, minute, rng.randint(0, 59))
        if day == 24:
            tl.album("advent_24", when, src, 2, kind="advent", reactions=R(big=True))
        else:
            tl.add(f"advent_{day:02d}", when, src, kind="advent",
                   photo=day in (1, 6, 12, 18),
                   buttons=[BTN_ORDER] if day % 5 == 0 else None,
                   reactions=R())

    # --- Daily "open" posts and weekend night posts -----------------------------
    day = D(2, 11, 0, 0)
    sunday_reviews = [3, 4, 5, 6, 8, 9, 10]
    while day.date() <= D(31, 12, 0, 0).date():
        number = PHONE_STANDARD_OLD if day < D(11, 12, 9, 30) else PHONE_STANDARD_NEW
        if day.month == 12 and day.day in (7, 25):
            day += timedelta(days=1)
            continue
        if rng.random() < 0.85:
            when = day + timedelta(hours=rng.randint(11, 13), minutes=rng.randint(0, 59),
                                   seconds=rng.randint(0, 59))
            tl.add(f"open_{day:%m%d}", when, daily_open(rng, day, number),
                   kind="open", reactions=R())
        if day.weekday() in (4, 5) and rng.random() < 0.7:
            when = day + timedelta(hours=22, minutes=rng.randint(0, 50),
                                   seconds=rng.randint(0, 59))
            tl.add(f"night_{day:%m%d}", when, night_post(rng, day), kind="open")
        if day.weekday() == 6 and sunday_reviews:
            idx = sunday_reviews.pop(0)
            when = day + timedelta(hours=18, minutes=rng.randint(0, 59))
            tl.add(f"review_s{idx}", when,
                   "💬 **AVIS CLIENTS** 💬\n" + REVIEWS[idx], kind="review",
                   reactions=R())
        day += timedelta(days=1)

    tl.finalize()
    return tl


# --------------------------------------------------------------------------
# Relay channels
# --------------------------------------------------------------------------

EMOJI_SWAPS = [("🍃", "🌿"), ("❄️", "⛄"), ("🔥", "💥"), ("🎄", "🌲"), ("💊", "🍬"),
               ("🚀", "🛸"), ("📦", "🎁"), ("🛵", "🏍️"), ("🍫", "🟫"), ("🐴", "🦄"),
               ("📲", "📱"), ("▫️", "•")]
KNOWN_EMOJI = ["🍃", "❄️", "🔥", "🎄", "💊", "🚀", "📦", "🛵", "🍫", "🐴", "📲", "🎁",
               "🎅", "✅", "📍", "🕑", "⏳"]
OBFUSCATIONS = [
    (r"\bCoke\b", ["C0ke", "C.o.k.e", "C o k e"]),
    (r"\bcoke\b", ["c0ke", "c.o.k.e", "c o k e"]),
    (r"\bCoco\b", ["C0c0", "C.o.c.o"]),
    (r"\bcoca\b", ["c0ca"]),
    (r"\bKéta\b", ["K3ta", "K.e.t.a"]),
    (r"\bkéta\b", ["k3ta", "k.e.t.a"]),
    (r"\bBeuh\b", ["B3uh", "Beu"]),
    (r"\bbeuh\b", ["b3uh", "beu"]),
    (r"\bShit\b", ["Sh1t", "5hit"]),
    (r"\bshit\b", ["sh1t", "5hit"]),
    (r"\bEcsta\b", ["3csta", "Xta"]),
    (r"\bTaz\b", ["T@z", "T4z"]),
    (r"\btaz\b", ["t4z"]),
    (r"\bfrappe\b", ["fr4ppe"]),
    (r"\bFrappe\b", ["Fr4ppe"]),
    (r"3-MMC", ["3-M.M.C", "3MMC"]),
]
PRICE_RE = re.compile(r"(?<![\d.,])(\d{2,3})(?=\s?(?:€|balles))"
                      r"|(?:(?<=G à )|(?<= pour ))(\d{2,3})(?![\d€])")
BULLET_RE = re.compile(r"^(▫️|🍃|🍫|❄️|💊|🐴|🚀|📍|[1-9]️⃣)")


def _safe_line(line: str) -> bool:
    return not any(tok in line for tok in ("@", "http", "t.me", "](", "#", "$"))


def t_price(src, rng, relay):
    matches = list(PRICE_RE.finditer(src))
    if not matches:
        return None
    m = rng.choice(matches)
    group = 1 if m.group(1) else 2
    old = int(m.group(group))
    new = max(5, old + rng.choice([-10, -5, 5, 10]))
    return src[:m.start(group)] + str(new) + src[m.end(group):]


def t_emoji_swap(src, rng, relay):
    present = [pair for pair in EMOJI_SWAPS if pair[0] in src]
    if not present:
        return None
    for a, b in rng.sample(present, min(len(present), rng.randint(1, 2))):
        src = src.replace(a, b)
    return src


def t_emoji_add(src, rng, relay):
    lines = src.split("\n")
    lines[0] = lines[0] + " " + rng.choice(["🔥🔥", "💯", "🎄🎄", "🚀", "‼️"])
    return "\n".join(lines)


def t_emoji_remove(src, rng, relay):
    present = [e for e in KNOWN_EMOJI if e in src]
    if not present:
        return None
    e = rng.choice(present)
    out = src.replace(e + " ", "").replace(" " + e, "").replace(e, "")
    return out


def t_casing(src, rng, relay):
    lines = src.split("\n")
    if not _safe_line(lines[0]):
        return None
    plain = re.sub(r"[*_~|]", "", lines[0])
    if plain.upper() == plain:
        lines[0] = lines[0].lower()
    else:
        lines[0] = lines[0].upper()
    return "\n".join(lines)


def t_footer(src, rng, relay):
    footer = rng.choice(relay["footers"])
    if footer in src:
        return None
    return src + "\n\n" + footer


def t_reorder(src, rng, relay):
    lines = src.split("\n")
    runs, start = [], None
    for i, line in enumerate(lines + [""]):
        if i < len(lines) and BULLET_RE.match(line) and _safe_line(line):
            if start is None:
                start = i
        else:
            if start is not None and i - start >= 2:
                runs.append((start, i))
            start = None
    if not runs:
        return None
    a, b = rng.choice(runs)
    block = lines[a:b]
    for _ in range(5):
        shuffled = block[:]
        rng.shuffle(shuffled)
        if shuffled != block:
            return "\n".join(lines[:a] + shuffled + lines[b:])
    return None


def t_obfuscate(src, rng, relay):
    candidates = [(pat, subs) for pat, subs in OBFUSCATIONS if re.search(pat, src)]
    if not candidates:
        return None
    for pat, subs in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
        src = re.sub(pat, rng.choice(subs), src)
    return src


def t_contact(src, rng, relay):
    if STD not in src:
        return None
    return src.replace(STD, "@" + relay["handle"])


TRANSFORMS = {
    "price": ("P", t_price), "emoji_swap": ("E", t_emoji_swap),
    "emoji_add": ("A", t_emoji_add), "emoji_remove": ("X", t_emoji_remove),
    "casing": ("C", t_casing), "footer": ("F", t_footer),
    "reorder": ("R", t_reorder), "obfuscate": ("O", t_obfuscate),
    "contact": ("S", t_contact),
}


def vary(src: str, rng: random.Random, relay: dict) -> tuple[str, str]:
    """Apply a few small changes to a copied advert; return (src, codes)."""
    codes = []
    out = src
    for name, p in relay["transforms"].items():
        if rng.random() < p:
            code, fn = TRANSFORMS[name]
            changed = fn(out, rng, relay)
            if changed is not None and changed != out:
                out, codes = changed, codes + [code]
    if set(codes) <= {"F"} and rng.random() < 0.7:
        # footer-only copies are common but not the rule: add one more change
        names = [n for n in relay["transforms"] if n != "footer"]
        rng.shuffle(names)
        for name in names:
            code, fn = TRANSFORMS[name]
            changed = fn(out, rng, relay)
            if changed is not None and changed != out:
                out, codes = changed, codes + [code]
                break
    if out == src or not codes:
        out = t_footer(out, rng, relay) or (out + "\n\n" + relay["footers"][0])
        codes.append("F")
    # markup must stay balanced after the changes
    parse(out)
    return out, "".join(codes)


# Copies that must exist whatever the dice say (key, relay slug, mode, minutes).
FORCED = [
    ("retrait", "marius-delivery", "copy", 95),
    ("flash", "bons-plans-13", "copy", 22),
    ("menu_dec", "bons-plans-13", "copy", 41),
    ("menu_dec", "marius-delivery", "copy", 190),
    ("menu_dec", "drive-13-secours", "forward", 12),
    ("standard", "drive-13-secours", "forward", 15),
    ("bf", "drive-13-secours", "forward", 10),
    ("bf", "bons-plans-13", "copy", 64),
    ("job_3", "bons-plans-13", "copy", 130),
    ("zones_2", "marius-delivery", "copy", 48),
    ("xmas_eve", "bons-plans-13", "copy", 55),
    ("en_1", "drive-13-secours", "forward", 20),
    ("es_1", "marius-delivery", "copy", 33),
    ("ar_1", "marius-delivery", "copy", 71),
    ("menu_mid", "marius-delivery", "copy", 140),
    ("advent_24", "drive-13-secours", "forward", 11),
]


def relay_own_posts(tl: Timeline, relay: dict) -> None:
    R = tl.reactions
    slug = relay["slug"]
    created = relay["created"]
    tl.add("create", created, service={"action": "create_channel",
                                       "title": relay["name"]})
    if slug == "bons-plans-13":
        tl.add("intro", created + timedelta(minutes=5), (
            "Bienvenue sur **Bons Plans 13** 🔥\n"
            "Ici on repost les meilleurs menus du 13 : beuh, shit, coco, taz, kéta…\n"
            "Tout est vérifié ✅ Pas de mineurs ❌\n"
            "Notre partenaire n°1 : @drv13_noel 🎄\n"
            "Abonne-toi et partage 👉 t.me/bonsplans13_fx"), kind="own", reactions=R())
        tl.add("pin_intro", created + timedelta(minutes=6),
               service={"action": "pin_message", "target": "intro"})
        tl.add("own_en", D(12, 11, 20, 31, 0), (
            "🇬🇧 Delivery all over Marseille 🚀 Best prices in the 13.\n"
            f"Weed, hash, coke, pills. DM {STD}"), kind="own", lang="en")
        tl.add("own_code", D(19, 11, 15, 0, 0),
               f"Code promo **BONSPLANS** = -10 % chez {STD} 😉", kind="own")
        tl.edit("own_code", D(19, 11, 15, 16, 0),
                f"Code promo **BONSPLANS** = -15 % chez {STD} 😉")
        tl.add("own_review", D(29, 11, 19, 10, 0), (
            "⭐ Avis de la semaine : « Commande reçue en 20 min à Marignane, "
            "rien à dire » — Yanis"), kind="own")
        tl.add("own_scam", D(3, 12, 9, 15, 0), (
            f"⚠️ Le {phone(PHONE_SCAM_3)} qui vous écrit sur WhatsApp c'est un fake, "
            "on ne vend RIEN en direct ici"), kind="own")
        tl.add("own_1000", D(6, 12, 18, 0, 0),
               "Vous êtes de plus en plus nombreux 🙏 1 000 abonnés 🎉 merci la mif",
               kind="own", reactions=R(big=True))
        tl.add("own_contest", D(13, 12, 12, 0, 0), (
            "🎄 **CONCOURS** : partage le canal, 3 gagnants tirés au sort le 20/12 → "
            "1 box Noël offerte 🎁"), kind="own", reactions=R())
        tl.add("own_winners", D(20, 12, 21, 0, 0),
               "🎁 Gagnants du concours : contactez @bonsplans13_fx en privé",
               kind="own", reply_to="own_contest")
        tl.add("own_backup", D(27, 12, 16, 20, 0),
               "Rejoins le canal de secours @drv13_secours si on saute 🆘", kind="own")
        tl.add("own_ny", D(31, 12, 19, 0, 0),
               "🎆 Bonne année 2027 à tous, merci pour le soutien", kind="own",
               reactions=R())
    elif slug == "marius-delivery":
        tl.add("intro", created + timedelta(minutes=5), (
            "🛵 **Marius Delivery** 🛵\n"
            "Livraison rapide Marseille, Marignane, Vitrolles, Martigues\n"
            f"📲 @marius_dlv13 | {phone(PHONE_MARIUS, 'intl')}\n"
            f"☎️ Ligne 2 : {phone(PHONE_MARIUS_VOIP, 'dots')} (Signal)"),
            kind="own", reactions=R())
        tl.add("pin_intro", created + timedelta(minutes=6),
               service={"action": "pin_message", "target": "intro"})
        tl.add("own_es", D(15, 11, 21, 0, 0), (
            "🇪🇸 **Envío rápido** a toda Marsella 🛵\n"
            "Hierba, hachís, coca, pastillas\n"
            "Pedidos por privado 👉 @marius_dlv13\n"
            "Pago en efectivo o cripto"), kind="own", lang="es")
        tl.add("own_ar", D(22, 11, 20, 0, 0), (
            "🇲🇦 توصيل سريع لكل مرسيليا 🛵\n"
            "للطلب راسلونا في الخاص 👉 @marius_dlv13\n"
            "الدفع نقدًا أو بالعملات الرقمية"), kind="own", lang="ar")
        tl.add("own_night", D(30, 11, 21, 30, 0),
               "Livreur dispo Martigues / Marignane ce soir jusqu'à 3h 🏍️", kind="own")
        tl.add("own_fake", D(7, 12, 13, 0, 0), (
            "⚠️ Marius Delivery n'a PAS d'autre compte. Le "
            f"{phone(PHONE_SCAM_4)} qui tourne sur Snap c'est un fake."), kind="own")
        tl.add("own_xmas", D(14, 12, 11, 0, 0),
               "🎄 Spécial fêtes : livraison offerte dès 100€ 🛵", kind="own",
               reactions=R())
        tl.add("own_job", D(21, 12, 15, 0, 0), (
            "Marius recrute 🛵 livreur 220€/jour Vitrolles, évolution possible\n"
            f"SMS {phone(PHONE_MARIUS, 'intl_compact')}"), kind="own")
        tl.add("own_back", D(26, 12, 12, 0, 0), "Reprise du service demain 14h ✅",
               kind="own")
        tl.add("own_es2", D(30, 12, 17, 0, 0),
               "🎆 ¡Feliz Año Nuevo! 2x1 en pastillas 💊 hasta el 31", kind="own",
               lang="es")
    else:  # drive-13-secours
        tl.add("intro", created + timedelta(minutes=5), (
            "🆘 **Canal de secours officiel** du Drive du 13 🎄\n"
            "Si le canal principal saute, on se retrouve ICI.\n"
            "Canal principal : t.me/drv13_noel\n"
            "Gardez ce lien : t.me/drv13_secours\n"
            f"Commandes : {STD} / {BOT}"), kind="own", reactions=R(big=True))
        tl.add("pin_intro", created + timedelta(minutes=6),
               service={"action": "pin_message", "target": "intro"})
        tl.add("own_warn", D(23, 11, 10, 0, 0), (
            "⚠️ Le principal a reçu des signalements, restez abonnés ici au cas où"),
            kind="own")
        tl.add("own_ar", D(4, 12, 19, 0, 0), (
            "في حالة إغلاق القناة الرئيسية، تابعونا هنا 🆘\n"
            f"{STD}"), kind="own", lang="ar")
        tl.add("own_number", D(11, 12, 9, 50, 0), (
            f"Nouveau numéro du standard : {phone(PHONE_STANDARD_NEW)} "
            "(l'ancien est grillé)"), kind="own")
        tl.add("own_en", D(19, 12, 9, 0, 0), (
            "Backup channel of Le Drive du 13. If the main one goes down, we'll be "
            f"here. Orders: {BOT}"), kind="own", lang="en")
        tl.add("own_ok", D(29, 12, 11, 0, 0),
               "Tout roule sur le principal ✅ mais restez ici", kind="own")


def build_relay(rng: random.Random, relay: dict, main: Timeline,
                mapping: list[dict]) -> Timeline:
    tl = Timeline(rng)
    relay_own_posts(tl, relay)
    created = relay["created"] + timedelta(minutes=10)
    forced = {(k, mode): minutes for k, s, mode, minutes in FORCED
              if s == relay["slug"]}
    forced_keys = {k for k, _mode in forced}
    for msg in main.msgs:
        if not msg["relay"]:
            continue
        key = msg["key"]
        if key in forced_keys:
            mode = "forward" if (key, "forward") in forced else "copy"
            delay = timedelta(minutes=forced[(key, mode)], seconds=rng.randint(0, 59))
        else:
            if rng.random() >= relay["p_copy"]:
                continue
            mode = "forward" if rng.random() < relay["p_forward"] else "copy"
            delay = timedelta(seconds=rng.randint(600, 4 * 3600))
        if mode == "forward" and msg["buttons"]:
            mode = "copy"  # url keyboards are not carried over: re-post instead
        when = msg["when"] + delay
        if when < created or when > LAST_EXPORT:
            continue
        if msg["deleted_at"] and when >= msg["deleted_at"]:
            continue
        src, _edited = version_at(msg, when)
        ckey = f"{mode}_{key}"
        if mode == "forward":
            parts = [m for m in main.msgs if m["album"] and m["album"] == msg["album"]] \
                if msg["album"] else [msg]
            new_keys = []
            for i, part in enumerate(parts):
                psrc, _ = version_at(part, when)
                pk = ckey if i == 0 else f"{ckey}#{i + 1}"
                photo = dict(part["photo"], included=rng.random() < 0.5) \
                    if part["photo"] else None
                tl.add(pk, when, psrc, kind="forward", photo_data=photo,
                       forwarded_from=MAIN["name"], album=ckey if msg["album"] else None,
                       reactions=R_small(tl) if i == 0 else None)
                new_keys.append(pk)
            mapping.append({"main_key": key, "relay": relay["slug"], "mode": "forward",
                            "keys": new_keys, "codes": ""})
        else:
            vsrc, codes = vary(src, rng, relay)
            photo = dict(msg["photo"], included=rng.random() < 0.5) \
                if msg["photo"] else None
            tl.add(ckey, when, vsrc, kind="copy", photo_data=photo,
                   reactions=R_small(tl))
            mapping.append({"main_key": key, "relay": relay["slug"], "mode": "copy",
                            "keys": [ckey], "codes": codes})
    tl.finalize()
    return tl


def R_small(tl: Timeline):
    if tl.rng.random() < 0.25:
        return [(tl.rng.choice(["🔥", "👍", "❤️", "💯"]), tl.rng.randint(1, 40))]
    return None


# --------------------------------------------------------------------------
# Rendering (Telegram Desktop JSON)
# --------------------------------------------------------------------------

def render(tl: Timeline, chat: dict, at: datetime) -> dict:
    """Render the channel as Telegram Desktop would have exported it at ``at``."""
    name = chat["name"]
    from_id = f"channel{chat['id']}"
    photo_counter = 0
    out = []
    for msg in tl.msgs:
        if msg["when"] > at or (msg["deleted_at"] and msg["deleted_at"] <= at):
            continue
        when = msg["when"]
        obj: dict = {"id": msg["id"]}
        obj["type"] = "service" if msg["service"] else "message"
        obj["date"] = iso(when)
        obj["date_unixtime"] = unix(when)
        src, edited = version_at(msg, at)
        if edited:
            obj["edited"] = iso(edited)
            obj["edited_unixtime"] = unix(edited)
        if msg["service"]:
            obj["actor"] = name
            obj["actor_id"] = from_id
            obj["action"] = msg["service"]["action"]
            if "title" in msg["service"]:
                obj["title"] = msg["service"]["title"]
            if "target" in msg["service"]:
                obj["message_id"] = tl.id_of(msg["service"]["target"])
        else:
            obj["from"] = name
            obj["from_id"] = from_id
            if msg["forwarded_from"]:
                obj["forwarded_from"] = msg["forwarded_from"]
            if msg["reply_to"]:
                obj["reply_to_message_id"] = tl.id_of(msg["reply_to"])
        if msg["photo"]:
            p = msg["photo"]
            if p["included"]:
                photo_counter += 1
                obj["photo"] = (f"photos/photo_{photo_counter}@"
                                f"{when:%d-%m-%Y_%H-%M-%S}.jpg")
            else:
                obj["photo"] = NOT_INCLUDED
            obj["photo_file_size"] = p["size"]
            obj["width"] = p["w"]
            obj["height"] = p["h"]
        text, entities = text_fields(src)
        obj["text"] = text
        obj["text_entities"] = entities
        if msg["buttons"] and not msg["service"]:
            obj["inline_bot_buttons"] = [
                [{"type": "url", "text": label, "data": url} for label, url in row]
                for row in msg["buttons"]
            ]
        if msg["reactions"]:
            obj["reactions"] = [{"type": "emoji", "count": c, "emoji": e}
                                for e, c in msg["reactions"]]
        out.append(obj)
    return {"name": name, "type": "public_channel", "id": chat["id"], "messages": out}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


# --------------------------------------------------------------------------
# Summary (ids that tests rely on)
# --------------------------------------------------------------------------

def summary(main: Timeline, relays: list[tuple[dict, Timeline]],
            mapping: list[dict], exports: dict[str, dict]) -> str:
    lines = []
    for name, data in exports.items():
        n = len(data["messages"])
        svc = sum(1 for m in data["messages"] if m["type"] == "service")
        lines.append(f"{name}: {n} messages ({svc} service)")
    edited_after = [m for m in main.msgs if any(
        v[0] > FIRST_EXPORT for v in m["versions"][1:])]
    lines.append("main edited after first export: " + ", ".join(
        f"{m['id']} ({m['key']}, edited {iso(m['versions'][-1][0])})" for m in edited_after))
    edited_before = [m for m in main.msgs if len(m["versions"]) > 1
                     and m not in edited_after]
    lines.append("main edited before first export (identical in both): " + ", ".join(
        f"{m['id']} ({m['key']})" for m in edited_before))
    lines.append("main deleted after first export: " + ", ".join(
        f"{m['id']} ({m['key']}, posted {iso(m['when'])})"
        for m in main.msgs if m["deleted_at"]))
    for m in main.msgs:
        if m["when"].date() == D(24, 12, 0, 0).date() and m["when"].hour == 23:
            lines.append(f"24 Dec 23:xx post: id {m['id']} at {iso(m['when'])} "
                         f"(unix {unix(m['when'])})")
        if m["when"].date() == D(25, 12, 0, 0).date() and m["when"].hour == 0:
            lines.append(f"25 Dec 00:xx post: id {m['id']} at {iso(m['when'])} "
                         f"(unix {unix(m['when'])}, still 24 Dec in UTC)")
    lines.append("main pins: " + ", ".join(
        f"{m['id']}->{main.id_of(m['service']['target'])}" for m in main.msgs
        if m["service"] and m["service"]["action"] == "pin_message"))
    albums: dict[str, list[int]] = {}
    for m in main.msgs:
        if m["album"]:
            albums.setdefault(m["album"], []).append(m["id"])
    lines.append("main albums: " + "; ".join(
        f"{k}={v[0]}-{v[-1]}" for k, v in albums.items()))
    lines.append("main replies: " + ", ".join(
        f"{m['id']}->{main.id_of(m['reply_to'])}" for m in main.msgs if m["reply_to"]))
    lines.append("main non-French: " + ", ".join(
        f"{m['id']}({m['lang']})" for m in main.msgs if m["lang"] != "fr"))
    for relay, rtl in relays:
        lines.append(f"{relay['slug']} non-French: " + ", ".join(
            f"{m['id']}({m['lang']})" for m in rtl.msgs if m["lang"] != "fr"))
        lines.append(f"{relay['slug']} own posts: " + ", ".join(
            str(m["id"]) for m in rtl.msgs if m["kind"] == "own"))
    lines.append("")
    lines.append("| main id | main key | " + " | ".join(r["slug"] for r, _ in relays) + " |")
    lines.append("|---|---|" + "---|" * len(relays))
    rtl_by_slug = {r["slug"]: t for r, t in relays}
    rows: dict[int, dict[str, list[str]]] = {}
    for entry in mapping:
        mid = main.id_of(entry["main_key"])
        ids = [rtl_by_slug[entry["relay"]].id_of(k) for k in entry["keys"]]
        ids_s = f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else str(ids[0])
        label = (f"{ids_s} fwd" if entry["mode"] == "forward"
                 else f"{ids_s} copy[{entry['codes']}]")
        rows.setdefault(mid, {}).setdefault(entry["relay"], []).append(label)
    for mid in sorted(rows):
        key = next(m["key"] for m in main.msgs if m["id"] == mid)
        cells = [", ".join(rows[mid].get(r["slug"], [])) or "—" for r, _ in relays]
        lines.append(f"| {mid} | {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check(exports: dict[str, dict]) -> None:
    for name, data in exports.items():
        last = 0
        for m in data["messages"]:
            assert m["id"] > last, (name, m["id"])
            last = m["id"]
            dt = datetime.strptime(m["date"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=TZ)
            assert str(int(dt.timestamp())) == m["date_unixtime"], (name, m["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the fictional Recoupe sample corpus (Telegram Desktop "
                    "JSON exports of an invented drug-delivery network, Nov-Dec 2026).")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder; exports go to OUT/telegram/<slug>/result.json "
                             "(default: the folder holding this script)")
    parser.add_argument("--summary", action="store_true",
                        help="print message counts, edited/deleted ids and the "
                             "main-to-relay copy table")
    args = parser.parse_args(argv)

    rng = random.Random(SEED)
    main_tl = build_main(rng)
    mapping: list[dict] = []
    relays = [(relay, build_relay(rng, relay, main_tl, mapping)) for relay in RELAYS]

    exports = {
        f"{MAIN['slug']}-2026-12-10": render(main_tl, MAIN, FIRST_EXPORT),
        f"{MAIN['slug']}-2026-12-31": render(main_tl, MAIN, LAST_EXPORT),
    }
    for relay, rtl in relays:
        exports[relay["slug"]] = render(rtl, relay, LAST_EXPORT)
    check(exports)

    base = args.out / "telegram"
    for folder, data in exports.items():
        path = base / folder / "result.json"
        write_json(path, data)
        print(f"wrote {path} ({len(data['messages'])} messages)")
    if args.summary:
        print()
        print(summary(main_tl, relays, mapping, exports))
    return 0


if __name__ == "__main__":
    sys.exit(main())

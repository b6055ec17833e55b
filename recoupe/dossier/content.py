"""What a dossier holds, read from the workspace in a few statements for the whole case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from .. import audit, cases
from ..workspace import Workspace
from . import links
from .redact import NONE, Redactor, private_author

PUBLIC_TELEGRAM = frozenset({"public_channel", "public_supergroup"})


@dataclass
class EvidenceEntry:
    """One piece of evidence as the dossier prints it."""

    number: int                 # the evidence's id in the workspace, printed "E<id>"
    row: dict                   # dossier.evidence: the item whole, its chat and first source
    entities: list[dict]
    sources: list[dict]         # every source file holding the item, oldest import first
    versions: list[dict]        # earlier texts
    claims: list[int]           # ids of the claims resting on it
    cluster: dict | None        # its near-duplicate cluster (size, chats, first copy), if any
    copies: list[dict]          # its other copies, oldest first
    link: str | None            # t.me link, for a public Telegram chat
    media: list[dict]
    words: list[dict] | None    # OCR word boxes

    @property
    def label(self) -> str:
        return f"E{self.number}"


@dataclass
class Dossier:
    case: dict
    members: list[dict]
    claims: list[dict]          # cases.claims_of with "history" and "evidence" (evidence ids)
    approval: dict              # cases.approval_state
    evidence: list[EvidenceEntry]
    custody: list[dict]         # every source file behind the evidence, with "evidence" labels
    audit: list[dict]           # the case's audit entries, oldest first
    generated_at: datetime
    generated_by: str
    redactor: Redactor = field(default_factory=lambda: NONE)
    timeline: bytes | None = None


def telegram_link(platform: str, chat_type: str | None, external_id: str | None,
                  message_id: int | None) -> str | None:
    """The t.me link of a message in a public Telegram chat: by its username when the source
    gave it (`name:<username>`), else by the chat's id (t.me/c/, which opens for anyone who can
    see the chat). None for private chats and other platforms."""
    if platform != "telegram" or message_id is None or not external_id:
        return None
    if external_id.startswith("name:"):
        username = external_id[5:]
        if username.replace("_", "").isalnum() and " " not in username:
            return f"https://t.me/{username}/{message_id}"
        return None
    if chat_type in PUBLIC_TELEGRAM and external_id.isdigit():
        return f"https://t.me/c/{external_id}/{message_id}"
    return None


def _json(text: str | None):
    return orjson.loads(text) if text else None


def gather(ws: Workspace, case_id: int, *, generated_by: str, redact: bool = False,
           now: datetime | None = None) -> Dossier:
    """Everything the dossier of a case prints."""
    detail = cases.case_detail(ws, case_id)
    rows = ws.rows("dossier.evidence", {"case_id": case_id})
    by_item: dict[int, list[dict]] = defaultdict(list)
    for e in ws.rows("dossier.entities", {"case_id": case_id}):
        by_item[e["item_id"]].append(e)
    sources: dict[int, list[dict]] = defaultdict(list)
    custody: dict[str, dict] = {}
    for s in ws.rows("dossier.sources", {"case_id": case_id}):
        sources[s["item_id"]].append(s)
    versions: dict[int, list[dict]] = defaultdict(list)
    for v in ws.rows("dossier.versions", {"case_id": case_id}):
        versions[v["item_id"]].append(v)

    claims = detail["claims"]
    claims_of_evidence: dict[int, list[int]] = defaultdict(list)
    for claim in claims:
        for e in claim["evidence"]:
            claims_of_evidence[e].append(claim["id"])

    entries: list[EvidenceEntry] = []
    for r in rows:
        n = r["evidence_id"]
        item_sources = sources.get(r["item_id"], [])
        for s in item_sources:
            held = custody.setdefault(s["sha256"], dict(s, evidence=[]))
            if f"E{n}" not in held["evidence"]:
                held["evidence"].append(f"E{n}")
        entries.append(EvidenceEntry(
            number=n, row=r, entities=by_item.get(r["item_id"], []), sources=item_sources,
            versions=versions.get(r["item_id"], []),
            claims=claims_of_evidence.get(r["evidence_id"], []),
            **dict(zip(("cluster", "copies"), links.other_copies(ws, r["item_id"]))),
            link=telegram_link(r["platform"], r["chat_type"], r["chat_external_id"],
                               r["message_id"]),
            media=_json(r["media"]) or [], words=_json(r["ocr_words"])))

    redactor = _redactor(detail, entries) if redact else NONE
    item_ids = [e.row["item_id"] for e in entries]
    chart = links.timeline_png(ws, item_ids)
    history = audit.entries(ws, case_id=case_id, limit=1_000_000)
    history.reverse()
    return Dossier(case=detail["case"], members=detail["members"], claims=claims,
                   approval=detail["approval"], evidence=entries,
                   custody=sorted(custody.values(), key=lambda s: (s["imported_at_utc"],
                                                                    s["source_id"])),
                   audit=history, generated_at=now or audit.now_utc(),
                   generated_by=generated_by, redactor=redactor, timeline=chart)


def _redactor(detail: dict, entries: list[EvidenceEntry]) -> Redactor:
    r = Redactor()
    for e in entries:
        row = e.row
        if private_author(row["author"], row["chat"], row["chat_type"], row["platform"]):
            r.add_person(row["author"])
    for e in entries:
        for x in e.entities:
            if x["kind"] == "contact":
                r.add_contact(x["value"], x["raw"])
    case = detail["case"]
    # Extraction over every printed text as well: the case's own texts were never extracted,
    # and an item imported with --no-extract has no entities yet.
    for text in (case["title"], case["summary"], *(c["statement"] for c in detail["claims"]),
                 *(e.row["note"] for e in entries), *(e.row["text"] for e in entries)):
        r.add_text_contacts(text)
    return r

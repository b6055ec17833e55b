"""Cases: the evidence gathered for a story, its claims, their verdicts and the editor's approval.

A case has a title, a summary, an owner, members and a status (open, review, published, closed).
Any item (a message, a screenshot) can be added to it as evidence, with the reporter's note and
tags; who added it and when is kept. A claim is a statement of the story resting on one or more
pieces of evidence; a fact-checker gives it a verdict (unverified, corroborated, disputed,
refuted) with a reason, and every verdict is kept in its history. An editor approves the dossier
once every claim has a verdict; any later change to its claims or evidence (or to its title or
summary, which the dossier prints) withdraws the approval, records who withdrew it by which
change, and says so.

Every function that changes something takes the `Actor` who acts, checks the permission with
`require()` first (case.write, evidence.write, note.write, tag.write, claim.write,
claim.verdict, dossier.approve), and writes its audit entry in the same transaction as the
change. Each write is one short transaction, retried when another session wrote the same rows
at the same moment (DuckDB's optimistic concurrency makes the later writer fail, never lose a
write silently).

Tags feed the search index's `tag` field: after a tag change the item is indexed again, so
`tag:calendar` finds it.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable, TypeVar

import duckdb
import orjson

from . import audit
from .access import Actor, require
from .errors import RecoupeError
from .i18n import _
from .workspace import Workspace, utcnow

VERDICTS = ("unverified", "corroborated", "disputed", "refuted")
STATUSES = ("open", "review", "published", "closed")
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_TAG = 40
RETRIES = 6
# The reason Recoupe writes in a claim's verdict history when a reworded claim loses its verdict;
# kept in English in the store and shown through _() (`system_reason`).
REWORDED = "the claim was reworded after its verdict"

T = TypeVar("T")


class CaseError(RecoupeError):
    """A change to a case that cannot be made, with the reason."""


def verdict_label(verdict: str) -> str:
    return {"unverified": _("unverified"), "corroborated": _("corroborated"),
            "disputed": _("disputed"), "refuted": _("refuted")}.get(verdict, verdict)


def status_label(status: str) -> str:
    return {"open": _("open"), "review": _("in review"), "published": _("published"),
            "closed": _("closed")}.get(status, status)


@dataclass(frozen=True)
class Change:
    """What a change did: the id of what it made or changed, and the approval it withdrew (the
    approval's row, with `withdrawn_reason`), or None when there was none in force."""

    id: int | None
    withdrawn: dict | None = None


# -- writing -------------------------------------------------------------------------------

def _write(ws: Workspace, work: Callable[[], T]) -> T:
    """Run `work` in one transaction, again when another session's write conflicted with it."""
    for attempt in range(RETRIES):
        try:
            with ws.transaction():
                return work()
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            text = str(exc).lower()
            if "conflict" not in text and "duplicate key" not in text:
                raise
            if attempt == RETRIES - 1:
                raise CaseError(_("Someone else changed this case at the same moment; "
                                  "try again.")) from None
            time.sleep(0.02 * (attempt + 1) * (attempt + 1))
    raise AssertionError("unreachable")


def _case(ws: Workspace, case_id: int) -> dict:
    rows = ws.rows("cases.get", {"case_id": case_id})
    if not rows:
        raise CaseError(_("There is no case {case_id} in this workspace.", case_id=case_id))
    return rows[0]


def _withdraw(ws: Workspace, actor: Actor, case_id: int, action: str, object_type: str,
              object_id) -> dict | None:
    """Withdraw the case's approval in force, if any, because of this change (inside the
    change's transaction). Returns the approval withdrawn."""
    current = ws.rows("cases.approval", {"case_id": case_id})
    if not current:
        return None
    reason = {"action": action, "object_type": object_type, "object_id": object_id}
    text = orjson.dumps(reason).decode()
    ws.q("cases.withdraw", {"case_id": case_id, "now": utcnow(), "actor": actor.name,
                            "reason": text})
    approval = dict(current[0], withdrawn_by=actor.name, withdrawn_reason=reason)
    audit.record(ws, actor.name, "dossier.withdraw", "approval", approval["id"], case_id,
                 {"approved_by": approval["approved_by"],
                  "approved_at_utc": approval["approved_at_utc"], "because": reason})
    return approval


def _text(value: str | None, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise CaseError(_("The {what} cannot be empty.", what=what))
    if len(text) > limit:
        raise CaseError(_("The {what} is longer than {limit} characters.", what=what,
                          limit=limit))
    if "\x00" in text:
        raise CaseError(_("The {what} holds a NUL character.", what=what))
    return text


_TAG_SPACE = re.compile(r"\s+")


def normalise_tag(tag: str) -> str:
    """A tag as it is kept: trimmed, without a leading '#', lower case, spaces made '-'.

    Raises CaseError for an empty tag, one longer than MAX_TAG characters, or one holding a
    control character or a comma."""
    text = unicodedata.normalize("NFC", (tag or "").strip()).lstrip("#").strip().lower()
    text = _TAG_SPACE.sub("-", text)
    if not text:
        raise CaseError(_("A tag cannot be empty."))
    if len(text) > MAX_TAG:
        raise CaseError(_("The tag {tag!r} is longer than {limit} characters.", tag=text,
                          limit=MAX_TAG))
    if any(unicodedata.category(c).startswith("C") for c in text) or "," in text:
        raise CaseError(_("The tag {tag!r} holds a comma or a control character.", tag=text))
    return text


def parse_tags(text: str | list[str] | None) -> list[str]:
    """Tags from a comma-separated text (or a list), normalised, without repeats, in order."""
    raw = text.split(",") if isinstance(text, str) else list(text or [])
    out: list[str] = []
    for t in raw:
        if t and t.strip():
            tag = normalise_tag(t)
            if tag not in out:
                out.append(tag)
    return out


# -- cases ---------------------------------------------------------------------------------

def create_case(ws: Workspace, actor: Actor, title: str, summary: str = "",
                members: list[str] | None = None) -> int:
    """Make a case owned by `actor`, who becomes its first member; returns its id."""
    require(actor, "case.write", _("create a case"))
    title = _text(title, _("title"), limit=MAX_TITLE)
    summary = _text(summary, _("summary"), required=False)
    people = [m.strip() for m in (members or []) if m and m.strip()]

    def work() -> int:
        now = utcnow()
        case_id = ws.one("cases.create", {"title": title, "summary": summary,
                                          "owner": actor.name, "now": now, "actor": actor.name})
        for name in [actor.name, *people]:
            ws.q("cases.add_member", {"case_id": case_id, "name": name, "now": now,
                                      "actor": actor.name})
        audit.record(ws, actor.name, "case.create", "case", case_id, case_id,
                     {"title": title, "members": [actor.name, *people]})
        return case_id
    return _write(ws, work)


def update_case(ws: Workspace, actor: Actor, case_id: int, *, title: str | None = None,
                summary: str | None = None, status: str | None = None,
                owner: str | None = None) -> Change:
    """Change a case's title, summary, status or owner (None leaves each as it is). A new title
    or summary withdraws the approval: the dossier prints them."""
    require(actor, "case.write", _("change a case"))
    if status is not None and status not in STATUSES:
        raise CaseError(_("A case's status is one of {statuses}, not {status!r}.",
                          statuses=", ".join(STATUSES), status=status))
    new_title = None if title is None else _text(title, _("title"), limit=MAX_TITLE)
    new_summary = None if summary is None else _text(summary, _("summary"), required=False)
    new_owner = None if owner is None else _text(owner, _("owner"), limit=MAX_TITLE)

    def work() -> Change:
        case = _case(ws, case_id)
        after = {"title": case["title"] if new_title is None else new_title,
                 "summary": case["summary"] if new_summary is None else new_summary,
                 "status": case["status"] if status is None else status,
                 "owner": case["owner"] if new_owner is None else new_owner}
        changed = {k: v for k, v in after.items() if v != case[k]}
        if not changed:
            return Change(case_id)
        ws.q("cases.update", {"case_id": case_id, **after})
        if new_owner is not None and "owner" in changed:
            ws.q("cases.add_member", {"case_id": case_id, "name": new_owner, "now": utcnow(),
                                      "actor": actor.name})
        audit.record(ws, actor.name, "case.update", "case", case_id, case_id,
                     {k: {"from": case[k], "to": v} for k, v in changed.items()})
        withdrawn = None
        if "title" in changed or "summary" in changed:
            withdrawn = _withdraw(ws, actor, case_id, "case.update", "case", case_id)
        return Change(case_id, withdrawn)
    return _write(ws, work)


def add_member(ws: Workspace, actor: Actor, case_id: int, name: str) -> bool:
    """Put a person on the case; False when they already were."""
    require(actor, "case.write", _("change a case's members"))
    name = _text(name, _("name"), limit=MAX_TITLE)

    def work() -> bool:
        _case(ws, case_id)
        added = ws.one("cases.add_member", {"case_id": case_id, "name": name, "now": utcnow(),
                                            "actor": actor.name})
        if added:
            audit.record(ws, actor.name, "case.member.add", "case", case_id, case_id,
                         {"name": name})
        return bool(added)
    return _write(ws, work)


def remove_member(ws: Workspace, actor: Actor, case_id: int, name: str) -> bool:
    """Take a person off the case (never its owner); False when they were not on it."""
    require(actor, "case.write", _("change a case's members"))

    def work() -> bool:
        case = _case(ws, case_id)
        if name == case["owner"]:
            raise CaseError(_("{name} owns the case; give it another owner first.", name=name))
        removed = ws.one("cases.remove_member", {"case_id": case_id, "name": name})
        if removed:
            audit.record(ws, actor.name, "case.member.remove", "case", case_id, case_id,
                         {"name": name})
        return bool(removed)
    return _write(ws, work)


# -- evidence ------------------------------------------------------------------------------

def add_evidence(ws: Workspace, actor: Actor, case_id: int, item_id: int, *, note: str = "",
                 tags: list[str] | str | None = None) -> Change:
    """Add an item to a case as evidence, with a note and tags; withdraws the approval.

    Adding an item that is already evidence of the case adds the note (when the evidence had
    none) and the tags to it instead."""
    require(actor, "evidence.write", _("add evidence to a case"))
    note = _text(note, _("note"), required=False)
    tag_list = parse_tags(tags)
    if note:
        require(actor, "note.write", _("write a note"))
    if tag_list:
        require(actor, "tag.write", _("tag evidence"))

    def work() -> Change:
        _case(ws, case_id)
        if not ws.rows("cases.item_exists", {"item_id": item_id}):
            raise CaseError(_("There is no item {item_id} in this workspace.", item_id=item_id))
        now = utcnow()
        evidence_id = ws.one("cases.add_evidence", {"case_id": case_id, "item_id": item_id,
                                                    "note": note, "now": now,
                                                    "actor": actor.name})
        withdrawn = None
        new = evidence_id is not None
        if new:
            audit.record(ws, actor.name, "evidence.add", "evidence", evidence_id, case_id,
                         {"item_id": item_id, "note": note, "tags": tag_list})
            withdrawn = _withdraw(ws, actor, case_id, "evidence.add", "evidence", evidence_id)
        else:
            evidence_id = ws.one("cases.evidence_of_item", {"case_id": case_id,
                                                            "item_id": item_id})
            current = ws.rows("cases.evidence_one", {"evidence_id": evidence_id})[0]
            if note and not current["note"]:
                ws.q("cases.set_note", {"evidence_id": evidence_id, "note": note})
                audit.record(ws, actor.name, "evidence.note", "evidence", evidence_id, case_id,
                             {"item_id": item_id, "from": "", "to": note})
                withdrawn = _withdraw(ws, actor, case_id, "evidence.note", "evidence",
                                      evidence_id)
        added = [t for t in tag_list
                 if ws.one("cases.add_tag", {"evidence_id": evidence_id, "tag": t, "now": now,
                                             "actor": actor.name})]
        if added and not new:  # a new piece of evidence's entry already names its tags
            audit.record(ws, actor.name, "evidence.tag", "evidence", evidence_id, case_id,
                         {"item_id": item_id, "added": added, "removed": []})
            withdrawn = withdrawn or _withdraw(ws, actor, case_id, "evidence.tag", "evidence",
                                               evidence_id)
        return Change(evidence_id, withdrawn)
    change = _write(ws, work)
    if tag_list:
        reindex(ws)
    return change


def _evidence(ws: Workspace, evidence_id: int) -> dict:
    rows = ws.rows("cases.evidence_one", {"evidence_id": evidence_id})
    if not rows:
        raise CaseError(_("There is no evidence {evidence_id} in this workspace.",
                          evidence_id=evidence_id))
    return rows[0]


def remove_evidence(ws: Workspace, actor: Actor, evidence_id: int) -> Change:
    """Take a piece of evidence out of its case (and out of the claims resting on it).

    Refused while a corroborated claim rests on it alone: a fact-checker changes that verdict
    first, or the claim is given other evidence."""
    require(actor, "evidence.write", _("remove evidence from a case"))

    def work() -> Change:
        ev = _evidence(ws, evidence_id)
        alone = [r["id"] for r in ws.rows("cases.claims_resting_only_on",
                                          {"evidence_id": evidence_id})]
        if alone:
            raise CaseError(_n_claims_alone(alone))
        tags = [r["tag"] for r in ws.rows("cases.tags", {"evidence_id": evidence_id})]
        ws.q("cases.remove_evidence_links", {"evidence_id": evidence_id})
        ws.q("cases.remove_evidence_tags", {"evidence_id": evidence_id})
        ws.q("cases.remove_evidence", {"evidence_id": evidence_id})
        audit.record(ws, actor.name, "evidence.remove", "evidence", evidence_id, ev["case_id"],
                     {"item_id": ev["item_id"], "note": ev["note"], "tags": tags})
        withdrawn = _withdraw(ws, actor, ev["case_id"], "evidence.remove", "evidence",
                              evidence_id)
        return Change(evidence_id, withdrawn), bool(tags)
    change, had_tags = _write(ws, work)
    if had_tags:
        reindex(ws)
    return change


def _n_claims_alone(claims: list[int]) -> str:
    ids = ", ".join(str(c) for c in claims)
    return _("Claim {claims} is corroborated on this evidence alone: a fact-checker changes its "
             "verdict, or it is given other evidence, before this evidence is removed.",
             claims=ids)


def set_note(ws: Workspace, actor: Actor, evidence_id: int, note: str) -> Change:
    """Replace the reporter's note on a piece of evidence; withdraws the approval."""
    require(actor, "note.write", _("write a note"))
    note = _text(note, _("note"), required=False)

    def work() -> Change:
        ev = _evidence(ws, evidence_id)
        if ev["note"] == note:
            return Change(evidence_id)
        ws.q("cases.set_note", {"evidence_id": evidence_id, "note": note})
        audit.record(ws, actor.name, "evidence.note", "evidence", evidence_id, ev["case_id"],
                     {"item_id": ev["item_id"], "from": ev["note"], "to": note})
        return Change(evidence_id, _withdraw(ws, actor, ev["case_id"], "evidence.note",
                                             "evidence", evidence_id))
    return _write(ws, work)


def set_tags(ws: Workspace, actor: Actor, evidence_id: int,
             tags: list[str] | str | None) -> Change:
    """Make a piece of evidence's tags exactly `tags`; the item is indexed again."""
    require(actor, "tag.write", _("tag evidence"))
    wanted = parse_tags(tags)

    def work():
        ev = _evidence(ws, evidence_id)
        now = utcnow()
        have = [r["tag"] for r in ws.rows("cases.tags", {"evidence_id": evidence_id})]
        removed = [t for t in have if t not in wanted]
        added = [t for t in wanted if t not in have]
        for t in removed:
            ws.q("cases.remove_tag", {"evidence_id": evidence_id, "tag": t})
        for t in added:
            ws.q("cases.add_tag", {"evidence_id": evidence_id, "tag": t, "now": now,
                                   "actor": actor.name})
        if not added and not removed:
            return Change(evidence_id), False
        audit.record(ws, actor.name, "evidence.tag", "evidence", evidence_id, ev["case_id"],
                     {"item_id": ev["item_id"], "added": added, "removed": removed})
        return Change(evidence_id, _withdraw(ws, actor, ev["case_id"], "evidence.tag",
                                             "evidence", evidence_id)), True
    change, changed = _write(ws, work)
    if changed:
        reindex(ws)
    return change


def all_tags(ws: Workspace) -> list[dict]:
    """Every tag in use, most used first: [{"tag", "n"}]."""
    return ws.rows("cases.all_tags")


def reindex(ws: Workspace) -> bool:
    """Bring the search index up to date after a tag change (only the items whose tags changed
    are indexed again: their fingerprint holds their tags). When another program is updating
    the index at that moment, it tries again a few times; failing that, the next update (any
    import, enrich, or tag change) catches up. Returns whether the index is up to date."""
    from .search import update
    for attempt in range(5):
        try:
            update(ws)
            return True
        except RecoupeError:
            time.sleep(0.2 * (attempt + 1))
    return False


# -- claims --------------------------------------------------------------------------------

def _claim(ws: Workspace, claim_id: int) -> dict:
    rows = ws.rows("cases.claim", {"claim_id": claim_id})
    if not rows:
        raise CaseError(_("There is no claim {claim_id} in this workspace.", claim_id=claim_id))
    return rows[0]


def _evidence_of_case(ws: Workspace, case_id: int, evidence_ids: list[int]) -> None:
    for evidence_id in evidence_ids:
        rows = ws.rows("cases.evidence_one", {"evidence_id": evidence_id})
        if not rows or rows[0]["case_id"] != case_id:
            raise CaseError(_("Evidence {evidence_id} is not evidence of case {case_id}.",
                              evidence_id=evidence_id, case_id=case_id))


def add_claim(ws: Workspace, actor: Actor, case_id: int, statement: str,
              evidence: list[int] | None = None) -> Change:
    """Add a statement of the story to the case, resting on the given evidence (ids of the
    case's evidence); it starts unverified. Withdraws the approval."""
    require(actor, "claim.write", _("write a claim"))
    statement = _text(statement, _("claim"))
    evidence = list(dict.fromkeys(evidence or []))

    def work() -> Change:
        _case(ws, case_id)
        _evidence_of_case(ws, case_id, evidence)
        now = utcnow()
        claim_id = ws.one("cases.add_claim", {"case_id": case_id, "statement": statement,
                                              "now": now, "actor": actor.name})
        for evidence_id in evidence:
            ws.q("cases.link", {"claim_id": claim_id, "evidence_id": evidence_id, "now": now,
                                "actor": actor.name})
        audit.record(ws, actor.name, "claim.create", "claim", claim_id, case_id,
                     {"statement": statement, "evidence": evidence})
        return Change(claim_id, _withdraw(ws, actor, case_id, "claim.create", "claim",
                                          claim_id))
    return _write(ws, work)


def edit_claim(ws: Workspace, actor: Actor, claim_id: int, statement: str) -> Change:
    """Reword a claim. A verdict was given to the old wording, so a claim that had one goes back
    to unverified (kept in its history). Withdraws the approval."""
    require(actor, "claim.write", _("edit a claim"))
    statement = _text(statement, _("claim"))

    def work() -> Change:
        claim = _claim(ws, claim_id)
        if claim["statement"] == statement:
            return Change(claim_id)
        now = utcnow()
        ws.q("cases.set_statement", {"claim_id": claim_id, "statement": statement})
        audit.record(ws, actor.name, "claim.edit", "claim", claim_id, claim["case_id"],
                     {"from": claim["statement"], "to": statement})
        if claim["verdict"] != "unverified":
            reason = REWORDED
            params = {"claim_id": claim_id, "verdict": "unverified", "reason": reason,
                      "actor": actor.name, "now": now}
            ws.q("cases.set_verdict", params)
            ws.q("cases.record_verdict", params)
            audit.record(ws, actor.name, "claim.verdict", "claim", claim_id, claim["case_id"],
                         {"from": claim["verdict"], "to": "unverified", "reason": reason})
        return Change(claim_id, _withdraw(ws, actor, claim["case_id"], "claim.edit", "claim",
                                          claim_id))
    return _write(ws, work)


def remove_claim(ws: Workspace, actor: Actor, claim_id: int) -> Change:
    """Take a claim out of the case (the audit trail keeps it). Withdraws the approval."""
    require(actor, "claim.write", _("remove a claim"))

    def work() -> Change:
        claim = _claim(ws, claim_id)
        ws.q("cases.remove_claim_links", {"claim_id": claim_id})
        ws.q("cases.remove_claim_verdicts", {"claim_id": claim_id})
        ws.q("cases.remove_claim", {"claim_id": claim_id})
        audit.record(ws, actor.name, "claim.remove", "claim", claim_id, claim["case_id"],
                     {"statement": claim["statement"], "verdict": claim["verdict"]})
        return Change(claim_id, _withdraw(ws, actor, claim["case_id"], "claim.remove", "claim",
                                          claim_id))
    return _write(ws, work)


def link_evidence(ws: Workspace, actor: Actor, claim_id: int, evidence_id: int) -> Change:
    """Rest a claim on one more piece of its case's evidence. Withdraws the approval."""
    require(actor, "claim.write", _("link evidence to a claim"))

    def work() -> Change:
        claim = _claim(ws, claim_id)
        _evidence_of_case(ws, claim["case_id"], [evidence_id])
        if ws.one("cases.link", {"claim_id": claim_id, "evidence_id": evidence_id,
                                 "now": utcnow(), "actor": actor.name}) is None:
            return Change(claim_id)
        audit.record(ws, actor.name, "claim.link", "claim", claim_id, claim["case_id"],
                     {"evidence_id": evidence_id})
        return Change(claim_id, _withdraw(ws, actor, claim["case_id"], "claim.link", "claim",
                                          claim_id))
    return _write(ws, work)


def unlink_evidence(ws: Workspace, actor: Actor, claim_id: int, evidence_id: int) -> Change:
    """A claim no longer rests on a piece of evidence. Refused when the claim is corroborated
    and this is its last evidence. Withdraws the approval."""
    require(actor, "claim.write", _("unlink evidence from a claim"))

    def work() -> Change:
        claim = _claim(ws, claim_id)
        if (claim["verdict"] == "corroborated"
                and evidence_id in _links(ws, claim_id)
                and ws.one("cases.claim_evidence_count", {"claim_id": claim_id}) == 1):
            raise CaseError(_n_claims_alone([claim_id]))
        if ws.one("cases.unlink", {"claim_id": claim_id, "evidence_id": evidence_id}) is None:
            return Change(claim_id)
        audit.record(ws, actor.name, "claim.unlink", "claim", claim_id, claim["case_id"],
                     {"evidence_id": evidence_id})
        return Change(claim_id, _withdraw(ws, actor, claim["case_id"], "claim.unlink",
                                          "claim", claim_id))
    return _write(ws, work)


def _links(ws: Workspace, claim_id: int) -> list[int]:
    rows = ws.rows("cases.claims", {"case_id": _claim(ws, claim_id)["case_id"]})
    return next((r["evidence"] for r in rows if r["id"] == claim_id), [])


def update_claim(ws: Workspace, actor: Actor, claim_id: int, statement: str,
                 evidence: list[int]) -> Change:
    """Make a claim say `statement` and rest on exactly `evidence` (what the claim's form on the
    Cases page holds): the wording first, then each link added and each link taken away, each
    one change of its own. Returns the claim and the approval the first change withdrew."""
    claim = _claim(ws, claim_id)
    have = _links(ws, claim_id)
    changes = [edit_claim(ws, actor, claim_id, statement)]
    changes += [link_evidence(ws, actor, claim_id, e) for e in evidence if e not in have]
    changes += [unlink_evidence(ws, actor, claim_id, e) for e in have if e not in evidence]
    return Change(claim["id"], next((c.withdrawn for c in changes if c.withdrawn), None))


def update_evidence(ws: Workspace, actor: Actor, evidence_id: int, note: str,
                    tags: list[str] | str | None) -> Change:
    """Give a piece of evidence this note and exactly these tags (the evidence form of the Cases
    page), each a change of its own."""
    changes = [set_note(ws, actor, evidence_id, note)]
    have = [r["tag"] for r in ws.rows("cases.tags", {"evidence_id": evidence_id})]
    if parse_tags(tags) != have:
        changes.append(set_tags(ws, actor, evidence_id, tags))
    return Change(evidence_id, next((c.withdrawn for c in changes if c.withdrawn), None))


def give_verdict(ws: Workspace, actor: Actor, claim_id: int, verdict: str,
                 reason: str = "") -> Change:
    """A fact-checker's verdict on a claim, with the reason (required, except to put a claim
    back to unverified). A claim without evidence cannot be corroborated. Withdraws the
    approval."""
    require(actor, "claim.verdict", _("give a claim its verdict"))
    if verdict not in VERDICTS:
        raise CaseError(_("A verdict is one of {verdicts}, not {verdict!r}.",
                          verdicts=", ".join(VERDICTS), verdict=verdict))
    reason = _text(reason, _("reason"), required=verdict != "unverified")

    def work() -> Change:
        claim = _claim(ws, claim_id)
        if verdict == "corroborated" and not ws.one("cases.claim_evidence_count",
                                                    {"claim_id": claim_id}):
            raise CaseError(_("Claim {claim_id} rests on no evidence: it cannot be marked "
                              "corroborated. Link the evidence that corroborates it first.",
                              claim_id=claim_id))
        params = {"claim_id": claim_id, "verdict": verdict, "reason": reason or None,
                  "actor": actor.name, "now": utcnow()}
        ws.q("cases.set_verdict", params)
        ws.q("cases.record_verdict", params)
        audit.record(ws, actor.name, "claim.verdict", "claim", claim_id, claim["case_id"],
                     {"from": claim["verdict"], "to": verdict, "reason": reason})
        return Change(claim_id, _withdraw(ws, actor, claim["case_id"], "claim.verdict",
                                          "claim", claim_id))
    return _write(ws, work)


def verdict_history(ws: Workspace, claim_id: int) -> list[dict]:
    """Every verdict given to a claim, oldest first."""
    return ws.rows("cases.verdicts", {"claim_id": claim_id})


# -- approval ------------------------------------------------------------------------------

def approve(ws: Workspace, actor: Actor, case_id: int, note: str = "") -> int:
    """An editor's approval of the case's dossier; returns the approval's id.

    Refused while the case has no claim, while any claim is unverified, and while an approval
    is already in force."""
    require(actor, "dossier.approve", _("approve a dossier"))
    note = _text(note, _("note"), required=False)

    def work() -> int:
        _case(ws, case_id)
        current = ws.rows("cases.approval", {"case_id": case_id})
        if current:
            raise CaseError(_("The dossier of case {case_id} is already approved (by {who}).",
                              case_id=case_id, who=current[0]["approved_by"]))
        claims = ws.rows("cases.claims", {"case_id": case_id})
        if not claims:
            raise CaseError(_("Case {case_id} has no claim yet: there is nothing to approve.",
                              case_id=case_id))
        waiting = [str(c["id"]) for c in claims if c["verdict"] == "unverified"]
        if waiting:
            raise CaseError(_("Claims {claims} have no verdict yet: a fact-checker gives them "
                              "one before the dossier is approved.", claims=", ".join(waiting)))
        approval_id = ws.one("cases.approve", {"case_id": case_id, "actor": actor.name,
                                               "now": utcnow(), "note": note or None})
        audit.record(ws, actor.name, "dossier.approve", "approval", approval_id, case_id,
                     {"note": note, "claims": {str(c["id"]): c["verdict"] for c in claims}})
        return approval_id
    return _write(ws, work)


def withdraw_approval(ws: Workspace, actor: Actor, case_id: int, reason: str) -> Change:
    """An editor withdraws the approval in force, saying why."""
    require(actor, "dossier.approve", _("withdraw an approval"))
    reason = _text(reason, _("reason"))

    def work() -> Change:
        _case(ws, case_id)
        current = ws.rows("cases.approval", {"case_id": case_id})
        if not current:
            raise CaseError(_("The dossier of case {case_id} is not approved.", case_id=case_id))
        because = {"action": "dossier.withdraw", "reason": reason}
        ws.q("cases.withdraw", {"case_id": case_id, "now": utcnow(), "actor": actor.name,
                                "reason": orjson.dumps(because).decode()})
        audit.record(ws, actor.name, "dossier.withdraw", "approval", current[0]["id"], case_id,
                     {"approved_by": current[0]["approved_by"], "because": because})
        return Change(current[0]["id"], dict(current[0], withdrawn_by=actor.name,
                                             withdrawn_reason=because))
    return _write(ws, work)


# -- reading -------------------------------------------------------------------------------

def list_cases(ws: Workspace) -> list[dict]:
    """Every case with its counts (evidence, claims, unverified) and who approved it (None when
    no approval is in force), most recently changed first."""
    return ws.rows("cases.list")


def get_case(ws: Workspace, case_id: int) -> dict:
    return _case(ws, case_id)


def evidence_of(ws: Workspace, case_id: int) -> list[dict]:
    """A case's evidence in the order it was added, each with its item's chat, author, time and
    text, its tags and the claims resting on it."""
    rows = ws.rows("cases.evidence", {"case_id": case_id})
    for r in rows:
        r["claims"] = r["claims"] or []
    return rows


def claims_of(ws: Workspace, case_id: int, *, history: bool = False) -> list[dict]:
    """A case's claims in order, each with the ids of its evidence (and, with `history`, every
    verdict it was given)."""
    rows = ws.rows("cases.claims", {"case_id": case_id})
    if history:
        for r in rows:
            r["history"] = verdict_history(ws, r["id"])
    return rows


def approval_state(ws: Workspace, case_id: int) -> dict:
    """{"current": the approval in force or None, "withdrawn": the latest withdrawn approval
    (with `because`: what withdrew it) or None, "all": every approval, newest first}."""
    rows = ws.rows("cases.approvals", {"case_id": case_id})
    for r in rows:
        r["because"] = orjson.loads(r["withdrawn_reason"]) if r["withdrawn_reason"] else None
    current = next((r for r in rows if r["withdrawn_at_utc"] is None), None)
    withdrawn = next((r for r in rows if r["withdrawn_at_utc"] is not None), None)
    return {"current": current, "withdrawn": withdrawn if current is None else None, "all": rows}


def members_of(ws: Workspace, case_id: int) -> list[dict]:
    return ws.rows("cases.members", {"case_id": case_id})


def cases_of_item(ws: Workspace, item_id: int) -> list[dict]:
    """The cases an item is evidence in, with that evidence's id, note and tags."""
    return ws.rows("cases.cases_of_item", {"item_id": item_id})


def case_detail(ws: Workspace, case_id: int) -> dict:
    """Everything the Cases page and `case show` print about one case."""
    return {"case": _case(ws, case_id), "members": members_of(ws, case_id),
            "evidence": evidence_of(ws, case_id), "claims": claims_of(ws, case_id, history=True),
            "approval": approval_state(ws, case_id)}


def describe_change(because: dict | None) -> str:
    """A sentence for what withdrew an approval (the `because` of `approval_state`)."""
    if not because:
        return ""
    action, oid = because.get("action"), because.get("object_id")
    texts = {
        "case.update": _("the case's title or summary changed"),
        "evidence.add": _("evidence E{id} was added", id=oid),
        "evidence.remove": _("evidence E{id} was removed", id=oid),
        "evidence.note": _("the note on evidence E{id} changed", id=oid),
        "evidence.tag": _("the tags of evidence E{id} changed", id=oid),
        "claim.create": _("claim {id} was added", id=oid),
        "claim.edit": _("claim {id} was reworded", id=oid),
        "claim.remove": _("claim {id} was removed", id=oid),
        "claim.link": _("claim {id} was given other evidence", id=oid),
        "claim.unlink": _("evidence was taken from claim {id}", id=oid),
        "claim.verdict": _("the verdict on claim {id} changed", id=oid),
    }
    if action == "dossier.withdraw":
        return _("withdrawn by an editor: {reason}", reason=because.get("reason") or "")
    return texts.get(action, action or "")


def system_reason(text: str | None) -> str | None:
    """A reason Recoupe itself wrote into a verdict's history, in the current language."""
    if text == REWORDED:
        return _("the claim was reworded after its verdict")
    return text


def describe_entry(a: dict) -> str:
    """One audit entry as a sentence (its detail summarised)."""
    d = a.get("detail") or {}
    action = a["action"]
    oid = a.get("object_id")
    if action == "case.create":
        return _("opened the case “{title}”", title=d.get("title", ""))
    if action == "case.update":
        return _("changed the case: {fields}", fields=", ".join(sorted(d)))
    if action == "case.member.add":
        return _("put {name} on the case", name=d.get("name", ""))
    if action == "case.member.remove":
        return _("took {name} off the case", name=d.get("name", ""))
    if action == "evidence.add" and d.get("tags"):
        return _("added item {item} as evidence E{id}, tagged {tags}", item=d.get("item_id"),
                 id=oid, tags=", ".join(d["tags"]))
    if action == "evidence.add":
        return _("added item {item} as evidence E{id}", item=d.get("item_id"), id=oid)
    if action == "evidence.remove":
        return _("removed evidence E{id} (item {item})", id=oid, item=d.get("item_id"))
    if action == "evidence.note":
        return _("wrote the note of evidence E{id}: “{note}”", id=oid, note=d.get("to", ""))
    if action == "evidence.tag":
        return _("tagged evidence E{id}: +{added} −{removed}", id=oid,
                 added=", ".join(d.get("added") or []) or "∅",
                 removed=", ".join(d.get("removed") or []) or "∅")
    if action == "claim.create":
        return _("wrote claim {id}: “{text}”", id=oid, text=d.get("statement", ""))
    if action == "claim.edit":
        return _("reworded claim {id}: “{text}”", id=oid, text=d.get("to", ""))
    if action == "claim.remove":
        return _("removed claim {id}", id=oid)
    if action == "claim.link":
        return _("rested claim {id} on evidence E{evidence}", id=oid,
                 evidence=d.get("evidence_id"))
    if action == "claim.unlink":
        return _("took evidence E{evidence} from claim {id}", id=oid,
                 evidence=d.get("evidence_id"))
    if action == "claim.verdict":
        return _("verdict on claim {id}: {verdict} ({reason})", id=oid,
                 verdict=verdict_label(d.get("to", "")),
                 reason=system_reason(d.get("reason")) or "—")
    if action == "dossier.approve":
        return _("approved the dossier")
    if action == "dossier.withdraw":
        return _("approval withdrawn: {why}", why=describe_change(d.get("because")))
    if action == "dossier.export":
        return _("exported the dossier ({kind}, {pages} pages, SHA-256 {sha})",
                 kind=_("redacted") if d.get("redacted") else _("complete"),
                 pages=d.get("pages", "?"), sha=d.get("sha256", "?"))
    return action

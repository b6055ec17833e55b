"""python -m recoupe case ... and dossier export: the Cases page's work, scripted.

    case create TITLE [--summary TEXT] [--member NAME]...
    case list
    case add CASE ITEM... [--note TEXT] [--tag TAG]...
    case claim CASE STATEMENT [--evidence E]... [--item ITEM]...
    case verdict CLAIM VERDICT [--reason TEXT]
    case approve CASE [--note TEXT]
    case show CASE
    dossier export CASE --out FILE.pdf [--redact]

Every command takes --workspace DIR, --user NAME (who acts: $RECOUPE_USER, else the login name;
in a workspace with accounts, an enabled account whose role applies), --lang fr|en and --json.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from . import cases, i18n
from .access import actor_for
from .cliutil import add_json_option, add_workspace_option, one_line_errors
from .i18n import _
from .items import iso_utc
from .times import show
from .workspace import open_workspace


def add_common(parser: argparse.ArgumentParser, json_what: str) -> None:
    add_workspace_option(parser)
    parser.add_argument("--user", metavar="NAME", default=None,
                        help="who acts (default: $RECOUPE_USER, else the login name)")
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default=None,
                        help="the language of the messages and of the dossier (default: "
                             f"${i18n.ENV_LANG}, else English)")
    add_json_option(parser, json_what)


def add_commands(sub) -> None:
    case = sub.add_parser("case", help="cases: evidence, claims, verdicts, approval",
                          description="Gather evidence into a case, write the story's claims, "
                                      "give them verdicts and approve the dossier.")
    csub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    p = csub.add_parser("create", help="open a case", description="Open a case owned by --user.")
    p.add_argument("title")
    p.add_argument("--summary", default="", help="what the story says")
    p.add_argument("--member", action="append", default=[], metavar="NAME",
                   help="a person on the case (repeatable)")
    add_common(p, '{"case": id}')
    p.set_defaults(handler=cmd_create)

    p = csub.add_parser("list", help="list the cases", description="Every case, with its "
                                                                  "counts and approval.")
    add_common(p, "the cases")
    p.set_defaults(handler=cmd_list)

    p = csub.add_parser("add", help="add items to a case as evidence",
                        description="Add items (their ids, as search and the item view show "
                                    "them) to a case as evidence, with a note and tags.")
    p.add_argument("case", type=int, metavar="CASE")
    p.add_argument("items", type=int, nargs="+", metavar="ITEM")
    p.add_argument("--note", default="", help="the reporter's note on each item")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="a tag (repeatable, or comma-separated); search finds it as tag:TAG")
    add_common(p, '{"evidence": [{"item", "evidence"}]}')
    p.set_defaults(handler=cmd_add)

    p = csub.add_parser("claim", help="write a claim of the story",
                        description="Write a statement of the story, resting on evidence of "
                                    "the case (E12 or 12 for evidence 12, --item for the "
                                    "evidence made of an item).")
    p.add_argument("case", type=int, metavar="CASE")
    p.add_argument("statement")
    p.add_argument("--evidence", action="append", default=[], metavar="E",
                   help="evidence the claim rests on (repeatable)")
    p.add_argument("--item", action="append", default=[], type=int, metavar="ITEM",
                   help="the evidence made of this item (repeatable)")
    add_common(p, '{"claim": id}')
    p.set_defaults(handler=cmd_claim)

    p = csub.add_parser("verdict", help="give a claim its verdict (fact-checkers)",
                        description="A fact-checker's verdict on a claim: "
                                    + ", ".join(cases.VERDICTS) + "; with the reason. A claim "
                                    "without evidence cannot be corroborated.")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("verdict", choices=cases.VERDICTS)
    p.add_argument("--reason", default="", help="why (required but for 'unverified')")
    add_common(p, '{"claim": id, "verdict": v}')
    p.set_defaults(handler=cmd_verdict)

    p = csub.add_parser("approve", help="approve a case's dossier (editors)",
                        description="An editor's approval of the dossier, once every claim has "
                                    "a verdict. Any later change to the claims or evidence "
                                    "withdraws it.")
    p.add_argument("case", type=int, metavar="CASE")
    p.add_argument("--note", default="")
    add_common(p, '{"approval": id}')
    p.set_defaults(handler=cmd_approve)

    p = csub.add_parser("show", help="show a case: claims, verdicts, evidence, approval",
                        description="Print a case: its claims with their verdicts, its "
                                    "evidence, and its approval.")
    p.add_argument("case", type=int, metavar="CASE")
    add_common(p, "the case")
    p.set_defaults(handler=cmd_show)

    dossier = sub.add_parser("dossier", help="the PDF source dossier of a case",
                             description="The source dossier of a case, as PDF.")
    dsub = dossier.add_subparsers(dest="dossier_command", metavar="ACTION", required=True)
    p = dsub.add_parser("export", help="write a case's dossier as PDF (editors)",
                        description="Write the PDF source dossier of a case: claims with their "
                                    "verdicts, every piece of evidence with its provenance, the "
                                    "chain of custody and the audit trail. --redact masks "
                                    "third-party phone numbers, handles and names of private "
                                    "persons in the PDF (never in the workspace).")
    p.add_argument("case", type=int, metavar="CASE")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--redact", action="store_true",
                   help="mask phone numbers, handles and names of private persons")
    add_common(p, '{"file", "sha256", "pages", "evidence", "images", "redacted"}')
    p.set_defaults(handler=cmd_export)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False,
                      default=lambda v: iso_utc(v) if isinstance(v, datetime) else str(v))


def _setup(args) -> None:
    """The language of the messages (and of the dossier): --lang, else $RECOUPE_LANG."""
    if args.lang:
        i18n.use(args.lang)
    else:
        i18n.from_env()


def _acting(args, work):
    """Set the language, open the workspace and run `work(ws, actor)` as the person acting."""
    _setup(args)
    with open_workspace(args.workspace) as ws:
        return work(ws, actor_for(ws, args.user))


def _withdrawn(change: cases.Change) -> None:
    if change.withdrawn:
        a = change.withdrawn
        print(_("The approval given by {who} on {when} is withdrawn: {why}.",
                who=a["approved_by"], when=show(a["approved_at_utc"]),
                why=cases.describe_change(a["withdrawn_reason"])))


@one_line_errors
def cmd_create(args) -> int:
    case_id = _acting(args, lambda ws, actor: cases.create_case(ws, actor, args.title,
                                                                 args.summary, args.member))
    print(_json({"case": case_id}) if args.json
          else _("Case {id} opened: {title}", id=case_id, title=args.title))
    return 0


@one_line_errors
def cmd_list(args) -> int:
    _setup(args)
    with open_workspace(args.workspace, read_only=True) as ws:
        rows = cases.list_cases(ws)
    if args.json:
        print(_json(rows))
        return 0
    if not rows:
        print(_("No case yet: open one with `python -m recoupe case create TITLE`."))
    for r in rows:
        approval = (_("approved by {who}", who=r["approved_by"]) if r["approved_by"]
                    else _("not approved"))
        print(_("#{id} {title} [{status}] · {evidence} evidence · {claims} claims "
                "({unverified} unverified) · {approval}", id=r["id"], title=r["title"],
                status=cases.status_label(r["status"]), evidence=r["evidence"],
                claims=r["claims"], unverified=r["unverified"], approval=approval))
    return 0


@one_line_errors
def cmd_add(args) -> int:
    tags = cases.parse_tags(",".join(args.tag))
    out = []

    def work(ws, actor) -> None:
        for item in args.items:
            change = cases.add_evidence(ws, actor, args.case, item, note=args.note, tags=tags)
            out.append({"item": item, "evidence": change.id})
            if not args.json:
                print(_("Item {item} is evidence E{evidence} of case {case}.", item=item,
                        evidence=change.id, case=args.case))
                _withdrawn(change)
    _acting(args, work)
    if args.json:
        print(_json({"evidence": out}))
    return 0


def _evidence_ids(ws, case_id: int, given: list[str], items: list[int]) -> list[int]:
    ids = []
    for text in given:
        try:
            ids.append(int(text.strip().upper().removeprefix("E")))
        except ValueError:
            raise cases.CaseError(_("{text!r} is not an evidence id (E12 or 12).",
                                    text=text)) from None
    by_item = {e["item_id"]: e["id"] for e in cases.evidence_of(ws, case_id)}
    for item in items:
        if item not in by_item:
            raise cases.CaseError(_("Item {item} is not evidence of case {case}; add it with "
                                    "`python -m recoupe case add {case} {item}`.", item=item,
                                    case=case_id))
        ids.append(by_item[item])
    return ids


@one_line_errors
def cmd_claim(args) -> int:
    def work(ws, actor):
        evidence = _evidence_ids(ws, args.case, args.evidence, args.item)
        return evidence, cases.add_claim(ws, actor, args.case, args.statement, evidence)
    evidence, change = _acting(args, work)
    if args.json:
        print(_json({"claim": change.id, "evidence": evidence}))
    else:
        print(_("Claim {id} written, resting on {evidence}.", id=change.id,
                evidence=", ".join(f"E{e}" for e in evidence) or _("no evidence yet")))
        _withdrawn(change)
    return 0


@one_line_errors
def cmd_verdict(args) -> int:
    change = _acting(args, lambda ws, actor: cases.give_verdict(ws, actor, args.claim,
                                                                 args.verdict, args.reason))
    if args.json:
        print(_json({"claim": change.id, "verdict": args.verdict}))
    else:
        print(_("Claim {id} is {verdict}.", id=change.id,
                verdict=cases.verdict_label(args.verdict)))
        _withdrawn(change)
    return 0


@one_line_errors
def cmd_approve(args) -> int:
    approval, who = _acting(args, lambda ws, actor: (cases.approve(ws, actor, args.case,
                                                                    args.note), actor.name))
    print(_json({"approval": approval}) if args.json
          else _("The dossier of case {case} is approved by {who}.", case=args.case, who=who))
    return 0


@one_line_errors
def cmd_show(args) -> int:
    _setup(args)
    with open_workspace(args.workspace, read_only=True) as ws:
        d = cases.case_detail(ws, args.case)
    if args.json:
        print(_json(d))
        return 0
    c = d["case"]
    print(f"#{c['id']} {c['title']} [{cases.status_label(c['status'])}]")
    print(_("Owner: {owner} · members: {members}", owner=c["owner"],
            members=", ".join(m["name"] for m in d["members"])))
    state = d["approval"]
    if state["current"]:
        print(_("Approved by {who} on {when}.", who=state["current"]["approved_by"],
                when=show(state["current"]["approved_at_utc"])))
    elif state["withdrawn"]:
        w = state["withdrawn"]
        print(_("Not approved: the approval given by {who} on {when} was withdrawn on "
                "{withdrawn} by {by}: {why}.", who=w["approved_by"],
                when=show(w["approved_at_utc"]), withdrawn=show(w["withdrawn_at_utc"]),
                by=w["withdrawn_by"], why=cases.describe_change(w["because"])))
    else:
        print(_("Not approved."))
    if c["summary"]:
        print()
        print(c["summary"])
    print()
    print(_("Claims ({n})", n=len(d["claims"])))
    for k in d["claims"]:
        print(f"  {k['id']}. [{cases.verdict_label(k['verdict'])}] {k['statement']}")
        if k["verdict_by"]:
            print("     " + _("{who} on {when}: {why}", who=k["verdict_by"],
                              when=show(k["verdict_at_utc"]),
                              why=cases.system_reason(k["verdict_reason"]) or "—"))
        print("     " + _("rests on: {evidence}", evidence=", ".join(
            f"E{e}" for e in k["evidence"]) or _("no evidence")))
    print()
    print(_("Evidence ({n})", n=len(d["evidence"])))
    for e in d["evidence"]:
        when = show(e["posted_at_utc"] or e["captured_at_utc"])
        print(f"  E{e['id']} · " + _("item {item}", item=e["item_id"])
              + f" · {e['chat'] or '—'} · {e['author'] or '—'} · {when}")
        text = " ".join((e["text"] or "").split())
        print(f"     {text[:160]}{'…' if len(text) > 160 else ''}")
        if e["note"]:
            print("     " + _("note: {note}", note=e["note"]))
        if e["tags"]:
            print("     " + _("tags: {tags}", tags=", ".join(e["tags"])))
    return 0


@one_line_errors
def cmd_export(args) -> int:
    from .dossier import export

    def work(ws, actor):
        print(_("Writing the dossier of case {case}…", case=args.case), file=sys.stderr)
        return export(ws, actor, args.case, args.out, redact=args.redact, lang=i18n.language())
    result = _acting(args, work)
    if args.json:
        print(_json({"file": args.out, "sha256": result.sha256, "pages": result.pages,
                     "evidence": result.evidence, "images": result.images,
                     "withheld": result.withheld, "redacted": result.redacted,
                     "masked": result.masked}))
        return 0
    print(_("{file}: {pages} pages, {evidence} pieces of evidence, {images} images; SHA-256 "
            "{sha}", file=args.out, pages=result.pages, evidence=result.evidence,
            images=result.images, sha=result.sha256))
    if result.redacted:
        print(_("Redacted: phone numbers {phone} · handles and accounts {handle} · names of "
                "private persons {person}.", **result.masked))
    return 0


__all__ = ["add_commands"]

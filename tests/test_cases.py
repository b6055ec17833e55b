"""Cases, evidence, claims, verdicts and approvals, on the sample workspace."""

from __future__ import annotations

import shutil
import threading

import pytest

from recoupe import audit, cases
from recoupe.access import Actor, Forbidden
from recoupe.cases import CaseError
from recoupe.search import search
from recoupe.workspace import open_workspace

REPORTER = Actor("rita", "reporter")
CHECKER = Actor("fred", "fact-checker")
EDITOR = Actor("eve", "editor")


@pytest.fixture
def ws(sample_ws, tmp_path):
    dest = tmp_path / "ws"
    shutil.copytree(sample_ws, dest)
    with open_workspace(dest) as opened:
        yield opened


def ids_of(ws, query: str, n: int = 3) -> list[int]:
    return [h.id for h in search(ws, query, limit=n, facets=False, sort="time_asc").hits]


def calendar_case(ws) -> tuple[int, list[int], int]:
    """A case with three calendar adverts as evidence and one corroborated claim."""
    case_id = cases.create_case(ws, REPORTER, "Calendrier de l'avent", "Le réseau vend un "
                                "calendrier de l'avent de la drogue.")
    items = ids_of(ws, '"calendrier de l\'avent"')
    assert len(items) == 3
    evidence = [cases.add_evidence(ws, REPORTER, case_id, i, note="vu").id for i in items]
    claim = cases.add_claim(ws, REPORTER, case_id, "The network offered a drug advent calendar "
                            "in December 2026", evidence[:2]).id
    cases.give_verdict(ws, CHECKER, claim, "corroborated", "the same advert in three channels")
    return case_id, evidence, claim


def test_a_reporter_is_refused_an_approval_and_a_verdict(ws):
    case_id, _evidence, claim = calendar_case(ws)
    before = audit.entries(ws, case_id=case_id)
    with pytest.raises(Forbidden, match="rita is a reporter and may not approve a dossier"):
        cases.approve(ws, REPORTER, case_id)
    with pytest.raises(Forbidden, match="may not give a claim its verdict"):
        cases.give_verdict(ws, REPORTER, claim, "refuted", "no")
    with pytest.raises(Forbidden):
        cases.withdraw_approval(ws, CHECKER, case_id, "no")
    assert cases.approval_state(ws, case_id)["current"] is None
    assert cases.claims_of(ws, case_id)[0]["verdict"] == "corroborated"
    assert audit.entries(ws, case_id=case_id) == before
    assert cases.approve(ws, EDITOR, case_id) > 0


def test_a_claim_cannot_be_corroborated_without_evidence(ws):
    case_id, evidence, _claim = calendar_case(ws)
    bare = cases.add_claim(ws, REPORTER, case_id, "Prices dropped for Christmas").id
    with pytest.raises(CaseError, match="rests on no evidence"):
        cases.give_verdict(ws, CHECKER, bare, "corroborated", "sure")
    assert cases.claims_of(ws, case_id)[1]["verdict"] == "unverified"
    cases.give_verdict(ws, CHECKER, bare, "disputed", "only one channel says so")
    cases.link_evidence(ws, REPORTER, bare, evidence[2])
    cases.give_verdict(ws, CHECKER, bare, "corroborated", "now it rests on the advert")
    # its last evidence cannot then be taken away, from the claim or from the case
    with pytest.raises(CaseError, match="corroborated on this evidence alone"):
        cases.unlink_evidence(ws, REPORTER, bare, evidence[2])
    with pytest.raises(CaseError, match="corroborated on this evidence alone"):
        cases.remove_evidence(ws, REPORTER, evidence[2])
    with pytest.raises(CaseError, match="A verdict is one of"):
        cases.give_verdict(ws, CHECKER, bare, "true", "x")
    with pytest.raises(CaseError, match="reason cannot be empty"):
        cases.give_verdict(ws, CHECKER, bare, "refuted", "  ")


def test_approval_needs_every_claim_to_have_a_verdict(ws):
    case_id = cases.create_case(ws, REPORTER, "Empty")
    with pytest.raises(CaseError, match="no claim yet"):
        cases.approve(ws, EDITOR, case_id)
    case_id, _evidence, _claim = calendar_case(ws)
    waiting = cases.add_claim(ws, REPORTER, case_id, "A second statement").id
    with pytest.raises(CaseError, match=f"Claims {waiting} have no verdict yet"):
        cases.approve(ws, EDITOR, case_id)
    cases.give_verdict(ws, CHECKER, waiting, "refuted", "the channel denied it")
    approval = cases.approve(ws, EDITOR, case_id, "good to go")
    state = cases.approval_state(ws, case_id)
    assert state["current"]["id"] == approval and state["current"]["approved_by"] == "eve"
    with pytest.raises(CaseError, match="already approved"):
        cases.approve(ws, EDITOR, case_id)


CHANGES = {
    "evidence.add": lambda ws, c, ev, k, item: cases.add_evidence(ws, REPORTER, c, item),
    "evidence.note": lambda ws, c, ev, k, item: cases.set_note(ws, REPORTER, ev[0], "autre"),
    "evidence.tag": lambda ws, c, ev, k, item: cases.set_tags(ws, REPORTER, ev[0], "noel"),
    "evidence.remove": lambda ws, c, ev, k, item: cases.remove_evidence(ws, REPORTER, ev[2]),
    "claim.create": lambda ws, c, ev, k, item: cases.add_claim(ws, REPORTER, c, "More"),
    "claim.edit": lambda ws, c, ev, k, item: cases.edit_claim(ws, REPORTER, k, "Reworded"),
    "claim.link": lambda ws, c, ev, k, item: cases.link_evidence(ws, REPORTER, k, ev[2]),
    "claim.unlink": lambda ws, c, ev, k, item: cases.unlink_evidence(ws, REPORTER, k, ev[1]),
    "claim.verdict": lambda ws, c, ev, k, item: cases.give_verdict(ws, CHECKER, k, "disputed",
                                                                    "second thoughts"),
    "claim.remove": lambda ws, c, ev, k, item: cases.remove_claim(ws, REPORTER, k),
    "case.update": lambda ws, c, ev, k, item: cases.update_case(ws, REPORTER, c,
                                                                summary="New summary"),
}


@pytest.mark.parametrize("action", sorted(CHANGES))
def test_any_change_to_claims_or_evidence_withdraws_the_approval_and_says_so(ws, action):
    case_id, evidence, claim = calendar_case(ws)
    other = ids_of(ws, "reveillon", 1)[0]
    cases.approve(ws, EDITOR, case_id)
    change = CHANGES[action](ws, case_id, evidence, claim, other)
    assert change.withdrawn is not None and change.withdrawn["approved_by"] == "eve"
    state = cases.approval_state(ws, case_id)
    assert state["current"] is None
    assert state["withdrawn"]["because"]["action"] == action
    assert state["withdrawn"]["withdrawn_by"] == change.withdrawn["withdrawn_by"]
    said = cases.describe_change(state["withdrawn"]["because"])
    assert said and said != action
    entry = audit.entries(ws, case_id=case_id, action="dossier.withdraw")
    assert len(entry) == 1 and entry[0]["detail"]["because"]["action"] == action


def test_status_and_members_do_not_withdraw_the_approval(ws):
    case_id, _evidence, _claim = calendar_case(ws)
    cases.approve(ws, EDITOR, case_id)
    assert cases.update_case(ws, REPORTER, case_id, status="review").withdrawn is None
    assert cases.add_member(ws, REPORTER, case_id, "sami")
    assert not cases.add_member(ws, REPORTER, case_id, "sami")
    assert cases.remove_member(ws, REPORTER, case_id, "sami")
    with pytest.raises(CaseError, match="owns the case"):
        cases.remove_member(ws, REPORTER, case_id, "rita")
    assert cases.approval_state(ws, case_id)["current"] is not None


def test_every_change_is_audited_with_its_case(ws):
    case_id, evidence, claim = calendar_case(ws)
    cases.set_tags(ws, REPORTER, evidence[0], "calendar, #Noël 2026")
    cases.approve(ws, EDITOR, case_id)
    cases.edit_claim(ws, REPORTER, claim, "The network sold an advent calendar")
    actions = [e["action"] for e in reversed(audit.entries(ws, case_id=case_id))]
    assert actions == ["case.create", "evidence.add", "evidence.add", "evidence.add",
                       "claim.create", "claim.verdict", "evidence.tag", "dossier.approve",
                       "claim.edit", "claim.verdict", "dossier.withdraw"]
    who = {e["action"]: e["actor"] for e in audit.entries(ws, case_id=case_id)}
    assert who["dossier.approve"] == "eve" and who["claim.create"] == "rita"


def test_rewording_a_claim_puts_it_back_to_unverified_and_keeps_its_history(ws):
    case_id, _evidence, claim = calendar_case(ws)
    cases.edit_claim(ws, REPORTER, claim, "The network sold an advent calendar of drugs")
    now = cases.claims_of(ws, case_id, history=True)[0]
    assert now["verdict"] == "unverified"
    assert [h["verdict"] for h in now["history"]] == ["corroborated", "unverified"]
    assert now["history"][0]["reason"] == "the same advert in three channels"
    assert cases.system_reason(now["history"][1]["reason"]) == \
        "the claim was reworded after its verdict"
    # the same words again change nothing
    assert cases.edit_claim(ws, REPORTER, claim, now["statement"]).withdrawn is None
    assert len(cases.verdict_history(ws, claim)) == 2


def test_evidence_tags_feed_the_search_index(ws):
    case_id, evidence, _claim = calendar_case(ws)
    assert search(ws, "tag:calendar", facets=False).total == 0
    cases.set_tags(ws, REPORTER, evidence[0], "Calendar, #Noël 2026")
    first = cases.evidence_of(ws, case_id)[0]
    assert first["tags"] == ["calendar", "noël-2026"]
    hits = search(ws, "tag:calendar", facets=False)
    assert [h.id for h in hits.hits] == [first["item_id"]]
    assert search(ws, "tag:noel", facets=False).total == 1  # folded like every word
    facet = search(ws, "calendrier", filters={"tag": ["calendar"]}).facets["tag"]
    assert {v.value: v.count for v in facet} == {"calendar": 1, "noël-2026": 1}
    cases.set_tags(ws, REPORTER, evidence[0], "")
    assert search(ws, "tag:calendar", facets=False).total == 0
    cases.add_evidence(ws, REPORTER, case_id, first["item_id"], tags=["promo"])
    assert search(ws, "tag:promo", facets=False).total == 1
    cases.remove_evidence(ws, REPORTER, evidence[2])
    assert cases.all_tags(ws) == [{"tag": "promo", "n": 1}]


@pytest.mark.parametrize("tag, kept", [(" #Calendar ", "calendar"), ("Noël 2026", "noël-2026"),
                                       ("BLACK  friday", "black-friday")])
def test_tags_are_normalised(tag, kept):
    assert cases.normalise_tag(tag) == kept


@pytest.mark.parametrize("tag", ["", "#", "a\x00b", "x" * 41, "a\u202eb"])
def test_bad_tags_are_refused(tag):
    with pytest.raises(CaseError):
        cases.normalise_tag(tag)


def test_unknown_ids_and_bad_input_get_a_sentence(ws):
    with pytest.raises(CaseError, match="no case 999"):
        cases.add_evidence(ws, REPORTER, 999, 1)
    case_id = cases.create_case(ws, REPORTER, "  <b>Drive</b> ")
    assert cases.get_case(ws, case_id)["title"] == "<b>Drive</b>"
    with pytest.raises(CaseError, match="no item 99999999"):
        cases.add_evidence(ws, REPORTER, case_id, 99999999)
    with pytest.raises(CaseError, match="title cannot be empty"):
        cases.create_case(ws, REPORTER, "   ")
    with pytest.raises(CaseError, match="status is one of"):
        cases.update_case(ws, REPORTER, case_id, status="done")
    other = cases.create_case(ws, REPORTER, "Other")
    ev = cases.add_evidence(ws, REPORTER, other, ids_of(ws, "reveillon", 1)[0]).id
    with pytest.raises(CaseError, match=f"Evidence {ev} is not evidence of case {case_id}"):
        cases.add_claim(ws, REPORTER, case_id, "x", [ev])


def test_adding_an_item_twice_keeps_one_piece_of_evidence(ws):
    case_id = cases.create_case(ws, REPORTER, "Twice")
    item = ids_of(ws, "reveillon", 1)[0]
    first = cases.add_evidence(ws, REPORTER, case_id, item).id
    again = cases.add_evidence(ws, REPORTER, case_id, item, note="later note", tags="x").id
    assert again == first
    [only] = cases.evidence_of(ws, case_id)
    assert only["note"] == "later note" and only["tags"] == ["x"]
    assert [c["case_id"] for c in cases.cases_of_item(ws, item)] == [case_id]


def test_claims_written_at_once_from_two_sessions_are_all_kept(ws):
    """Two connections (two browser sessions) write claims to one approved case at once: each
    write withdraws or finds the approval, and DuckDB makes the later of two conflicting
    writers fail; the library retries it, so no claim is lost and each has its audit entry."""
    case_id, _evidence, _claim = calendar_case(ws)
    cases.approve(ws, EDITOR, case_id)
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            with open_workspace(ws.root) as mine:
                for n in range(15):
                    cases.add_claim(mine, Actor(name, "reporter"), case_id, f"{name} {n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    statements = {c["statement"] for c in cases.claims_of(ws, case_id)}
    assert {f"{who} {n}" for who in ("ana", "ben") for n in range(15)} <= statements
    created = audit.entries(ws, case_id=case_id, action="claim.create")
    assert len(created) == 31
    assert len(audit.entries(ws, case_id=case_id, action="dossier.withdraw")) == 1

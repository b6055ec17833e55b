"""Cases: the evidence gathered for a story, its claims and verdicts, the editor's approval, and
the PDF source dossier. `?case=N` opens case N."""

import pandas as pd
import streamlit as st

from pages.case_parts import acting_actor, acting_as_input, open_cases
from pages.common import through_app, workspace_or_stop
from recoupe import audit, cases
from recoupe.errors import RecoupeError
from recoupe.i18n import LANGUAGES, _, language
from recoupe.render import escape_markdown
from recoupe.times import show

through_app()
acting_as_input()
st.title(_("Cases"))

VERDICTS = {v: cases.verdict_label(v) for v in cases.VERDICTS}
STATUSES = {s: cases.status_label(s) for s in cases.STATUSES}
VERDICT_COLOURS = {"unverified": "gray", "corroborated": "green", "disputed": "orange",
                   "refuted": "red"}


def run(change, *, success: str | None = None) -> bool:
    """Make a change with the acting person; say what it did, or why it was refused."""
    with workspace_or_stop(write=True) as ws:
        actor = acting_actor(ws)
        if actor is None:
            return False
        try:
            result = change(ws, actor)
        except RecoupeError as exc:
            st.session_state["case_flash"] = ("error", str(exc))
            return False
    withdrawn = getattr(result, "withdrawn", None)
    if withdrawn:
        st.session_state["case_flash"] = ("warning", _(
            "The approval given by {who} is withdrawn: {why}.", who=withdrawn["approved_by"],
            why=cases.describe_change(withdrawn["withdrawn_reason"])))
    elif success:
        st.session_state["case_flash"] = ("success", success)
    open_cases.clear()
    return True


def verdict_badge(verdict: str) -> str:
    return f":{VERDICT_COLOURS.get(verdict, 'gray')}-badge[{cases.verdict_label(verdict)}]"


with workspace_or_stop() as ws:
    actor = acting_actor(ws)
    listing = cases.list_cases(ws)

left, main = st.columns([1, 3])
with left:
    with st.expander(_("New case"), expanded=not listing):
        with st.form("new-case", clear_on_submit=True, border=False):
            title = st.text_input(_("Title"))
            summary = st.text_area(_("Summary"), height=100)
            members = st.text_input(_("Members (comma-separated)"))
            if st.form_submit_button(_("Open the case")):
                def create(ws, actor):
                    return cases.create_case(ws, actor, title, summary,
                                             [m for m in members.split(",") if m.strip()])
                if run(create, success=_("Case opened.")):
                    with workspace_or_stop() as ws:
                        newest = max((c["id"] for c in cases.list_cases(ws)), default=None)
                    if newest is not None:
                        st.query_params["case"] = str(newest)
                    st.rerun()
    if listing:
        ids = [c["id"] for c in listing]
        titles = {c["id"]: c for c in listing}
        asked = st.query_params.get("case")
        current = int(asked) if asked and asked.isdigit() and int(asked) in titles else ids[0]
        names = {i: f"#{i} {titles[i]['title']} · {cases.status_label(titles[i]['status'])}"
                 for i in ids}
        chosen = st.radio(_("Cases"), ids, index=ids.index(current), format_func=names.get)
        if chosen != current or st.query_params.get("case") != str(chosen):
            st.query_params["case"] = str(chosen)
            current = chosen

if not listing:
    main.info(_("No case yet. Open one on the left, or add an item to a new case from the "
                "Search page or the item view."))
    st.stop()

flash = st.session_state.pop("case_flash", None)
slot = main.empty()  # always there: the tabs below keep their place, and the one open stays open
if flash:
    getattr(slot, flash[0])(flash[1])

with workspace_or_stop() as ws:
    try:
        detail = cases.case_detail(ws, current)
    except RecoupeError as exc:
        main.warning(str(exc))
        st.stop()
    history = audit.entries(ws, case_id=current, limit=2000)

case = detail["case"]
evidence = detail["evidence"]
claims = detail["claims"]
state = detail["approval"]
can = (lambda p: actor is not None and actor.can(p))

with main:
    st.subheader(f"#{case['id']} {escape_markdown(case['title'])}")
    st.caption(escape_markdown(_("{status} · owner {owner} · members: {members} · opened {when}",
                                 status=cases.status_label(case["status"]),
                                 owner=case["owner"],
                                 members=", ".join(m["name"] for m in detail["members"]),
                                 when=show(case["created_at_utc"]))))
    if case["summary"]:
        st.text(case["summary"])

    if state["current"]:
        a = state["current"]
        st.success(escape_markdown(_("Approved by {who} on {when}.", who=a["approved_by"],
                                     when=show(a["approved_at_utc"]))))
    elif state["withdrawn"]:
        a = state["withdrawn"]
        st.warning(escape_markdown(_(
            "Not approved: the approval given by {who} on {when} was withdrawn on {withdrawn} "
            "by {by}: {why}.", who=a["approved_by"], when=show(a["approved_at_utc"]),
            withdrawn=show(a["withdrawn_at_utc"]), by=a["withdrawn_by"],
            why=cases.describe_change(a["because"]))))
    elif not claims:
        st.info(_("Not approved yet: write the claims the story makes (Claims tab), resting on "
                  "the evidence; a fact-checker then gives each its verdict, and an editor "
                  "approves."))
    else:
        waiting = sum(1 for c in claims if c["verdict"] == "unverified")
        st.info(_("Not approved yet: {waiting} of {total} claims wait for a verdict.",
                  waiting=waiting, total=len(claims)))

    tab_claims, tab_evidence, tab_dossier, tab_activity, tab_case = st.tabs([
        _("Claims ({n})", n=len(claims)), _("Evidence ({n})", n=len(evidence)),
        _("Approval and dossier"), _("Activity"), _("Case")])

labels = {e["id"]: f"E{e['id']} · {_('item {item}', item=e['item_id'])} · {e['chat'] or '—'}"
                   f" · {show(e['posted_at_utc'] or e['captured_at_utc'])}" for e in evidence}

with tab_claims:
    for k in claims:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(_('Claim {n}', n=k['id']))}** "
                        f"{verdict_badge(k['verdict'])}")
            st.text(k["statement"])
            if k["verdict_by"]:
                st.caption(escape_markdown(_("{who} on {when}: {why}", who=k["verdict_by"],
                                             when=show(k["verdict_at_utc"]),
                                             why=cases.system_reason(k["verdict_reason"]) or "—")))
            if k["evidence"]:
                st.caption(escape_markdown(_("Rests on: {evidence}", evidence="; ".join(
                    labels.get(e, f"E{e}") for e in k["evidence"]))))
            else:
                st.caption(_("Rests on no evidence yet."))
            if can("claim.verdict"):
                with st.form(f"verdict-{k['id']}", border=False):
                    verdict = st.radio(_("Verdict"), cases.VERDICTS, horizontal=True,
                                       index=cases.VERDICTS.index(k["verdict"]),
                                       format_func=VERDICTS.get,
                                       key=f"v-{k['id']}-{language()}")
                    reason = st.text_input(_("Why"), key=f"why-{k['id']}")
                    if st.form_submit_button(_("Give the verdict")):
                        run(lambda ws, a, k=k: cases.give_verdict(ws, a, k["id"], verdict,
                                                                  reason),
                            success=_("Verdict recorded."))
                        st.rerun()
            with st.expander(_("Edit the claim")):
                with st.form(f"edit-{k['id']}", border=False):
                    statement = st.text_area(_("Statement"), value=k["statement"],
                                             key=f"s-{k['id']}")
                    rests = st.multiselect(_("Rests on"), list(labels), default=[
                        e for e in k["evidence"] if e in labels], format_func=labels.get,
                        key=f"r-{k['id']}")
                    remove = st.checkbox(_("Remove this claim"), key=f"rm-{k['id']}")
                    if st.form_submit_button(_("Save")):
                        def edit(ws, a, k=k, statement=statement, rests=rests, remove=remove):
                            if remove:
                                return cases.remove_claim(ws, a, k["id"])
                            return cases.update_claim(ws, a, k["id"], statement, rests)
                        run(edit, success=_("Claim saved."))
                        st.rerun()
                if k["history"]:
                    st.dataframe(pd.DataFrame([{
                        _("When"): show(h["given_at_utc"]),
                        _("Verdict"): cases.verdict_label(h["verdict"]),
                        _("By"): h["given_by"],
                        _("Why"): cases.system_reason(h["reason"]) or ""}
                        for h in k["history"]]), hide_index=True, width="stretch")
    with st.form("new-claim", clear_on_submit=True):
        st.markdown(f"**{_('New claim')}**")
        statement = st.text_area(_("Statement"), placeholder=_(
            "The network offered a drug advent calendar in December 2026"))
        rests = st.multiselect(_("Rests on"), list(labels), format_func=labels.get)
        if st.form_submit_button(_("Add the claim")):
            run(lambda ws, a: cases.add_claim(ws, a, current, statement, rests),
                success=_("Claim added."))
            st.rerun()

with tab_evidence:
    if not evidence:
        st.info(_("No evidence yet: add items from the Search page, the item view or the "
                  "Duplicates page, or by id below."))
    for e in evidence:
        with st.container(border=True):
            st.caption(escape_markdown(
                f"E{e['id']} · {e['chat'] or '—'} · {e['author'] or '—'} · "
                f"{show(e['posted_at_utc'] or e['captured_at_utc'])} · {e['platform']}"))
            st.text(e["text"] or _("(no text)"))
            st.page_link("pages/item.py", label=_("Open item {item}", item=e["item_id"]),
                         query_params={"id": str(e["item_id"])})
            st.caption(escape_markdown(_("Added by {who} on {when}", who=e["added_by"],
                                         when=show(e["added_at_utc"])))
                       + (" · " + escape_markdown(_("supports claims {claims}", claims=", ".join(
                           str(c) for c in e["claims"]))) if e["claims"] else ""))
            with st.form(f"ev-{e['id']}", border=False):
                note = st.text_area(_("Note"), value=e["note"], key=f"n-{e['id']}", height=68)
                tags = st.text_input(_("Tags (comma-separated)"), value=", ".join(e["tags"]),
                                     key=f"t-{e['id']}")
                remove = st.checkbox(_("Remove from the case"), key=f"x-{e['id']}")
                if st.form_submit_button(_("Save")):
                    def save(ws, a, e=e, note=note, tags=tags, remove=remove):
                        if remove:
                            return cases.remove_evidence(ws, a, e["id"])
                        return cases.update_evidence(ws, a, e["id"], note, tags)
                    run(save, success=_("Evidence saved."))
                    st.rerun()
    with st.form("add-by-id", clear_on_submit=True):
        st.markdown(f"**{_('Add an item by its id')}**")
        item = st.number_input(_("Item"), min_value=1, step=1, value=None)
        note = st.text_input(_("Note"))
        tags = st.text_input(_("Tags (comma-separated)"))
        if st.form_submit_button(_("Add")) and item:
            run(lambda ws, a: cases.add_evidence(ws, a, current, int(item), note=note,
                                                 tags=tags), success=_("Evidence added."))
            st.rerun()

with tab_dossier:
    if can("dossier.approve"):
        if state["current"]:
            with st.form("withdraw"):
                why = st.text_input(_("Why withdraw the approval?"))
                if st.form_submit_button(_("Withdraw the approval")):
                    run(lambda ws, a: cases.withdraw_approval(ws, a, current, why))
                    st.rerun()
        else:
            with st.form("approve"):
                note = st.text_input(_("Note with the approval"))
                if st.form_submit_button(_("Approve the dossier")):
                    run(lambda ws, a: cases.approve(ws, a, current, note),
                        success=_("Dossier approved."))
                    st.rerun()
    else:
        st.caption(_("Editors approve the dossier once a fact-checker has given every claim "
                     "its verdict."))
    st.divider()
    if can("dossier.export"):
        cols = st.columns(2)
        lang = cols[0].selectbox(_("Language of the dossier"), list(LANGUAGES),
                                 index=list(LANGUAGES).index(language()),
                                 format_func=LANGUAGES.get)
        redact = cols[1].checkbox(_("Redacted"), help=_(
            "Masks phone numbers, handles and names of private persons in the PDF (never in the "
            "workspace)."))
        if st.button(_("Prepare the PDF dossier")):
            from recoupe.dossier import export
            with st.spinner(_("Writing the dossier…")):
                with workspace_or_stop(write=True) as ws:
                    try:
                        made = export(ws, actor, current, redact=redact, lang=lang)
                    except RecoupeError as exc:
                        st.error(str(exc))
                        made = None
            if made is not None:
                st.session_state["dossier"] = (current, redact, made.data, made.pages,
                                               made.sha256)
        ready = st.session_state.get("dossier")
        if ready and ready[0] == current:
            st.download_button(_("Download the dossier ({pages} pages)", pages=ready[3]),
                               ready[2], mime="application/pdf",
                               file_name=f"recoupe-case-{current}"
                                         f"{'-redacted' if ready[1] else ''}.pdf")
            st.caption(_("SHA-256 of this PDF: {sha}", sha=ready[4]))
    else:
        st.caption(_("Editors export the dossier as PDF."))

with tab_activity:
    if history:
        st.dataframe(pd.DataFrame([{
            "#": h["id"], _("When"): show(h["at_utc"]), _("Who"): h["actor"],
            _("What"): cases.describe_entry(h)} for h in history]), hide_index=True,
            width="stretch")
    else:
        st.caption(_("Nothing recorded yet."))

with tab_case:
    with st.form("case-settings"):
        title = st.text_input(_("Title"), value=case["title"])
        summary = st.text_area(_("Summary"), value=case["summary"], height=120)
        status = st.selectbox(_("Status"), cases.STATUSES, index=cases.STATUSES.index(
            case["status"]), format_func=STATUSES.get)
        owner = st.text_input(_("Owner"), value=case["owner"])
        add = st.text_input(_("Put someone on the case"))
        drop = st.multiselect(_("Take off the case"), [m["name"] for m in detail["members"]
                                                       if m["name"] != case["owner"]])
        if st.form_submit_button(_("Save the case")):
            def settle(ws, a):
                last = cases.update_case(ws, a, current, title=title, summary=summary,
                                         status=status, owner=owner)
                if add.strip():
                    cases.add_member(ws, a, current, add)
                for name in drop:
                    cases.remove_member(ws, a, current, name)
                return last
            run(settle, success=_("Case saved."))
            st.rerun()

-- Cases (recoupe/cases.py): cases and their members, evidence with notes and tags, claims with
-- their evidence and verdicts, approvals. Each change is one short transaction with its audit
-- entry.

-- name: create
-- returns: the new case's id
INSERT INTO cases (title, summary, owner, status, created_at_utc, created_by)
VALUES ($title, $summary, $owner, 'open', $now, $actor)
RETURNING id;

-- name: get
-- returns: one case
SELECT id, title, summary, owner, status, created_at_utc, created_by FROM cases WHERE id = $case_id;

-- name: list
-- returns: every case with its counts and approval state, most recently changed first
SELECT c.id, c.title, c.summary, c.owner, c.status, c.created_at_utc, c.created_by,
       (SELECT count(*) FROM evidence e WHERE e.case_id = c.id) AS evidence,
       (SELECT count(*) FROM claims k WHERE k.case_id = c.id) AS claims,
       (SELECT count(*) FROM claims k WHERE k.case_id = c.id AND k.verdict = 'unverified')
           AS unverified,
       (SELECT a.approved_by FROM approvals a
        WHERE a.case_id = c.id AND a.withdrawn_at_utc IS NULL) AS approved_by,
       (SELECT max(at_utc) FROM audit x WHERE x.case_id = c.id) AS changed_at_utc
FROM cases c
ORDER BY changed_at_utc DESC NULLS LAST, c.id DESC;

-- name: update
-- returns: the id of the case changed (none if there is no such case)
UPDATE cases SET title = $title, summary = $summary, status = $status, owner = $owner
WHERE id = $case_id
RETURNING id;

-- name: members
-- returns: the people on a case, in the order they were added
SELECT name, added_at_utc, added_by FROM case_members WHERE case_id = $case_id
ORDER BY added_at_utc, name;

-- name: add_member
-- returns: the name added (none when already a member)
INSERT INTO case_members (case_id, name, added_at_utc, added_by)
VALUES ($case_id, $name, $now, $actor)
ON CONFLICT DO NOTHING
RETURNING name;

-- name: remove_member
-- returns: the name removed (none when not a member)
DELETE FROM case_members WHERE case_id = $case_id AND name = $name RETURNING name;

-- name: item_exists
-- returns: the item's id, chat name and kind, when there is such an item
SELECT i.id, c.name AS chat, i.kind FROM items i JOIN chats c ON c.id = i.chat_id
WHERE i.id = $item_id;

-- name: add_evidence
-- returns: the new piece of evidence's id (none when the item is already evidence of the case)
INSERT INTO evidence (case_id, item_id, note, added_at_utc, added_by)
VALUES ($case_id, $item_id, $note, $now, $actor)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: evidence_of_item
-- returns: the piece of evidence an item is in a case, if any
SELECT id FROM evidence WHERE case_id = $case_id AND item_id = $item_id;

-- name: evidence_one
-- returns: one piece of evidence with its case
SELECT id, case_id, item_id, note, added_at_utc, added_by FROM evidence WHERE id = $evidence_id;

-- name: evidence
-- returns: a case's evidence in the order it was added, with its item's chat, author, time,
-- platform and text, and its tags
SELECT e.id, e.case_id, e.item_id, e.note, e.added_at_utc, e.added_by,
       i.platform, i.kind, c.name AS chat, c.chat_type, i.author, i.message_id,
       i.posted_at_utc, i.captured_at_utc, i.text,
       coalesce((SELECT list(t.tag ORDER BY t.tag) FROM evidence_tags t
                 WHERE t.evidence_id = e.id), []) AS tags,
       (SELECT list(ce.claim_id ORDER BY ce.claim_id) FROM claim_evidence ce
        WHERE ce.evidence_id = e.id) AS claims
FROM evidence e
JOIN items i ON i.id = e.item_id
JOIN chats c ON c.id = i.chat_id
WHERE e.case_id = $case_id
ORDER BY e.added_at_utc, e.id;

-- name: set_note
-- returns: the id of the evidence changed
UPDATE evidence SET note = $note WHERE id = $evidence_id RETURNING id;

-- name: tags
-- returns: the tags of one piece of evidence, in order
SELECT tag FROM evidence_tags WHERE evidence_id = $evidence_id ORDER BY tag;

-- name: add_tag
-- returns: the tag added (none when it was already there)
INSERT INTO evidence_tags (evidence_id, tag, added_at_utc, added_by)
VALUES ($evidence_id, $tag, $now, $actor)
ON CONFLICT DO NOTHING
RETURNING tag;

-- name: remove_tag
-- returns: the tag removed (none when it was not there)
DELETE FROM evidence_tags WHERE evidence_id = $evidence_id AND tag = $tag RETURNING tag;

-- name: all_tags
-- returns: every tag in use, with how many pieces of evidence carry it, most used first
SELECT tag, count(*) AS n FROM evidence_tags GROUP BY tag ORDER BY n DESC, tag;

-- name: remove_evidence
-- returns: the id of the evidence removed
DELETE FROM evidence WHERE id = $evidence_id RETURNING id;

-- name: remove_evidence_tags
-- returns: nothing; the tags of a piece of evidence being removed
DELETE FROM evidence_tags WHERE evidence_id = $evidence_id;

-- name: remove_evidence_links
-- returns: nothing; the links of claims to a piece of evidence being removed
DELETE FROM claim_evidence WHERE evidence_id = $evidence_id;

-- name: claims_resting_only_on
-- returns: the corroborated claims whose only evidence is the given piece
SELECT k.id FROM claims k
WHERE k.verdict = 'corroborated'
  AND k.id IN (SELECT claim_id FROM claim_evidence WHERE evidence_id = $evidence_id)
  AND (SELECT count(*) FROM claim_evidence ce WHERE ce.claim_id = k.id) = 1
ORDER BY k.id;

-- name: cases_of_item
-- returns: the cases an item is evidence in, with the evidence's id, note and tags
SELECT c.id AS case_id, c.title, c.status, e.id AS evidence_id, e.note,
       coalesce((SELECT list(t.tag ORDER BY t.tag) FROM evidence_tags t
                 WHERE t.evidence_id = e.id), []) AS tags
FROM evidence e JOIN cases c ON c.id = e.case_id
WHERE e.item_id = $item_id
ORDER BY c.id;

-- name: add_claim
-- returns: the new claim's id (placed after the case's other claims)
INSERT INTO claims (case_id, position, statement, created_at_utc, created_by)
VALUES ($case_id,
        (SELECT coalesce(max(position), 0) + 1 FROM claims WHERE case_id = $case_id),
        $statement, $now, $actor)
RETURNING id;

-- name: claim
-- returns: one claim
SELECT id, case_id, position, statement, verdict, verdict_by, verdict_at_utc, verdict_reason,
       created_at_utc, created_by
FROM claims WHERE id = $claim_id;

-- name: claims
-- returns: a case's claims in order, with the ids of the evidence each rests on
SELECT k.id, k.case_id, k.position, k.statement, k.verdict, k.verdict_by, k.verdict_at_utc,
       k.verdict_reason, k.created_at_utc, k.created_by,
       coalesce((SELECT list(ce.evidence_id ORDER BY ce.evidence_id) FROM claim_evidence ce
                 WHERE ce.claim_id = k.id), []) AS evidence
FROM claims k WHERE k.case_id = $case_id
ORDER BY k.position, k.id;

-- name: set_statement
-- returns: the id of the claim changed
UPDATE claims SET statement = $statement WHERE id = $claim_id RETURNING id;

-- name: remove_claim
-- returns: the id of the claim removed
DELETE FROM claims WHERE id = $claim_id RETURNING id;

-- name: remove_claim_links
-- returns: nothing; the evidence links of a claim being removed
DELETE FROM claim_evidence WHERE claim_id = $claim_id;

-- name: remove_claim_verdicts
-- returns: nothing; the verdict history of a claim being removed (the audit trail keeps it)
DELETE FROM claim_verdicts WHERE claim_id = $claim_id;

-- name: link
-- returns: the evidence id linked (none when the claim already rested on it)
INSERT INTO claim_evidence (claim_id, evidence_id, linked_at_utc, linked_by)
VALUES ($claim_id, $evidence_id, $now, $actor)
ON CONFLICT DO NOTHING
RETURNING evidence_id;

-- name: unlink
-- returns: the evidence id unlinked (none when the claim did not rest on it)
DELETE FROM claim_evidence WHERE claim_id = $claim_id AND evidence_id = $evidence_id
RETURNING evidence_id;

-- name: claim_evidence_count
-- returns: how many pieces of evidence a claim rests on
SELECT count(*) FROM claim_evidence WHERE claim_id = $claim_id;

-- name: set_verdict
-- returns: the id of the claim given the verdict
UPDATE claims SET verdict = $verdict, verdict_by = $actor, verdict_at_utc = $now,
                  verdict_reason = $reason
WHERE id = $claim_id
RETURNING id;

-- name: record_verdict
-- returns: the id of the verdict's entry in the claim's history
INSERT INTO claim_verdicts (claim_id, verdict, reason, given_by, given_at_utc)
VALUES ($claim_id, $verdict, $reason, $actor, $now)
RETURNING id;

-- name: verdicts
-- returns: every verdict given to a claim, oldest first
SELECT id, verdict, reason, given_by, given_at_utc FROM claim_verdicts
WHERE claim_id = $claim_id ORDER BY given_at_utc, id;

-- name: approve
-- returns: the new approval's id
INSERT INTO approvals (case_id, approved_by, approved_at_utc, note)
VALUES ($case_id, $actor, $now, $note)
RETURNING id;

-- name: approval
-- returns: a case's approval in force, if any
SELECT id, approved_by, approved_at_utc, note FROM approvals
WHERE case_id = $case_id AND withdrawn_at_utc IS NULL
ORDER BY id DESC LIMIT 1;

-- name: approvals
-- returns: every approval of a case, newest first, withdrawn or in force
SELECT id, approved_by, approved_at_utc, note, withdrawn_at_utc, withdrawn_by, withdrawn_reason
FROM approvals WHERE case_id = $case_id ORDER BY id DESC;

-- name: withdraw
-- returns: the ids of the approvals withdrawn (the one in force, if any)
UPDATE approvals SET withdrawn_at_utc = $now, withdrawn_by = $actor, withdrawn_reason = $reason
WHERE case_id = $case_id AND withdrawn_at_utc IS NULL
RETURNING id;

-- Migration 8: cases, the evidence they gather, the claims of the story, the fact-checkers'
-- verdicts and the editors' approvals (issue 8). Every change is also written to `audit`
-- (migration 5) with the case's id, in the same transaction (recoupe/cases.py).

CREATE SEQUENCE case_id_seq START 1;
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY DEFAULT nextval('case_id_seq'),
    title           VARCHAR NOT NULL,
    summary         VARCHAR NOT NULL DEFAULT '',
    owner           VARCHAR NOT NULL,
    status          VARCHAR NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'review', 'published', 'closed')),
    created_at_utc  TIMESTAMP NOT NULL,
    created_by      VARCHAR NOT NULL
);

-- The people on the story (the owner is one of them).
CREATE TABLE case_members (
    case_id         INTEGER NOT NULL,
    name            VARCHAR NOT NULL,
    added_at_utc    TIMESTAMP NOT NULL,
    added_by        VARCHAR NOT NULL,
    PRIMARY KEY (case_id, name)
);

-- An item (message, screenshot) gathered into a case, with the reporter's note.
CREATE SEQUENCE evidence_id_seq START 1;
CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY DEFAULT nextval('evidence_id_seq'),
    case_id         INTEGER NOT NULL,
    item_id         BIGINT NOT NULL,
    note            VARCHAR NOT NULL DEFAULT '',
    added_at_utc    TIMESTAMP NOT NULL,
    added_by        VARCHAR NOT NULL,
    UNIQUE (case_id, item_id)
);
CREATE INDEX evidence_item ON evidence (item_id);

-- Tags of a piece of evidence; the search index's `tag` field holds the tags of every piece of
-- evidence made of an item (`tag:calendar`).
CREATE TABLE evidence_tags (
    evidence_id     INTEGER NOT NULL,
    tag             VARCHAR NOT NULL,
    added_at_utc    TIMESTAMP NOT NULL,
    added_by        VARCHAR NOT NULL,
    PRIMARY KEY (evidence_id, tag)
);

-- A statement of the story, with the fact-checker's current verdict (its history is in
-- claim_verdicts).
CREATE SEQUENCE claim_id_seq START 1;
CREATE TABLE claims (
    id              INTEGER PRIMARY KEY DEFAULT nextval('claim_id_seq'),
    case_id         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    statement       VARCHAR NOT NULL,
    verdict         VARCHAR NOT NULL DEFAULT 'unverified'
                    CHECK (verdict IN ('unverified', 'corroborated', 'disputed', 'refuted')),
    verdict_by      VARCHAR,
    verdict_at_utc  TIMESTAMP,
    verdict_reason  VARCHAR,
    created_at_utc  TIMESTAMP NOT NULL,
    created_by      VARCHAR NOT NULL
);
CREATE INDEX claims_case ON claims (case_id);

-- Which evidence each claim rests on.
CREATE TABLE claim_evidence (
    claim_id        INTEGER NOT NULL,
    evidence_id     INTEGER NOT NULL,
    linked_at_utc   TIMESTAMP NOT NULL,
    linked_by       VARCHAR NOT NULL,
    PRIMARY KEY (claim_id, evidence_id)
);

-- Every verdict ever given to a claim (the current one is also on the claim).
CREATE SEQUENCE claim_verdict_id_seq START 1;
CREATE TABLE claim_verdicts (
    id              INTEGER PRIMARY KEY DEFAULT nextval('claim_verdict_id_seq'),
    claim_id        INTEGER NOT NULL,
    verdict         VARCHAR NOT NULL,
    reason          VARCHAR,
    given_by        VARCHAR NOT NULL,
    given_at_utc    TIMESTAMP NOT NULL
);

-- An editor's approval of a case's dossier. Any later change to its claims or evidence
-- withdraws it: withdrawn_at_utc, withdrawn_by (who made the change) and withdrawn_reason say
-- when, by whom and what changed. At most one approval per case is in force.
CREATE SEQUENCE approval_id_seq START 1;
CREATE TABLE approvals (
    id                INTEGER PRIMARY KEY DEFAULT nextval('approval_id_seq'),
    case_id           INTEGER NOT NULL,
    approved_by       VARCHAR NOT NULL,
    approved_at_utc   TIMESTAMP NOT NULL,
    note              VARCHAR,
    withdrawn_at_utc  TIMESTAMP,
    withdrawn_by      VARCHAR,
    withdrawn_reason  VARCHAR
);
CREATE INDEX approvals_case ON approvals (case_id);

-- Migration 5: the people of a workspace and the append-only record of what they did.
-- Accounts are filled by `python -m recoupe user add` (issue 9); a workspace without any account
-- is a single local user's (see recoupe/access.py).

CREATE TABLE users (
    name            VARCHAR PRIMARY KEY,      -- sign-in name, lower case
    display_name    VARCHAR,
    role            VARCHAR NOT NULL CHECK (role IN ('reporter', 'fact-checker', 'editor', 'admin')),
    password_hash   VARCHAR,                  -- argon2 or bcrypt; NULL for identity-provider accounts
    email           VARCHAR,
    language        VARCHAR,                  -- 'fr' or 'en', the person's choice; NULL = browser's
    disabled        BOOLEAN NOT NULL DEFAULT false,
    created_at_utc  TIMESTAMP NOT NULL,
    created_by      VARCHAR NOT NULL
);

CREATE SEQUENCE audit_id START 1;

-- Append-only: recoupe/audit.py only ever inserts; no statement in queries/ updates or deletes it
-- (tests/test_audit_contract.py reads every statement to make sure).
CREATE TABLE audit (
    id              BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),
    at_utc          TIMESTAMP NOT NULL,
    actor           VARCHAR NOT NULL,         -- who: a user name, or 'local' without accounts
    action          VARCHAR NOT NULL,         -- what: 'import', 'case.create', 'claim.verdict', ...
    object_type     VARCHAR,                  -- on what: 'case', 'claim', 'item', 'user', 'run'...
    object_id       VARCHAR,
    case_id         BIGINT,                   -- the case concerned, when there is one
    detail          JSON                      -- the rest, as the action defines it
);
CREATE INDEX audit_case ON audit (case_id);

-- Migration 4: saved searches, per person, and how many posts each matched after each import.

CREATE SEQUENCE saved_search_id_seq START 1;
CREATE TABLE saved_searches (
    id              INTEGER PRIMARY KEY,
    owner           VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    query           VARCHAR NOT NULL,
    filters         VARCHAR,            -- JSON: the filters of the search page
    created_at_utc  TIMESTAMP NOT NULL,
    total           INTEGER,            -- hits when last counted (after the latest import)
    previous_total  INTEGER,            -- hits counted after the import before it
    counted_at_utc  TIMESTAMP,
    UNIQUE (owner, name)
);

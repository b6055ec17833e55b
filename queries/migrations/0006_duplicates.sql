-- Migration 6: near-duplicate clusters (issue 6). Every copy of an advert (reposts in relays,
-- forwards, screenshots) belongs to one cluster; items without a copy belong to none. Derived
-- data: `python -m recoupe duplicates --rebuild` makes it again from the items. The MinHash/LSH
-- index beside the store (duplicates-index/) is derived too.

CREATE SEQUENCE dup_cluster_id_seq START 1;
CREATE TABLE dup_clusters (
    id               BIGINT PRIMARY KEY,
    size             INTEGER NOT NULL,     -- copies (items) in the cluster
    chats            INTEGER NOT NULL,     -- distinct chats they were posted in
    first_item_id    BIGINT NOT NULL,      -- the earliest copy (posted first; screenshots last)
    first_seen_utc   TIMESTAMP,
    last_seen_utc    TIMESTAMP,
    updated_at_utc   TIMESTAMP NOT NULL
);

CREATE TABLE dup_members (
    item_id          BIGINT PRIMARY KEY,
    cluster_id       BIGINT NOT NULL,
    via              VARCHAR NOT NULL,     -- how it joined: 'exact', 'text', 'screenshot', 'image'
    linked_item_id   BIGINT,               -- the item it was found to copy (or be copied by)
    score            DOUBLE                -- similarity of that link, 0-100
);
CREATE INDEX dup_members_cluster ON dup_members (cluster_id);

-- What a screenshot's OCR text matches among the messages (closest first), for fact-checkers.
CREATE TABLE dup_screen_matches (
    screenshot_id    BIGINT NOT NULL,
    item_id          BIGINT NOT NULL,
    rank             INTEGER NOT NULL,
    score            DOUBLE NOT NULL,
    differs          VARCHAR               -- JSON list: 'price', 'phone', 'handle' that differ
);

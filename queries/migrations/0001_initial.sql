-- Migration 1: the store of a workspace.
-- Times are TIMESTAMP in UTC (the column names say so); the offset that a source gave is kept
-- beside them in minutes. JSON values are kept as text (VARCHAR) holding JSON.

CREATE SEQUENCE ingest_run_id_seq START 1;
CREATE TABLE ingest_runs (
    id              INTEGER PRIMARY KEY,
    started_at_utc  TIMESTAMP NOT NULL,
    finished_at_utc TIMESTAMP,
    user_name       VARCHAR NOT NULL,
    command         VARCHAR NOT NULL,      -- 'cli' or 'app'
    arguments       VARCHAR,               -- JSON: what was asked
    tool_version    VARCHAR NOT NULL,
    host            VARCHAR
);

CREATE SEQUENCE source_id_seq START 1;
CREATE TABLE source_files (
    id               INTEGER PRIMARY KEY,
    sha256           VARCHAR NOT NULL UNIQUE,
    original_name    VARCHAR NOT NULL,     -- the file name as handed in
    original_path    VARCHAR,              -- where it was read from
    format           VARCHAR NOT NULL,     -- e.g. 'telegram_json'
    size_bytes       BIGINT NOT NULL,
    parser           VARCHAR NOT NULL,
    parser_version   VARCHAR NOT NULL,
    stored_as        VARCHAR NOT NULL,     -- path of the evidentiary copy, relative to the workspace
    imported_at_utc  TIMESTAMP NOT NULL,
    imported_by      VARCHAR NOT NULL,
    run_id           INTEGER NOT NULL,
    tz_assumed       VARCHAR,              -- set when the source had local times without offset
    items_new        INTEGER NOT NULL DEFAULT 0,
    items_updated    INTEGER NOT NULL DEFAULT 0,
    items_unchanged  INTEGER NOT NULL DEFAULT 0,
    notes            VARCHAR               -- JSON: what the parser wants kept (counts, warnings)
);

CREATE TABLE ingest_rejections (
    run_id          INTEGER NOT NULL,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR,
    format          VARCHAR,
    reason          VARCHAR NOT NULL,
    rejected_at_utc TIMESTAMP NOT NULL
);

CREATE SEQUENCE chat_id_seq START 1;
CREATE TABLE chats (
    id              INTEGER PRIMARY KEY,
    platform        VARCHAR NOT NULL,      -- 'telegram', later 'whatsapp', 'screenshot'
    external_id     VARCHAR NOT NULL,      -- the platform's id, or a stand-in the parser says it made
    name            VARCHAR,
    chat_type       VARCHAR,               -- 'public_channel', 'private_group', 'personal_chat', ...
    first_source_id INTEGER NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE SEQUENCE item_id_seq START 1;
CREATE TABLE items (
    id                 BIGINT PRIMARY KEY,
    chat_id            INTEGER NOT NULL,
    item_key           VARCHAR NOT NULL,   -- unique in the chat: the message id, or a stand-in
    message_id         BIGINT,             -- the platform's message id, when it has one
    platform           VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,   -- 'post' or 'event' (service message, system line)
    author             VARCHAR,
    author_id          VARCHAR,
    posted_at_utc      TIMESTAMP,
    posted_offset_min  SMALLINT,           -- the offset the source gave (NULL: none given)
    tz_assumed         VARCHAR,            -- the zone assumed for a local time without offset
    text               VARCHAR NOT NULL,
    entities           VARCHAR,            -- JSON list: type, text, offset, length, href
    reply_to           BIGINT,
    forwarded_from     VARCHAR,
    forwarded_from_id  VARCHAR,
    edited_at_utc      TIMESTAMP,
    media              VARCHAR,            -- JSON list of media descriptors
    reactions          VARCHAR,            -- JSON
    buttons            VARCHAR,            -- JSON: inline buttons with their URLs
    action             VARCHAR,            -- for events: what happened ('pin_message', ...)
    album_key          VARCHAR,            -- items of one album share it
    extra              VARCHAR,            -- JSON: every other field of the source, nothing lost
    source_id          INTEGER NOT NULL,   -- the first source file that held it
    last_source_id     INTEGER NOT NULL,   -- the source file its current version comes from
    first_seen_utc     TIMESTAMP NOT NULL,
    UNIQUE (chat_id, item_key)
);

-- Earlier (or later-superseded) texts of an item, when exports disagree about it.
CREATE TABLE item_versions (
    item_id         BIGINT NOT NULL,
    text            VARCHAR NOT NULL,
    entities        VARCHAR,
    edited_at_utc   TIMESTAMP,
    source_id       INTEGER NOT NULL,      -- the export that showed this version
    recorded_at_utc TIMESTAMP NOT NULL
);

-- Which source files held which items: the chain from an item back to its evidence.
CREATE TABLE item_sources (
    item_id   BIGINT NOT NULL,
    source_id INTEGER NOT NULL
);

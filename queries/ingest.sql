-- Statements used while importing one source file. Each file is imported in one transaction;
-- its rows arrive in Arrow batches (`stage_batch`), are classified, and merged into `items`.

-- name: start_run
-- returns: the id of the new ingest run
INSERT INTO ingest_runs (id, started_at_utc, user_name, command, arguments, tool_version, host)
VALUES (nextval('ingest_run_id_seq'), $started, $user_name, $command, $arguments, $tool_version, $host)
RETURNING id;

-- name: finish_run
-- returns: nothing
UPDATE ingest_runs SET finished_at_utc = $finished WHERE id = $run_id;

-- name: source_by_sha
-- returns: id of the source file with that SHA-256, if already imported
SELECT id FROM source_files WHERE sha256 = $sha256;

-- name: items_of_source
-- returns: how many items a source file holds
SELECT count(*) FROM item_sources WHERE source_id = $source_id;

-- name: insert_source
-- returns: the id of the new source file row
INSERT INTO source_files (id, sha256, original_name, original_path, format, size_bytes, parser,
                          parser_version, stored_as, imported_at_utc, imported_by, run_id)
VALUES (nextval('source_id_seq'), $sha256, $original_name, $original_path, $format, $size_bytes,
        $parser, $parser_version, $stored_as, $imported_at, $imported_by, $run_id)
RETURNING id;

-- name: finish_source
-- returns: nothing
UPDATE source_files
SET items_new = $items_new, items_updated = $items_updated, items_unchanged = $items_unchanged,
    tz_assumed = $tz_assumed, notes = $notes
WHERE id = $source_id;

-- name: record_rejection
-- returns: nothing
INSERT INTO ingest_rejections VALUES ($run_id, $path, $sha256, $format, $reason, $rejected_at);

-- name: chat_by_external_id
-- returns: the id of a chat, if known
SELECT id FROM chats WHERE platform = $platform AND external_id = $external_id;

-- name: insert_chat
-- returns: the id of the new chat
INSERT INTO chats VALUES (nextval('chat_id_seq'), $platform, $external_id, $name, $chat_type, $source_id)
RETURNING id;

-- name: chat_by_name
-- returns: the id of the one chat of a platform with this name (none when several share it)
SELECT min(id) FROM chats WHERE platform = $platform AND name = $name HAVING count(*) = 1;

-- name: adopt_external_id
-- returns: nothing; a chat first known by its name takes the platform's id when an export gives it
UPDATE chats SET external_id = $external_id WHERE id = $chat_id;

-- name: name_chat
-- returns: nothing; gives a name and type to a chat first seen without them
UPDATE chats SET name = coalesce(name, $name), chat_type = coalesce(chat_type, $chat_type)
WHERE id = $chat_id;

-- name: classify_batch
-- returns: each item of the registered Arrow batch `stage_batch` (the last copy of a key in the
-- batch), times made TIMESTAMPs, with its match in `items` and a status: new, unchanged, newer
-- (replaces the stored text) or older (an earlier text than the stored one, kept as a version).
-- The caller registers the result as `stage_class` for the statements below; nothing is
-- materialised in the database, so memory stays flat within the file's transaction.
WITH s AS (
    SELECT seq, chat_id, platform, item_key, message_id, kind, author, author_id,
           CASE WHEN posted_epoch IS NULL THEN NULL
                ELSE make_timestamp(posted_epoch * 1000000) END AS posted_at,
           posted_offset_min, tz_assumed, text, entities, reply_to, forwarded_from,
           forwarded_from_id,
           CASE WHEN edited_epoch IS NULL THEN NULL
                ELSE make_timestamp(edited_epoch * 1000000) END AS edited_at,
           media, reactions, buttons, action, album_key, extra, text_encoding,
           coalesce(text_origin, 'export') AS text_origin, ocr_confidence, ocr_words, phash,
           source_rank
    FROM stage_batch
    QUALIFY row_number() OVER (PARTITION BY chat_id, item_key ORDER BY seq DESC) = 1
)
SELECT s.*, i.id AS item_id,
       CASE
           WHEN i.id IS NULL THEN 'new'
           WHEN s.text = i.text AND s.edited_at IS NOT DISTINCT FROM i.edited_at_utc THEN 'unchanged'
           -- a less trusted source (an HTML export) never overrides a more trusted one (JSON)
           WHEN s.source_rank < i.source_rank AND (s.text = i.text OR s.kind = 'event') THEN 'unchanged'
           WHEN s.source_rank < i.source_rank THEN 'older'
           WHEN s.source_rank > i.source_rank THEN 'newer'
           WHEN coalesce(s.edited_at, s.posted_at) > coalesce(i.edited_at_utc, i.posted_at_utc)
                OR (i.edited_at_utc IS NULL AND i.posted_at_utc IS NULL) THEN 'newer'
           ELSE 'older'
       END AS status
FROM s LEFT JOIN items i ON i.chat_id = s.chat_id AND i.item_key = s.item_key
ORDER BY s.seq;

-- name: stage_counts
-- returns: status and count of the classified stage
SELECT status, count(*) AS n FROM stage_class GROUP BY status;

-- name: archive_replaced
-- returns: nothing; keeps the stored text of items a newer export replaces
INSERT INTO item_versions
SELECT i.id, i.text, i.entities, i.edited_at_utc, i.last_source_id, $now
FROM items i JOIN stage_class s ON s.item_id = i.id
WHERE s.status = 'newer' AND i.text IS DISTINCT FROM s.text;

-- name: apply_newer
-- returns: nothing; items take the text of the newer export
UPDATE items SET
    text = s.text, entities = s.entities, edited_at_utc = s.edited_at, media = s.media,
    reactions = s.reactions, buttons = s.buttons, extra = s.extra,
    forwarded_from = s.forwarded_from, forwarded_from_id = s.forwarded_from_id,
    text_encoding = s.text_encoding, text_origin = s.text_origin,
    ocr_confidence = s.ocr_confidence, ocr_words = s.ocr_words, phash = s.phash,
    source_rank = s.source_rank, last_source_id = $source_id,
    enriched_version = NULL   -- its text changed: extraction runs again
FROM stage_class s
WHERE items.id = s.item_id AND s.status = 'newer';

-- name: archive_older
-- returns: nothing; an older export's text of an item is kept as a version, once
INSERT INTO item_versions
SELECT s.item_id, s.text, s.entities, s.edited_at, $source_id, $now
FROM stage_class s
WHERE s.status = 'older'
  AND NOT EXISTS (SELECT 1 FROM item_versions v
                  WHERE v.item_id = s.item_id AND v.text = s.text
                    AND v.edited_at_utc IS NOT DISTINCT FROM s.edited_at);

-- name: insert_new
-- returns: nothing; the items seen for the first time
INSERT INTO items BY NAME
SELECT nextval('item_id_seq') AS id, chat_id, item_key, message_id, platform, kind, author,
       author_id, posted_at AS posted_at_utc, posted_offset_min, tz_assumed, text, entities,
       reply_to, forwarded_from, forwarded_from_id, edited_at AS edited_at_utc, media, reactions,
       buttons, action, album_key, extra, $source_id AS source_id, $source_id AS last_source_id,
       $now AS first_seen_utc, text_encoding, text_origin, ocr_confidence, ocr_words, phash,
       source_rank
FROM stage_class WHERE status = 'new';

-- name: link_sources
-- returns: nothing; records that this source file holds each of its items
INSERT INTO item_sources
SELECT i.id, $source_id
FROM stage_class s JOIN items i ON i.chat_id = s.chat_id AND i.item_key = s.item_key;

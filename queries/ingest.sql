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
-- returns: seq, item_id and status of each item of the Arrow batch `stage_batch` (the last copy of
-- a key in the batch; in seq order), matched with `items`: new, unchanged, newer (replaces the
-- stored text) or older (an earlier text than the stored one, kept as a version). The caller
-- adds item_id and status to the batch (`imports.classify`), giving `stage_class` for the
-- statements below; neither is materialised in the database, so memory stays flat within the
-- file's transaction. Run it between keep_join_sides and default_join_sides: the hash table is
-- then built on the batch (the right side), never on `items`.
SELECT s.seq, i.id AS item_id,
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
FROM items i RIGHT JOIN stage_batch s ON i.chat_id = s.chat_id AND i.item_key = s.item_key
QUALIFY row_number() OVER (PARTITION BY s.chat_id, s.item_key ORDER BY s.seq DESC) = 1
ORDER BY s.seq;

-- name: bulk_settings
-- returns: nothing; DuckDB settings while a file is imported (they are global: the app's other
-- queries share them meanwhile). One DuckDB thread: the import already keeps two cores busy
-- (parsing, merging), and a second DuckDB thread costs more memory than it saves time on
-- 50,000-row batches. Each full row group (122,880 rows) of new items is written to the database
-- file at once instead of after five, so the open transaction holds less in memory.
SET threads = 1;
SET write_buffer_row_group_count = 1;

-- name: usual_settings
-- returns: nothing; DuckDB's settings as they were before bulk_settings
RESET threads;
RESET write_buffer_row_group_count;

-- name: keep_join_sides
-- returns: nothing; hash joins build on their right side as written. Inside the file's
-- transaction DuckDB estimates `items` at the rows committed before it (none, in a first import),
-- so it would otherwise build its hash table on every item stored so far, text included.
SET disabled_optimizers = 'build_side_probe_side';

-- name: default_join_sides
-- returns: nothing; the optimizer chooses the build side of hash joins again
RESET disabled_optimizers;

-- name: new_item_ids
-- returns: $n new item ids from the sequence, in increasing order
SELECT nextval('item_id_seq') AS id FROM range($n) ORDER BY id;

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
SELECT item_id AS id, chat_id, item_key, message_id, platform, kind, author,
       author_id, posted_at AS posted_at_utc, posted_offset_min, tz_assumed, text, entities,
       reply_to, forwarded_from, forwarded_from_id, edited_at AS edited_at_utc, media, reactions,
       buttons, action, album_key, extra, $source_id AS source_id, $source_id AS last_source_id,
       $now AS first_seen_utc, text_encoding, text_origin, ocr_confidence, ocr_words, phash,
       source_rank
FROM stage_class WHERE status = 'new';

-- name: link_sources
-- returns: nothing; records that this source file holds each of its items
INSERT INTO item_sources
SELECT item_id, $source_id FROM stage_class;

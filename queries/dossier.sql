-- The source dossier of a case (recoupe/dossier/): everything it prints about the evidence,
-- read for the whole case at once.

-- name: evidence
-- returns: a case's evidence in the order it was added, each with its item whole, its chat, the
-- source file it came from first, and its tags
SELECT e.id AS evidence_id, e.note, e.added_at_utc, e.added_by,
       coalesce((SELECT list(t.tag ORDER BY t.tag) FROM evidence_tags t
                 WHERE t.evidence_id = e.id), []) AS tags,
       i.id AS item_id, i.platform, i.kind, i.author, i.author_id, i.message_id, i.item_key,
       i.posted_at_utc, i.posted_offset_min, i.tz_assumed, i.text, i.edited_at_utc,
       i.forwarded_from, i.reply_to, i.media, i.action, i.lang, i.lang_score, i.text_origin,
       i.text_encoding, i.ocr_confidence, i.ocr_words, i.phash, i.captured_chat,
       i.captured_at_utc, i.first_seen_utc,
       c.name AS chat, c.chat_type, c.external_id AS chat_external_id,
       s.id AS source_id, s.original_name AS source_file, s.sha256 AS source_sha256,
       s.format AS source_format, s.imported_at_utc AS source_imported_at_utc,
       s.imported_by AS source_imported_by
FROM evidence e
JOIN items i ON i.id = e.item_id
JOIN chats c ON c.id = i.chat_id
JOIN source_files s ON s.id = i.source_id
WHERE e.case_id = $case_id
ORDER BY e.added_at_utc, e.id;

-- name: entities
-- returns: the entities of every item that is evidence of a case, in text order
SELECT x.item_id, x.kind, x.value, x.raw, x.start_pos AS start, x.end_pos AS "end", x.detail,
       x.quantity, x.unit, x.amount, x.currency, x.unit_price, x.substance
FROM entities x
WHERE x.item_id IN (SELECT item_id FROM evidence WHERE case_id = $case_id)
ORDER BY x.item_id, x.start_pos, x.kind;

-- name: sources
-- returns: every source file that holds an item of a case's evidence (an item may be in several
-- exports), with the import that brought it, oldest import first
SELECT x.item_id, s.id AS source_id, s.original_name, s.original_path, s.sha256, s.format,
       s.size_bytes, s.parser, s.parser_version, s.stored_as, s.imported_at_utc, s.imported_by,
       s.run_id, s.tz_assumed, r.tool_version, r.command
FROM item_sources x
JOIN source_files s ON s.id = x.source_id
LEFT JOIN ingest_runs r ON r.id = s.run_id
WHERE x.item_id IN (SELECT item_id FROM evidence WHERE case_id = $case_id)
ORDER BY s.imported_at_utc, s.id, x.item_id;

-- name: versions
-- returns: the earlier texts of the items of a case's evidence, oldest first, with the export
-- that showed each
SELECT v.item_id, v.text, v.edited_at_utc, v.recorded_at_utc, s.original_name AS source_file,
       s.sha256 AS source_sha256
FROM item_versions v JOIN source_files s ON s.id = v.source_id
WHERE v.item_id IN (SELECT item_id FROM evidence WHERE case_id = $case_id)
ORDER BY v.item_id, v.edited_at_utc NULLS FIRST, v.recorded_at_utc;

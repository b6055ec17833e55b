-- name: list
-- returns: items with their chat and first source file, oldest first; filters are optional
-- ($chat: a chat's name or external id, case-insensitive; $since/$until: UTC bounds, until
-- exclusive; $events: include events as well as posts)
SELECT i.id, i.platform, c.name AS chat, i.chat_id, c.external_id AS chat_external_id,
       i.message_id, i.item_key, i.kind, i.author, i.author_id, i.posted_at_utc,
       i.posted_offset_min, i.tz_assumed, i.text, i.entities AS text_entities,
       i.edited_at_utc, i.forwarded_from, i.forwarded_from_id, i.reply_to, i.media,
       i.reactions, i.buttons, i.action, i.album_key, i.extra,
       i.text_encoding, i.text_origin, i.ocr_confidence, i.phash, i.captured_chat,
       i.captured_at_utc, s.original_name AS source_file, s.sha256 AS source_sha256,
       (SELECT count(*) FROM item_versions v WHERE v.item_id = i.id) AS versions,
       i.lang,
       (SELECT list({'kind': e.kind, 'value': e.value, 'raw': e.raw, 'start': e.start_pos,
                     'end': e.end_pos, 'detail': e.detail, 'quantity': e.quantity,
                     'unit': e.unit, 'amount': e.amount, 'currency': e.currency,
                     'unit_price': e.unit_price, 'substance': e.substance}
                    ORDER BY e.start_pos)
        FROM entities e WHERE e.item_id = i.id) AS extracted,
       (SELECT m.cluster_id FROM dup_members m WHERE m.item_id = i.id) AS cluster_id
FROM items i
JOIN chats c ON c.id = i.chat_id
JOIN source_files s ON s.id = i.source_id
WHERE ($chat IS NULL OR lower(c.name) = lower($chat) OR c.external_id = $chat)
  AND ($since IS NULL OR i.posted_at_utc >= $since)
  AND ($until IS NULL OR i.posted_at_utc < $until)
  AND (i.kind = 'post' OR $events)
ORDER BY i.chat_id, i.posted_at_utc NULLS LAST, i.message_id, i.id;

-- name: versions
-- returns: the earlier texts of one item, oldest first, with the export that showed each
SELECT v.text, v.edited_at_utc, v.recorded_at_utc, s.original_name AS source_file,
       s.sha256 AS source_sha256
FROM item_versions v JOIN source_files s ON s.id = v.source_id
WHERE v.item_id = $item_id
ORDER BY v.edited_at_utc NULLS FIRST, v.recorded_at_utc;

-- name: chat_exists
-- returns: how many chats answer to a name or external id
SELECT count(*) FROM chats WHERE lower(name) = lower($chat) OR external_id = $chat;

-- name: screenshots
-- returns: every screenshot item with what OCR found and what the reporter said of it, newest first
SELECT i.id, s.sha256, s.original_name, i.text, i.text_origin, i.ocr_confidence, i.phash,
       i.posted_at_utc, i.tz_assumed, i.captured_chat, i.captured_at_utc, i.media, i.extra
FROM items i JOIN source_files s ON s.id = i.source_id
WHERE i.platform = 'screenshot'
ORDER BY s.imported_at_utc DESC, i.id DESC;

-- name: set_capture
-- returns: the id of the screenshot updated (none if it is not a screenshot)
UPDATE items SET captured_chat = $captured_chat, captured_at_utc = $captured_at
WHERE id = $item_id AND platform = 'screenshot'
RETURNING id;

-- name: chat_names
-- returns: the names of the chats of the workspace's exports, for the reporter to choose from
SELECT DISTINCT name FROM chats WHERE platform <> 'screenshot' AND name IS NOT NULL ORDER BY name;

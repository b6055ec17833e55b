-- One item seen whole: the item view of the app, and later the dossier.

-- name: item
-- returns: one item with its chat and the source file it came from first
SELECT i.*, c.name AS chat, c.chat_type, c.external_id AS chat_external_id,
       s.original_name AS source_file, s.sha256 AS source_sha256,
       s.imported_at_utc AS source_imported_at_utc, s.imported_by AS source_imported_by
FROM items i JOIN chats c ON c.id = i.chat_id JOIN source_files s ON s.id = i.source_id
WHERE i.id = $item_id;

-- name: entities
-- returns: the entities found in one item, in text order
SELECT kind, value, raw, start_pos AS start, end_pos AS "end", detail, quantity, unit, amount,
       currency, unit_price, substance, lexicon_version
FROM entities WHERE item_id = $item_id ORDER BY start_pos, kind;

-- name: sources
-- returns: every source file that holds the item, oldest import first
SELECT s.original_name, s.original_path, s.sha256, s.format, s.size_bytes, s.imported_at_utc,
       s.imported_by, s.parser, s.parser_version
FROM item_sources x JOIN source_files s ON s.id = x.source_id
WHERE x.item_id = $item_id
ORDER BY s.imported_at_utc, s.id;

-- name: context
-- returns: the posts just before and just after an item in its chat, in time order
(SELECT i.id, i.author, i.posted_at_utc, i.text, 'before' AS side
 FROM items i, items t
 WHERE t.id = $item_id AND i.chat_id = t.chat_id AND i.kind = 'post' AND i.id <> t.id
   AND (i.posted_at_utc, i.id) < (t.posted_at_utc, t.id)
 ORDER BY i.posted_at_utc DESC, i.id DESC LIMIT $around)
UNION ALL
(SELECT i.id, i.author, i.posted_at_utc, i.text, 'after' AS side
 FROM items i, items t
 WHERE t.id = $item_id AND i.chat_id = t.chat_id AND i.kind = 'post' AND i.id <> t.id
   AND (i.posted_at_utc, i.id) > (t.posted_at_utc, t.id)
 ORDER BY i.posted_at_utc, i.id LIMIT $around)
ORDER BY posted_at_utc, id;

-- name: neighbours
-- returns: the ids of the posts before and after an item in the whole workspace, by id
SELECT (SELECT max(id) FROM items WHERE kind = 'post' AND id < $item_id) AS previous,
       (SELECT min(id) FROM items WHERE kind = 'post' AND id > $item_id) AS next,
       (SELECT min(id) FROM items WHERE kind = 'post') AS first;

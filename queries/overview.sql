-- name: totals
-- returns: one row: counts of sources, chats, posts, events, versions; first and last post
SELECT (SELECT count(*) FROM source_files) AS sources,
       (SELECT count(*) FROM chats) AS chats,
       (SELECT count(*) FROM items WHERE kind = 'post') AS posts,
       (SELECT count(*) FROM items WHERE kind = 'event') AS events,
       (SELECT count(*) FROM item_versions) AS versions,
       (SELECT min(posted_at_utc) FROM items WHERE kind = 'post') AS first_post_utc,
       (SELECT max(posted_at_utc) FROM items WHERE kind = 'post') AS last_post_utc;

-- name: chats
-- returns: each chat with its counts of posts, events and edited posts, and its date range
SELECT c.id, c.platform, c.name, c.chat_type, c.external_id,
       count(*) FILTER (WHERE i.kind = 'post') AS posts,
       count(*) FILTER (WHERE i.kind = 'event') AS events,
       count(*) FILTER (WHERE i.edited_at_utc IS NOT NULL) AS edited,
       min(i.posted_at_utc) FILTER (WHERE i.kind = 'post') AS first_post_utc,
       max(i.posted_at_utc) FILTER (WHERE i.kind = 'post') AS last_post_utc
FROM chats c LEFT JOIN items i ON i.chat_id = c.id
GROUP BY ALL
ORDER BY posts DESC, c.name;

-- name: sources
-- returns: each source file, newest import first
SELECT s.id, s.original_name, s.original_path, s.format, s.size_bytes, s.sha256, s.imported_at_utc,
       s.imported_by, s.parser, s.parser_version, s.tz_assumed, s.items_new, s.items_updated,
       s.items_unchanged
FROM source_files s
ORDER BY s.imported_at_utc DESC, s.id DESC;

-- name: last_runs
-- returns: the latest import runs with how many files each ingested and rejected
SELECT r.id, r.started_at_utc, r.finished_at_utc, r.user_name, r.command,
       (SELECT count(*) FROM source_files s WHERE s.run_id = r.id) AS ingested,
       (SELECT count(*) FROM ingest_rejections j WHERE j.run_id = r.id) AS rejected
FROM ingest_runs r
ORDER BY r.id DESC
LIMIT $limit;

-- name: rejections
-- returns: the latest rejected files with their reasons
SELECT j.run_id, j.path, j.reason, j.rejected_at_utc
FROM ingest_rejections j
ORDER BY j.rejected_at_utc DESC
LIMIT $limit;

-- name: top_entities
-- returns: the most frequent values of one kind of entity, with how many posts carry each
SELECT e.value, count(DISTINCT e.item_id) AS posts
FROM entities e
WHERE e.kind = $kind
GROUP BY e.value
ORDER BY posts DESC, e.value
LIMIT $limit;

-- name: languages
-- returns: posts per detected language
SELECT coalesce(lang, '?') AS lang, count(*) AS posts
FROM items WHERE kind = 'post'
GROUP BY ALL ORDER BY posts DESC;

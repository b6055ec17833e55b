-- Timelines (issue 7): series aggregated in DuckDB, in the reader's zone.
--
-- Every series counts in zone $tz (Europe/Paris unless the person picks another) and truncates
-- to $unit ('hour', 'day' or 'week', weeks starting on Monday). `volume` first counts the rows
-- per bucket of $bucket_us microseconds of UTC time, with integer arithmetic only; then only
-- those buckets are moved to the zone. recoupe.timeline picks an hour for zones whose offsets
-- are whole hours (Europe/Paris) and a quarter of an hour otherwise (India, Nepal...), so the
-- result is exact; on a million posts it is several times faster than moving every post
-- (`volume_direct`, the benchmark's baseline).
--
-- The filters every series shares: $chat_ids (an empty list: every chat), $since and $until
-- (UTC, until excluded; NULL: open), $entity_kind/$entity_value (posts with that entity, e.g.
-- 'zone' and 'Aubagne'; NULL: any post), $with_ids (only the posts whose ids are in the Arrow
-- table `timeline_ids`, registered by recoupe.timeline: the hits of a search).

-- name: volume
-- returns: period (local, truncated), chat_id, chat, items: the posts per period and chat
WITH buckets AS (
    SELECT i.chat_id, epoch_us(i.posted_at_utc) // $bucket_us::BIGINT AS bucket, count(*) AS n
    FROM items i
    WHERE i.kind = 'post' AND i.posted_at_utc IS NOT NULL
      AND (len($chat_ids::INTEGER[]) = 0 OR list_contains($chat_ids::INTEGER[], i.chat_id))
      AND ($since::TIMESTAMP IS NULL OR i.posted_at_utc >= $since::TIMESTAMP)
      AND ($until::TIMESTAMP IS NULL OR i.posted_at_utc < $until::TIMESTAMP)
      AND ($entity_kind::VARCHAR IS NULL OR i.id IN (
            SELECT e.item_id FROM entities e
            WHERE e.kind = $entity_kind::VARCHAR AND e.value = $entity_value::VARCHAR))
      AND (NOT $with_ids::BOOLEAN OR i.id IN (SELECT id FROM timeline_ids))
    GROUP BY ALL
),
-- each bucket is moved to the zone once, whatever the number of chats that share it
moments AS (
    SELECT bucket, date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC',
               make_timestamp(bucket * $bucket_us::BIGINT)))) AS period
    FROM (SELECT DISTINCT bucket FROM buckets)
)
SELECT m.period, b.chat_id, c.name AS chat, sum(b.n)::BIGINT AS items
FROM buckets b JOIN moments m ON m.bucket = b.bucket JOIN chats c ON c.id = b.chat_id
GROUP BY ALL
ORDER BY m.period, chat

-- name: volume_direct
-- returns: the same rows as `volume`, with the zone computed for every post (the benchmark's baseline)
SELECT date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC', i.posted_at_utc))) AS period,
       i.chat_id, c.name AS chat, count(*)::BIGINT AS items
FROM items i JOIN chats c ON c.id = i.chat_id
WHERE i.kind = 'post' AND i.posted_at_utc IS NOT NULL
  AND (len($chat_ids::INTEGER[]) = 0 OR list_contains($chat_ids::INTEGER[], i.chat_id))
  AND ($since::TIMESTAMP IS NULL OR i.posted_at_utc >= $since::TIMESTAMP)
  AND ($until::TIMESTAMP IS NULL OR i.posted_at_utc < $until::TIMESTAMP)
  AND ($entity_kind::VARCHAR IS NULL OR i.id IN (
        SELECT e.item_id FROM entities e
        WHERE e.kind = $entity_kind::VARCHAR AND e.value = $entity_value::VARCHAR))
  AND (NOT $with_ids::BOOLEAN OR i.id IN (SELECT id FROM timeline_ids))
GROUP BY ALL
ORDER BY period, chat

-- name: volume_items
-- returns: the posts of the periods $first..$last (local, truncated to $unit) under the series' filters, oldest first
SELECT i.id, i.chat_id, c.name AS chat, i.message_id, i.author, i.posted_at_utc, i.text,
       date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC', i.posted_at_utc))) AS period
FROM items i JOIN chats c ON c.id = i.chat_id
WHERE i.kind = 'post' AND i.posted_at_utc IS NOT NULL
  -- a margin of 14 hours around the local periods lets the time index narrow the scan
  AND i.posted_at_utc >= $first::TIMESTAMP - INTERVAL 14 HOUR
  AND i.posted_at_utc < $last::TIMESTAMP + INTERVAL 8 DAY + INTERVAL 14 HOUR
  AND date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC', i.posted_at_utc)))
      BETWEEN $first::TIMESTAMP AND $last::TIMESTAMP
  AND (len($chat_ids::INTEGER[]) = 0 OR list_contains($chat_ids::INTEGER[], i.chat_id))
  AND ($since::TIMESTAMP IS NULL OR i.posted_at_utc >= $since::TIMESTAMP)
  AND ($until::TIMESTAMP IS NULL OR i.posted_at_utc < $until::TIMESTAMP)
  AND ($entity_kind::VARCHAR IS NULL OR i.id IN (
        SELECT e.item_id FROM entities e
        WHERE e.kind = $entity_kind::VARCHAR AND e.value = $entity_value::VARCHAR))
  AND (NOT $with_ids::BOOLEAN OR i.id IN (SELECT id FROM timeline_ids))
ORDER BY i.posted_at_utc, i.id
LIMIT $limit

-- name: prices
-- returns: period, chat_id (NULL on the rows over every chat), chat, substance, unit, currency, observations, posts, median, low, high, q1, q3 of the per-unit prices
WITH obs AS (
    SELECT epoch_us(i.posted_at_utc) // $bucket_us::BIGINT AS bucket,
           i.chat_id, c.name AS chat, e.substance, e.unit, e.currency, e.unit_price, i.id AS item_id
    FROM entities e
    JOIN items i ON i.id = e.item_id
    JOIN chats c ON c.id = i.chat_id
    WHERE e.unit_price IS NOT NULL AND e.substance IS NOT NULL AND i.posted_at_utc IS NOT NULL
      AND i.kind = 'post'
      AND ($substance::VARCHAR IS NULL OR e.substance = $substance::VARCHAR)
      AND (len($chat_ids::INTEGER[]) = 0 OR list_contains($chat_ids::INTEGER[], i.chat_id))
      AND ($since::TIMESTAMP IS NULL OR i.posted_at_utc >= $since::TIMESTAMP)
      AND ($until::TIMESTAMP IS NULL OR i.posted_at_utc < $until::TIMESTAMP)
),
moments AS (  -- as in `volume`: each UTC bucket moved to the zone once
    SELECT bucket, date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC',
               make_timestamp(bucket * $bucket_us::BIGINT)))) AS period
    FROM (SELECT DISTINCT bucket FROM obs)
)
SELECT period, chat_id, any_value(chat) AS chat, substance, unit, currency,
       count(*)::BIGINT AS observations, count(DISTINCT item_id)::BIGINT AS posts,
       median(unit_price) AS median, min(unit_price) AS low, max(unit_price) AS high,
       quantile_cont(unit_price, 0.25) AS q1, quantile_cont(unit_price, 0.75) AS q3
FROM obs JOIN moments USING (bucket)
GROUP BY GROUPING SETS ((period, substance, unit, currency),
                        (period, chat_id, substance, unit, currency))
ORDER BY substance, unit, currency, period, chat_id NULLS FIRST

-- name: price_observations
-- returns: every per-unit price of $substance in the periods $first..$last (local, truncated to $unit): the item, its chat and time, the span as written, the price
SELECT i.id, i.chat_id, c.name AS chat, i.message_id, i.posted_at_utc, e.raw, e.quantity,
       e.unit, e.amount, e.currency, e.unit_price, e.substance,
       date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC', i.posted_at_utc))) AS period
FROM entities e
JOIN items i ON i.id = e.item_id
JOIN chats c ON c.id = i.chat_id
WHERE e.unit_price IS NOT NULL AND e.substance = $substance::VARCHAR AND i.kind = 'post'
  AND date_trunc($unit::VARCHAR, timezone($tz::VARCHAR, timezone('UTC', i.posted_at_utc)))
      BETWEEN $first::TIMESTAMP AND $last::TIMESTAMP
  AND (len($chat_ids::INTEGER[]) = 0 OR list_contains($chat_ids::INTEGER[], i.chat_id))
ORDER BY i.posted_at_utc, i.id, e.start_pos
LIMIT $limit

-- name: priced_substances
-- returns: substance, unit, observations: the substances that have per-unit prices, most observed first
SELECT e.substance, e.unit, count(*)::BIGINT AS observations
FROM entities e JOIN items i ON i.id = e.item_id
WHERE e.unit_price IS NOT NULL AND e.substance IS NOT NULL AND i.kind = 'post'
GROUP BY ALL
ORDER BY observations DESC, e.substance

-- name: entity_values
-- returns: value, posts: the values of one kind of entity ($kind: substance, zone, contact) by how many posts name them
SELECT e.value, count(DISTINCT e.item_id)::BIGINT AS posts
FROM entities e
WHERE e.kind = $kind
GROUP BY ALL
ORDER BY posts DESC, e.value
LIMIT $limit

-- name: chats
-- returns: id, name, platform, posts: the chats that have dated posts
SELECT c.id, c.name, c.platform, count(*)::BIGINT AS posts
FROM chats c JOIN items i ON i.chat_id = c.id
WHERE i.kind = 'post' AND i.posted_at_utc IS NOT NULL
GROUP BY ALL
ORDER BY posts DESC, c.name

-- name: span
-- returns: first and last post time (UTC) under no filter: the years a chart may show
SELECT min(posted_at_utc) AS first_utc, max(posted_at_utc) AS last_utc
FROM items WHERE kind = 'post'

-- name: spread
-- returns: the items whose ids are in `timeline_ids`, oldest first, with their chat
SELECT i.id, i.chat_id, c.name AS chat, c.platform, i.message_id, i.author, i.posted_at_utc,
       i.forwarded_from, i.text
FROM items i JOIN chats c ON c.id = i.chat_id
WHERE i.id IN (SELECT id FROM timeline_ids)
ORDER BY i.posted_at_utc NULLS LAST, i.id

-- name: markers
-- returns: the markers people added, by first day
SELECT id, first_day, last_day, label, note, created_by, created_at_utc
FROM timeline_markers
ORDER BY first_day, id

-- name: marker
-- returns: one marker
SELECT id, first_day, last_day, label, note, created_by, created_at_utc
FROM timeline_markers WHERE id = $id

-- name: add_marker
-- returns: the new marker's id
INSERT INTO timeline_markers (first_day, last_day, label, note, created_by, created_at_utc)
VALUES ($first_day, $last_day, $label, $note, $actor, $now)
RETURNING id

-- name: remove_marker
-- returns: the id of the marker removed, if there was one
DELETE FROM timeline_markers WHERE id = $id RETURNING id

-- name: post_times
-- returns: id, chat_id, posted_at_utc of every dated post (bench/timeline.py's pandas baseline)
SELECT id, chat_id, posted_at_utc FROM items
WHERE kind = 'post' AND posted_at_utc IS NOT NULL

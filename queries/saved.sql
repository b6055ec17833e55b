-- Saved searches: what a person keeps an eye on.

-- name: save
-- returns: the id of the saved search (replaced when the person already has one of that name)
INSERT INTO saved_searches (id, owner, name, query, filters, created_at_utc, total,
                            previous_total, counted_at_utc)
VALUES (nextval('saved_search_id_seq'), $owner, $name, $query, $filters, $now, $total, $total,
        $now)
ON CONFLICT (owner, name) DO UPDATE SET
    query = excluded.query, filters = excluded.filters, created_at_utc = excluded.created_at_utc,
    total = excluded.total, previous_total = excluded.previous_total,
    counted_at_utc = excluded.counted_at_utc
RETURNING id;

-- name: of_owner
-- returns: a person's saved searches, by name, with their counts
SELECT id, name, query, filters, total, previous_total, counted_at_utc
FROM saved_searches WHERE owner = $owner ORDER BY lower(name);

-- name: all
-- returns: every saved search (to count them again after an import)
SELECT id, owner, name, query, filters, total FROM saved_searches ORDER BY id;

-- name: recount
-- returns: nothing; the counts after an import: the last total becomes the previous one
UPDATE saved_searches SET previous_total = total, total = $total, counted_at_utc = $now
WHERE id = $id;

-- name: delete
-- returns: nothing
DELETE FROM saved_searches WHERE id = $id AND owner = $owner;

-- name: with_news
-- returns: saved searches that matched more posts after the latest import than before it
SELECT owner, name, query, total - previous_total AS new
FROM saved_searches WHERE total > previous_total ORDER BY new DESC, name;

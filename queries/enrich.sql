-- Extraction over the workspace: which items wait for it, and storing what it found.

-- name: pending_count
-- returns: how many posts have no entities from this lexicon version yet
SELECT count(*) FROM items
WHERE kind = 'post' AND enriched_version IS DISTINCT FROM $lexicon_version;

-- name: pending_batch
-- returns: the next posts to enrich after id $after (id and text), in id order
SELECT id, text FROM items
WHERE kind = 'post' AND enriched_version IS DISTINCT FROM $lexicon_version AND id > $after
ORDER BY id
LIMIT $limit;

-- name: forget_entities
-- returns: nothing; the entities of the items of the registered batch `enrich_items` are replaced
DELETE FROM entities WHERE item_id IN (SELECT id FROM enrich_items);

-- name: store_entities
-- returns: nothing; appends the registered Arrow batch `enrich_entities`
INSERT INTO entities BY NAME SELECT * FROM enrich_entities;

-- name: mark_enriched
-- returns: nothing; items of `enrich_items` take their language and the lexicon version
UPDATE items SET lang = b.lang, lang_score = b.lang_score, enriched_version = $lexicon_version
FROM enrich_items b WHERE items.id = b.id;

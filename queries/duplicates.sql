-- Near-duplicate clusters (issue 6): reading posts for clustering, storing and reading clusters.

-- name: posts_after
-- returns: posts with text (not screenshots) after id $after, in id order: id, text
SELECT id, text FROM items
WHERE kind = 'post' AND platform <> 'screenshot' AND id > $after AND length(text) > 0
ORDER BY id
LIMIT $limit;

-- name: post_count
-- returns: how many posts with text (not screenshots) the workspace holds
SELECT count(*) FROM items WHERE kind = 'post' AND platform <> 'screenshot' AND length(text) > 0;

-- name: texts_of
-- returns: id and text of the items of the registered Arrow table `dup_ids` (column id)
SELECT i.id, i.text FROM items i JOIN dup_ids d ON d.id = i.id;

-- name: fingerprints
-- returns: id and a hash of the text of every post with text (not screenshots), in id order,
-- to tell which posts are new or changed since the index was made
SELECT id, hash(text) AS fingerprint FROM items
WHERE kind = 'post' AND platform <> 'screenshot' AND length(text) > 0
ORDER BY id;

-- name: membership
-- returns: every clustered item with its cluster
SELECT item_id, cluster_id FROM dup_members;

-- name: forget_all
-- returns: nothing; every cluster and member is removed (a rebuild follows in the transaction)
DELETE FROM dup_members;

-- name: forget_all_clusters
-- returns: nothing; every cluster row is removed
DELETE FROM dup_clusters;

-- name: forget_members
-- returns: nothing; members of the registered Arrow table `dup_ids` (column id) leave their cluster
DELETE FROM dup_members WHERE item_id IN (SELECT id FROM dup_ids);

-- name: store_members
-- returns: nothing; appends or replaces the members of the registered Arrow table `dup_new_members`
INSERT OR REPLACE INTO dup_members BY NAME SELECT * FROM dup_new_members;

-- name: next_cluster_ids
-- returns: $n new cluster ids
SELECT nextval('dup_cluster_id_seq') AS id FROM range($n);

-- name: refresh_clusters
-- returns: nothing; recomputes size, chats, first copy and times of every cluster with at least
-- two members (after `forget_all_clusters`)
INSERT OR REPLACE INTO dup_clusters
SELECT m.cluster_id, count(*), count(DISTINCT i.chat_id),
       arg_min(i.id, (i.platform = 'screenshot', i.posted_at_utc IS NULL, i.posted_at_utc, i.id)),
       min(i.posted_at_utc) FILTER (WHERE i.platform <> 'screenshot'),
       max(i.posted_at_utc) FILTER (WHERE i.platform <> 'screenshot'), $now
FROM dup_members m JOIN items i ON i.id = m.item_id
GROUP BY m.cluster_id
HAVING count(*) >= 2;

-- name: drop_lone_members
-- returns: nothing; members of clusters left with one copy leave them
DELETE FROM dup_members WHERE cluster_id NOT IN (SELECT id FROM dup_clusters);

-- name: remap_clusters
-- returns: nothing; members of the clusters of the registered Arrow table `dup_remap`
-- (old, new) move to the new one (clusters merged by a new copy that links them)
UPDATE dup_members SET cluster_id = r.new FROM dup_remap r WHERE dup_members.cluster_id = r.old;

-- name: forget_via
-- returns: nothing; members that joined through a screenshot or image link leave (recomputed)
DELETE FROM dup_members WHERE via IN ('screenshot', 'image');

-- name: screenshots
-- returns: every screenshot with text: id, text, phash
SELECT id, text, phash FROM items WHERE platform = 'screenshot' AND kind = 'post';

-- name: images
-- returns: every item with a perceptual hash: id, phash
SELECT id, phash FROM items WHERE phash IS NOT NULL;

-- name: forget_screen_matches
-- returns: nothing; the matches of every screenshot are removed (they are computed again)
DELETE FROM dup_screen_matches;

-- name: store_screen_matches
-- returns: nothing; appends the registered Arrow table `dup_new_matches`
INSERT INTO dup_screen_matches BY NAME SELECT * FROM dup_new_matches;

-- name: screen_matches
-- returns: the messages closest to a screenshot's OCR text, closest first, with chat and time
SELECT m.item_id, m.score, m.differs, m.rank, c.name AS chat, i.author, i.message_id,
       i.posted_at_utc, i.text, i.platform
FROM dup_screen_matches m JOIN items i ON i.id = m.item_id JOIN chats c ON c.id = i.chat_id
WHERE m.screenshot_id = $item_id
ORDER BY m.rank;

-- name: cluster_of
-- returns: the cluster of an item, with its first copy's chat (none when it has no copy)
SELECT d.id AS cluster_id, d.size, d.chats, d.first_item_id, c.name AS first_chat,
       d.first_seen_utc, d.last_seen_utc, m.via, m.linked_item_id, m.score
FROM dup_members m
JOIN dup_clusters d ON d.id = m.cluster_id
JOIN items f ON f.id = d.first_item_id
JOIN chats c ON c.id = f.chat_id
WHERE m.item_id = $item_id;

-- name: copies
-- returns: every copy in a cluster, oldest first (screenshots last), with chat and how it joined
SELECT i.id AS item_id, c.name AS chat, i.chat_id, i.author, i.message_id, i.posted_at_utc,
       i.text, i.platform, i.forwarded_from, i.edited_at_utc,
       (SELECT count(*) FROM item_versions v WHERE v.item_id = i.id) AS versions,
       m.via, m.linked_item_id, m.score
FROM dup_members m JOIN items i ON i.id = m.item_id JOIN chats c ON c.id = i.chat_id
WHERE m.cluster_id = $cluster_id
ORDER BY i.platform = 'screenshot', i.posted_at_utc NULLS LAST, i.id;

-- name: clusters
-- returns: clusters ranked by spread (chats), then size, then first seen; $limit at most
SELECT d.id AS cluster_id, d.size, d.chats, d.first_item_id, c.name AS first_chat,
       d.first_seen_utc, d.last_seen_utc, f.text AS first_text
FROM dup_clusters d JOIN items f ON f.id = d.first_item_id JOIN chats c ON c.id = f.chat_id
WHERE ($chat IS NULL OR d.id IN (SELECT m.cluster_id FROM dup_members m JOIN items i
                                  ON i.id = m.item_id JOIN chats k ON k.id = i.chat_id
                                  WHERE k.name = $chat))
ORDER BY d.chats DESC, d.size DESC, d.first_seen_utc, d.id
LIMIT $limit;

-- name: counts
-- returns: total clusters and clustered items
SELECT count(*) AS clusters, coalesce(sum(size), 0) AS items FROM dup_clusters;

-- name: counts_for
-- returns: for each item of the registered Arrow table `dup_ids`, its cluster's copies and chats
SELECT m.item_id, d.id AS cluster_id, d.size AS copies, d.chats
FROM dup_members m JOIN dup_clusters d ON d.id = m.cluster_id
WHERE m.item_id IN (SELECT id FROM dup_ids);

-- name: entities_of_cluster
-- returns: prices, quantities and contacts of every copy in a cluster, in text order
SELECT e.item_id, e.kind, e.value, e.raw, e.start_pos, e.end_pos, e.amount, e.quantity, e.unit
FROM entities e JOIN dup_members m ON m.item_id = e.item_id
WHERE m.cluster_id = $cluster_id AND e.kind IN ('price', 'quantity_price', 'contact')
ORDER BY e.item_id, e.start_pos;

-- name: entities_of_item
-- returns: prices, quantities and contacts of one item, in text order
SELECT item_id, kind, value, raw, start_pos, end_pos, amount, quantity, unit FROM entities
WHERE item_id = $item_id AND kind IN ('price', 'quantity_price', 'contact')
ORDER BY start_pos;

-- name: low_memory
-- returns: nothing; DuckDB keeps at most 1 GB of the store in memory while clusters are made
-- (reading every text would otherwise leave it all cached beside the signatures)
SET memory_limit = '1GB';

-- name: usual_memory
-- returns: nothing; DuckDB's memory limit as it was before low_memory
RESET memory_limit;

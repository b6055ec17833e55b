-- Search (recoupe/search/): what the index is built from, and what a page of hits shows.
-- The index itself lives in WORKSPACE/search-index/ and is derived from these statements.

-- name: fingerprints
-- returns: every post's id and a hash of everything the index keeps of it (text, lexicon
-- version of its entities, language, author, chat and its name, platform, time); a post whose
-- hash differs from the one recorded at the last update is indexed again; the tags of its
-- evidence in cases count too, so a tag change indexes the item again
SELECT i.id AS item_id,
       hash(i.text, i.enriched_version, i.lang, i.author, i.chat_id, c.name, i.platform,
            i.posted_at_utc, tg.tags) AS fingerprint
FROM items i JOIN chats c ON c.id = i.chat_id
LEFT JOIN (SELECT e.item_id, list(DISTINCT t.tag ORDER BY t.tag) AS tags
           FROM evidence e JOIN evidence_tags t ON t.evidence_id = e.id
           GROUP BY e.item_id) tg ON tg.item_id = i.id
WHERE i.kind = 'post'
ORDER BY i.id;

-- name: changed
-- returns: the ids of the registered `search_current` fingerprints that are new or differ from
-- the registered `search_previous` ones, in id order
SELECT cur.item_id
FROM search_current cur LEFT JOIN search_previous prev ON prev.item_id = cur.item_id
WHERE prev.fingerprint IS DISTINCT FROM cur.fingerprint
ORDER BY cur.item_id;

-- name: removed
-- returns: the ids in the registered `search_previous` that are no longer posts of the workspace
SELECT prev.item_id
FROM search_previous prev ANTI JOIN search_current cur ON cur.item_id = prev.item_id;

-- name: documents
-- returns: what the index keeps of each post of the registered batch `search_batch` (id):
-- its text, chat, author, time (epoch seconds, and the day in Europe/Paris as YYYYMMDD),
-- language, and the
-- distinct values of its entities (substances, zones, contacts, promotion and recruitment kinds,
-- unit prices), the spans of its substances, zones and contacts (JSON text), and the tags of
-- its evidence in cases
SELECT i.id, i.text, i.chat_id, c.name AS chat, i.message_id, i.platform, i.lang, i.author,
       epoch(i.posted_at_utc)::BIGINT AS posted,
       strftime(timezone('Europe/Paris', i.posted_at_utc AT TIME ZONE 'UTC'), '%Y%m%d')::INTEGER
           AS day,
       e.substances, e.zones, e.contacts, e.promotions, e.recruitments, e.unit_prices, e.marks,
       (SELECT list(DISTINCT t.tag ORDER BY t.tag)
        FROM evidence ev JOIN evidence_tags t ON t.evidence_id = ev.id
        WHERE ev.item_id = i.id) AS tags
FROM search_batch b
JOIN items i ON i.id = b.id
JOIN chats c ON c.id = i.chat_id
LEFT JOIN (
    SELECT item_id,
           list(DISTINCT value) FILTER (WHERE kind = 'substance') AS substances,
           list(DISTINCT value) FILTER (WHERE kind = 'zone') AS zones,
           list(DISTINCT value) FILTER (WHERE kind = 'contact') AS contacts,
           list(DISTINCT value) FILTER (WHERE kind = 'promotion') AS promotions,
           list(DISTINCT value) FILTER (WHERE kind = 'recruitment') AS recruitments,
           list(DISTINCT unit_price) FILTER (WHERE kind = 'quantity_price'
                                              AND unit_price IS NOT NULL) AS unit_prices,
           to_json(list({'kind': kind, 'value': value, 'start': start_pos, 'end': end_pos}
                        ORDER BY start_pos)
                   FILTER (WHERE kind IN ('substance', 'zone', 'contact')))::VARCHAR AS marks
    FROM entities
    WHERE item_id IN (SELECT id FROM search_batch)
    GROUP BY item_id
) e ON e.item_id = i.id
WHERE i.kind = 'post';

-- name: all_hits
-- returns: the items of the registered `search_batch` (id), oldest first: what an export of
-- every hit writes
SELECT i.id, i.chat_id, c.name AS chat, i.message_id, i.author, i.platform, i.posted_at_utc,
       i.text
FROM search_batch b JOIN items i ON i.id = b.id JOIN chats c ON c.id = i.chat_id
ORDER BY i.posted_at_utc NULLS LAST, i.id;

-- name: chats_named
-- returns: the ids of the chats that answer to a name (case-insensitive) or an external id
SELECT id FROM chats WHERE lower(name) = lower($chat) OR external_id = $chat ORDER BY id;

-- name: chats
-- returns: the id and name of every chat (the labels of the chat facet)
SELECT id, name FROM chats;

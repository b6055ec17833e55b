-- Migration 2: what WhatsApp exports, screenshots and scraper tables add to an item.

ALTER TABLE items ADD COLUMN text_encoding VARCHAR;     -- encoding assumed for a non-UTF-8 text
ALTER TABLE items ADD COLUMN text_origin VARCHAR;       -- 'export', 'ocr' or 'sidecar'
ALTER TABLE items ADD COLUMN ocr_confidence DOUBLE;     -- mean word confidence, 0-100
ALTER TABLE items ADD COLUMN ocr_words VARCHAR;         -- JSON: word boxes
ALTER TABLE items ADD COLUMN phash VARCHAR;             -- perceptual hash of an image, hex
ALTER TABLE items ADD COLUMN captured_chat VARCHAR;     -- a screenshot's chat, as the reporter says
ALTER TABLE items ADD COLUMN captured_at_utc TIMESTAMP; -- when it was captured, as the reporter says
-- How much the current version's source is trusted when two sources disagree about one message:
-- a Telegram JSON export (2) over an HTML export or a scraper table (1).
ALTER TABLE items ADD COLUMN source_rank SMALLINT DEFAULT 1;
UPDATE items SET source_rank = 2 WHERE platform = 'telegram';

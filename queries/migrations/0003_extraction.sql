-- Migration 3: what extraction finds in each item (issue 4): its language, and its entities.

ALTER TABLE items ADD COLUMN lang VARCHAR;              -- ISO 639-1, NULL when too short to tell
ALTER TABLE items ADD COLUMN lang_score DOUBLE;
ALTER TABLE items ADD COLUMN enriched_version VARCHAR;  -- lexicon version of its entities; NULL: pending

CREATE TABLE entities (
    item_id         BIGINT NOT NULL,
    kind            VARCHAR NOT NULL,   -- substance, quantity_price, price, zone, contact, promotion, recruitment
    value           VARCHAR NOT NULL,   -- normalised: 'cocaine', 'Aubagne', 'phone:+33639981234', ...
    raw             VARCHAR NOT NULL,   -- the span as written
    start_pos       INTEGER NOT NULL,   -- offsets of the span in the item's text (characters)
    end_pos         INTEGER NOT NULL,
    detail          VARCHAR,            -- 'commune:13400', 'bot', '-20%', '60 EUR/day', ...
    quantity        DOUBLE,
    unit            VARCHAR,            -- 'g', 'ml', 'pill', 'unit'; for wages 'day', 'month'...
    amount          DOUBLE,
    currency        VARCHAR,
    unit_price      DOUBLE,             -- amount / quantity, where both are given
    substance       VARCHAR,            -- the substance a price is for, when the line names one
    lexicon_version VARCHAR NOT NULL
);

-- Migration 7: the dates that matter to a story, drawn on every timeline (issue 7).
-- Black Friday, Christmas and New Year are computed for the years in view and not stored; this
-- table holds the markers people add ("police operation in Grenoble"), with who added them.
-- Days are calendar days in Europe/Paris, as people say them; `last_day` makes a period.

CREATE SEQUENCE timeline_marker_id START 1;
CREATE TABLE timeline_markers (
    id              INTEGER PRIMARY KEY DEFAULT nextval('timeline_marker_id'),
    first_day       DATE NOT NULL,
    last_day        DATE,                     -- NULL: a single day
    label           VARCHAR NOT NULL,
    note            VARCHAR,                  -- where it comes from (an article, a press release)
    created_by      VARCHAR NOT NULL,
    created_at_utc  TIMESTAMP NOT NULL,
    CHECK (last_day IS NULL OR last_day >= first_day)
);

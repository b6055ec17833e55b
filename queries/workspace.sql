-- name: create_migrations_table
-- returns: nothing; the table that records which migrations a workspace has
CREATE TABLE IF NOT EXISTS schema_migrations (
    version        INTEGER PRIMARY KEY,
    name           VARCHAR NOT NULL,
    applied_at_utc TIMESTAMP NOT NULL
);

-- name: applied_migrations
-- returns: version of every applied migration
SELECT version FROM schema_migrations ORDER BY version;

-- name: record_migration
-- returns: nothing
INSERT INTO schema_migrations VALUES ($version, $name, $applied_at);

-- name: has_migrations_table
-- returns: 1 when the workspace has its migrations table, else 0
SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations';

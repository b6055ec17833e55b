-- name: count
-- returns: how many accounts the workspace has (0: a single local user's workspace)
SELECT count(*) FROM users;

-- name: get
-- returns: one account by name
SELECT name, display_name, role, password_hash, email, language, disabled, created_at_utc,
       created_by
FROM users WHERE name = $name;

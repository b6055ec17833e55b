-- name: count
-- returns: how many accounts the workspace has (0: a single local user's workspace)
SELECT count(*) FROM users;

-- name: get
-- returns: one account by name
SELECT name, display_name, role, password_hash, email, language, disabled, created_at_utc,
       created_by
FROM users WHERE name = $name;

-- name: every
-- returns: every account without its password hash, admins first, then by name
SELECT name, display_name, role, email, language, disabled, created_at_utc, created_by,
       password_hash IS NOT NULL AS has_password
FROM users
ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 WHEN 'fact-checker' THEN 2 ELSE 3 END,
         name;

-- name: by_email
-- returns: the account with this e-mail address (lower case), if any
SELECT name, display_name, role, email, language, disabled
FROM users WHERE email = $email;

-- name: add
-- returns: nothing; a new account
INSERT INTO users (name, display_name, role, password_hash, email, created_at_utc, created_by)
VALUES ($name, $display_name, $role, $password_hash, $email, $created_at_utc, $created_by);

-- name: enabled_admins
-- returns: how many enabled admin accounts there are
SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled;

-- name: set_disabled
-- returns: nothing
UPDATE users SET disabled = $disabled WHERE name = $name;

-- name: set_role
-- returns: nothing
UPDATE users SET role = $role WHERE name = $name;

-- name: set_password
-- returns: nothing
UPDATE users SET password_hash = $password_hash WHERE name = $name;

-- name: set_language
-- returns: nothing
UPDATE users SET language = $language WHERE name = $name;

-- name: recent_failures
-- returns: the failed sign-ins for a name since $since and since its last successful sign-in
SELECT count(*)
FROM audit
WHERE action = 'signin.failed' AND object_type = 'user' AND object_id = $name
  AND at_utc >= $since
  AND id > coalesce((SELECT max(id) FROM audit
                     WHERE action = 'signin' AND object_type = 'user' AND object_id = $name), 0);

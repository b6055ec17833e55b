-- name: set_language
-- returns: nothing; the account's language ('fr', 'en'), chosen with the app's switch
UPDATE users SET language = $language WHERE name = $name;

-- name: language
-- returns: the account's language, NULL when it never chose one (the browser's is used)
SELECT language FROM users WHERE name = $name;

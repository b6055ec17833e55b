-- name: record
-- returns: the new entry's id
INSERT INTO audit (at_utc, actor, action, object_type, object_id, case_id, detail)
VALUES ($at_utc, $actor, $action, $object_type, $object_id, $case_id, $detail)
RETURNING id;

-- name: entries
-- returns: audit entries, newest first, filtered by whichever of actor, action prefix, object,
-- case and period are given (NULL means any)
SELECT id, at_utc, actor, action, object_type, object_id, case_id, detail
FROM audit
WHERE ($actor IS NULL OR actor = $actor)
  AND ($action IS NULL OR action = $action OR starts_with(action, $action || '.'))
  AND ($object_type IS NULL OR object_type = $object_type)
  AND ($object_id IS NULL OR object_id = $object_id)
  AND ($case_id IS NULL OR case_id = $case_id)
  AND ($since IS NULL OR at_utc >= $since)
  AND ($until IS NULL OR at_utc < $until)
ORDER BY id DESC
LIMIT $limit;

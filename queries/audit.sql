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

-- name: unfinished_runs
-- returns: the import runs that never finished and are not yet recorded as interrupted, with how
-- many files each stored before it stopped
SELECT r.id, r.user_name, r.started_at_utc,
       (SELECT count(*) FROM source_files s WHERE s.run_id = r.id) AS files_stored
FROM ingest_runs r
WHERE r.finished_at_utc IS NULL
  AND NOT EXISTS (SELECT 1 FROM audit a
                  WHERE a.action = 'import.interrupted' AND a.object_type = 'run'
                    AND a.object_id = CAST(r.id AS VARCHAR))
ORDER BY r.id;

-- name: facets
-- returns: the people and the actions found in the audit trail, for the Audit page's filters
SELECT 'actor' AS kind, actor AS value, count(*) AS n FROM audit GROUP BY actor
UNION ALL
SELECT 'action', action, count(*) FROM audit GROUP BY action
UNION ALL
SELECT 'object_type', object_type, count(*) FROM audit WHERE object_type IS NOT NULL
GROUP BY object_type
ORDER BY kind, n DESC, value;

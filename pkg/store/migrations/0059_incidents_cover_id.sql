-- The covering index of 0002 lacked the incident's id: postmortem coverage and repeats
-- (which match incidents to postmortems by id) and alert quality's acknowledged alerts
-- fetched every incident of the range from the table (0.8 s for 30 days at 1M incidents
-- a year on SQLite). With id in it they read the index alone.
DROP INDEX IF EXISTS incidents_started_cover;
CREATE INDEX incidents_started_cover_id ON incidents (started_at, resolved_at, detected_at, acknowledged_at, mitigated_at, service, team, severity, detected_by, source, id);

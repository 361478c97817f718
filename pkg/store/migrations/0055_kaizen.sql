-- Kaizen events: improvement initiatives, each with the metric it targets (a
-- data source query, as JSON) and the hypothesis it tests. One row per event,
-- rewritten by each edit (revision counts the edits, so a stale edit is refused).
-- Archiving sets archived_at and keeps everything; only an archived event can
-- be deleted.
CREATE TABLE kaizen_events (
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  hypothesis TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL,
  better TEXT NOT NULL,
  expected_direction TEXT NOT NULL,
  expected_change_pct DOUBLE PRECISION,
  proposed_at BIGINT NOT NULL,
  deployed_at BIGINT,
  review_days TEXT NOT NULL,
  baseline_days DOUBLE PRECISION NOT NULL,
  after_days DOUBLE PRECISION NOT NULL,
  settling_days DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL,
  archived_at BIGINT,
  revision INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  changed_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id)
);

CREATE INDEX kaizen_events_deployed_at ON kaizen_events (deployed_at);

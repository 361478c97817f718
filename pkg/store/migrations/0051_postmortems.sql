-- Postmortems and their action items: follow-through metrics (coverage, completion,
-- overdue items, time to close) and repeat incidents (postmortem themes). Times are
-- Unix milliseconds UTC; themes is a sorted, comma-separated list of lower-case labels.
CREATE TABLE postmortems (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  incident_source TEXT NOT NULL DEFAULT '',
  incident_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  published_at BIGINT,
  themes TEXT NOT NULL DEFAULT '',
  labels TEXT NOT NULL DEFAULT '{}',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, id)
);

-- Coverage and repeats look postmortems up by the incidents they cover.
CREATE INDEX postmortems_incident_id ON postmortems (incident_id);

-- An action item belongs to a postmortem (same source) or directly to an incident.
-- due_at may lie in the future; done_at is NULL while the item is open.
CREATE TABLE action_items (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  postmortem_id TEXT NOT NULL DEFAULT '',
  incident_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL DEFAULT '',
  created_at BIGINT,
  due_at BIGINT,
  done_at BIGINT,
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, id)
);

CREATE INDEX action_items_due_at ON action_items (due_at);

CREATE INDEX action_items_done_at ON action_items (done_at);

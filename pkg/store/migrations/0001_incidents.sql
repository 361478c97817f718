-- Incidents: the events MTTD, MTTA and MTTR are computed from.
-- Times are Unix milliseconds UTC; an unknown time is NULL.
CREATE TABLE incidents (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  service TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  detected_at BIGINT,
  acknowledged_at BIGINT,
  mitigated_at BIGINT,
  resolved_at BIGINT,
  detected_by TEXT NOT NULL DEFAULT '',
  caused_by_deployment TEXT NOT NULL DEFAULT '',
  customer_impact DOUBLE PRECISION,
  labels TEXT NOT NULL DEFAULT '{}',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, id)
);

CREATE INDEX incidents_started_at ON incidents (started_at);

CREATE INDEX incidents_service_started_at ON incidents (service, started_at);

CREATE INDEX incidents_team_started_at ON incidents (team, started_at);

CREATE INDEX incidents_resolved_at ON incidents (resolved_at);

-- One row rewritten by the health check to prove the store accepts writes.
CREATE TABLE store_health (
  id INTEGER PRIMARY KEY,
  checked_at BIGINT NOT NULL
);

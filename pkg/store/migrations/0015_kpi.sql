-- KPI definitions: one row per version, never rewritten, so a past sample is judged by
-- the version in force when it was measured: the highest version whose effective_from
-- is at or before the sample (version 1 also covers everything before it).
CREATE TABLE kpi_definitions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  direction TEXT NOT NULL,
  target DOUBLE PRECISION NOT NULL,
  warning DOUBLE PRECISION,
  critical DOUBLE PRECISION,
  indicator TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  cost_per_unit DOUBLE PRECISION,
  currency TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  effective_from BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  changed_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id, version)
);

CREATE INDEX kpi_definitions_service ON kpi_definitions (service);

-- KPI samples: a measurement of one KPI at one time for one set of labels. The key is
-- (kpi, at, labels) with labels as canonical JSON (sorted keys): re-sending replaces.
CREATE TABLE kpi_samples (
  kpi TEXT NOT NULL,
  at BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  source TEXT NOT NULL DEFAULT '',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (kpi, at, labels)
);

CREATE INDEX kpi_samples_at ON kpi_samples (at);

-- SLOs and SLAs (pkg/metrics/slo, docs/slo.md).
--
-- Definitions are managed through the /slos resource API. window_ms is a rolling
-- window; calendar ('week', 'month', 'quarter') replaces it with calendar periods.
-- An SLA is an SLO with sla_period set; penalty_tiers is its JSON list of
-- {"below": percent, "credit": percent} and contract_value what one period costs. retired_at hides an SLO from queries
-- without losing it or its samples.
CREATE TABLE slo_definitions (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  service TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  objective DOUBLE PRECISION NOT NULL,
  window_ms BIGINT NOT NULL DEFAULT 0,
  calendar TEXT NOT NULL DEFAULT '',
  sli TEXT NOT NULL DEFAULT 'counts',
  incident_severities TEXT NOT NULL DEFAULT '[]',
  incident_end TEXT NOT NULL DEFAULT 'resolved',
  sla_period TEXT NOT NULL DEFAULT '',
  penalty_tiers TEXT NOT NULL DEFAULT '[]',
  contract_value DOUBLE PRECISION,
  currency TEXT NOT NULL DEFAULT '',
  penalty_per_breach DOUBLE PRECISION NOT NULL DEFAULT 0,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  retired_at BIGINT
);

CREATE INDEX slo_definitions_service ON slo_definitions (service);

-- SLI samples: good and total events of one SLO over [at, end_at). Re-sending a
-- sample (same slo and at) replaces it. Windows take a sample by its start.
-- Queries name their SLOs and read each one's range from the primary key; no
-- index on at alone (it cost a third of the ingest time and of the file).
CREATE TABLE sli_samples (
  slo TEXT NOT NULL,
  at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  duration TEXT NOT NULL DEFAULT '',
  good DOUBLE PRECISION NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (slo, at)
);

-- Rollup refresh finds the samples of one ingest by their ingest time.
CREATE INDEX sli_samples_ingested_at ON sli_samples (ingested_at);

-- Sums of samples per SLO and aligned cell (width_ms: 5 minutes, one hour, one
-- day), kept in step with sli_samples by the SLI ingest in the same transaction.
-- Windows read these instead of every sample.
CREATE TABLE sli_rollups (
  width_ms BIGINT NOT NULL,
  slo TEXT NOT NULL,
  start BIGINT NOT NULL,
  good DOUBLE PRECISION NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  samples BIGINT NOT NULL,
  PRIMARY KEY (width_ms, slo, start)
);

-- Covering: window reads take the sums from the index without visiting the table.
CREATE INDEX sli_rollups_cover ON sli_rollups (width_ms, slo, start, good, total);

-- The newest ingested_at folded into sli_rollups: samples stored by a path that
-- bypassed the rollup (newer than this) are folded in before the next query.
CREATE TABLE sli_rollup_state (
  id INTEGER PRIMARY KEY,
  folded_through BIGINT NOT NULL
);

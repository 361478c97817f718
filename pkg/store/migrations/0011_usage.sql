-- Usage events (one tool or feature use by one user) and eligible headcounts per team,
-- the inputs of adoption metrics. Times are Unix milliseconds UTC.
--
-- A usage event is identified by what it says (who used which feature of which tool,
-- when, reported by which source): re-sending it replaces it, never duplicates it.
-- The key starts with the time so the primary key index serves time-range scans.
CREATE TABLE usage_events (
  at BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  tool TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (at, user_id, tool, feature, source)
);

-- First use per user (retention cohorts).
CREATE INDEX usage_events_user_at ON usage_events (user_id, at);

-- Eligible headcount of a team from effective_at until the team's next row.
CREATE TABLE headcounts (
  team TEXT NOT NULL,
  effective_at BIGINT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  headcount DOUBLE PRECISION NOT NULL,
  source TEXT NOT NULL,
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (team, effective_at)
);

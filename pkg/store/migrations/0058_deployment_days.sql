-- deployment_days: deployments and failures by status per UTC day, environment, service
-- and team, what DORA's counts (deployment frequency, change failure rate) read for the
-- whole days of a range instead of every deployment (172k in the DORA dashboard's 90 days
-- at 1M deployments a year). Folded inside the ingest transaction that stored the
-- deployments (ingest.FoldDeploymentDays), each touched day recomputed from the
-- deployments, so it always equals a count of the stored rows.
CREATE TABLE deployment_days (
  day BIGINT NOT NULL,
  environment TEXT NOT NULL,
  service TEXT NOT NULL,
  team TEXT NOT NULL,
  deployments BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  PRIMARY KEY (day, environment, service, team)
);

-- The newest ingested_at folded: deployments stored by a path that did not fold are
-- folded before the next query reads the rollup.
CREATE TABLE deployment_days_state (
  id INTEGER PRIMARY KEY,
  folded_through BIGINT NOT NULL
);

-- Days a re-sent deployment moved away from (its stored version's day), refolded with
-- the days of the new versions.
CREATE TABLE deployment_days_stale (
  day BIGINT PRIMARY KEY
);

-- Finds the deployments an ingest touched.
CREATE INDEX deployments_ingested_at ON deployments (ingested_at);

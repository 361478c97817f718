-- usage_days: each user's uses of each tool per UTC day, what active-user metrics
-- count whole days from instead of every usage event. Folded inside the ingest
-- transaction that stored the events (ingest.IngestUsage), recomputed per touched day
-- from the events, so a re-sent event that changes team or department cannot leave
-- a stale row.
CREATE TABLE usage_days (
  day BIGINT NOT NULL,
  tool TEXT NOT NULL,
  user_id TEXT NOT NULL,
  team TEXT NOT NULL,
  department TEXT NOT NULL,
  uses INTEGER NOT NULL,
  PRIMARY KEY (day, tool, user_id, team, department)
);

-- The newest ingested_at folded into usage_days: events stored by a path that did
-- not fold (newer than this) are folded before the next query reads the rollup.
CREATE TABLE usage_days_state (
  id INTEGER PRIMARY KEY,
  folded_through BIGINT NOT NULL
);

-- Finds the days an ingest touched.
CREATE INDEX usage_events_ingested_at ON usage_events (ingested_at);

-- flow_stage_days: arrivals (stays entered) and departures (stays exited) per UTC day,
-- value stream, stage, team and type, what cumulative flow and arrivals/departures read
-- for the whole days of a range instead of every stay (660k in 30 days at 8M transitions
-- a year, counted with a sort). Kept in step with flow_intervals by Refresh, in the same
-- transaction: an item's old stays are subtracted before they are rewritten and its new
-- ones added after.
CREATE TABLE flow_stage_days (
  day BIGINT NOT NULL,
  value_stream TEXT NOT NULL,
  stage TEXT NOT NULL,
  team TEXT NOT NULL,
  type TEXT NOT NULL,
  arrivals BIGINT NOT NULL,
  departures BIGINT NOT NULL,
  PRIMARY KEY (day, value_stream, stage, team, type)
);

-- Stores that already hold stays start with their days counted.
INSERT INTO flow_stage_days (day, value_stream, stage, team, type, arrivals, departures)
SELECT day, value_stream, stage, team, type, SUM(a), SUM(d) FROM (
  SELECT entered_at / 86400000 * 86400000 AS day, value_stream, stage, team, type, 1 AS a, 0 AS d FROM flow_intervals
  UNION ALL
  SELECT exited_at / 86400000 * 86400000, value_stream, stage, team, type, 0, 1 FROM flow_intervals WHERE exited_at IS NOT NULL
) x GROUP BY day, value_stream, stage, team, type;

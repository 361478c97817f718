-- A value stream dashboard lists teams (and an editor types) when it opens: indexes led by
-- each let the list come from a loose index scan of flow_items (query.DistinctIndexed).
CREATE INDEX flow_items_team ON flow_items (team);
CREATE INDEX flow_items_type ON flow_items (type);

-- The map index (0031) serves a value stream's completed items; with type and team in
-- it, throughput by type and a team's flow metrics read it alone instead of each item's
-- row (SQLite prefers it over the done_at index whenever a stream is named).
DROP INDEX IF EXISTS flow_items_map;
CREATE INDEX flow_items_map_cover ON flow_items (value_stream, done_at, type, team, created_at, first_active_at, process_ms, wait_ms, stays, stage_times);

-- Flow rollups for dashboard-speed queries at a million items (docs/flow.md, "Performance").
--
-- Each item's stage times are packed into flow_items.stage_times (pkg/metrics/flow/stagepack.go):
-- the value stream map and stage_time read one index entry per completed item instead of one
-- row per item and stage, so flow_stage_times goes. Rollups written before this migration have
-- no packed times: POST flow/rebuild (or kaizen streams rebuild) fills them.
ALTER TABLE flow_items ADD COLUMN stage_times TEXT NOT NULL DEFAULT '';

DROP TABLE flow_stage_times;

-- Indexes led by time that cover what the queries read: a dashboard's range is one index
-- range scan, in time order, instead of row lookups scattered by item.
DROP INDEX flow_items_done_at;

DROP INDEX flow_items_stream_done_at;

DROP INDEX flow_items_first_active_at;

CREATE INDEX flow_items_done ON flow_items (done_at, value_stream, created_at, first_active_at, process_ms, wait_ms, stays);

CREATE INDEX flow_items_map ON flow_items (value_stream, done_at, created_at, first_active_at, process_ms, wait_ms, stays, stage_times);

DROP INDEX flow_intervals_entered_at;

DROP INDEX flow_intervals_exited_at;

CREATE INDEX flow_intervals_entered ON flow_intervals (entered_at, value_stream, stage, exited_at);

CREATE INDEX flow_intervals_exited ON flow_intervals (exited_at, value_stream, stage, entered_at);

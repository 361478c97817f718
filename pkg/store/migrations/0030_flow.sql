-- Value stream and flow (docs/flow.md). Times are Unix milliseconds UTC.
--
-- Ingested events: work items and stage transition events. A transition is stored as
-- it was sent, keyed by (source, item_id, stage, entered_at), so re-sending one is
-- idempotent and events may arrive in any order; stage intervals are derived by
-- sorting them (pkg/metrics/flow/derive.go).
CREATE TABLE work_items (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  value_stream TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  labels TEXT NOT NULL DEFAULT '{}',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, id)
);

CREATE INDEX work_items_ingested_at ON work_items (ingested_at);

CREATE INDEX work_items_value_stream ON work_items (value_stream);

CREATE TABLE work_item_transitions (
  source TEXT NOT NULL,
  item_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  entered_at BIGINT NOT NULL,
  from_stage TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, item_id, stage, entered_at)
);

CREATE INDEX work_item_transitions_ingested_at ON work_item_transitions (ingested_at);

-- Value stream definitions: ordered stages, each active (work is done), waiting (a
-- queue) or done (terminal), with an optional WIP limit.
CREATE TABLE value_streams (
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE value_stream_stages (
  value_stream TEXT NOT NULL,
  stage TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  wip_limit INTEGER,
  PRIMARY KEY (value_stream, stage)
);

-- Rollups, derived from the tables above and rewritten per item in the transaction
-- that changes the item, its transitions or its stream's definition. Queries read
-- only these; POST flow/rebuild recomputes them all.
--
-- flow_items: one row per work item that has a record.
CREATE TABLE flow_items (
  source TEXT NOT NULL,
  item_id TEXT NOT NULL,
  value_stream TEXT NOT NULL,
  type TEXT NOT NULL,
  team TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  first_active_at BIGINT,
  process_ms BIGINT NOT NULL,
  wait_ms BIGINT NOT NULL,
  -- stays: stage intervals; 0 means no transitions, so process and wait time are unknown.
  stays INTEGER NOT NULL,
  PRIMARY KEY (source, item_id)
);

CREATE INDEX flow_items_done_at ON flow_items (done_at, value_stream);

CREATE INDEX flow_items_stream_done_at ON flow_items (value_stream, done_at);

CREATE INDEX flow_items_first_active_at ON flow_items (value_stream, first_active_at);

-- flow_stage_times: time per item and stage, summed over re-entries.
CREATE TABLE flow_stage_times (
  source TEXT NOT NULL,
  item_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  value_stream TEXT NOT NULL,
  type TEXT NOT NULL,
  team TEXT NOT NULL,
  done_at BIGINT,
  process_ms BIGINT NOT NULL,
  wait_ms BIGINT NOT NULL,
  visits INTEGER NOT NULL,
  PRIMARY KEY (source, item_id, stage)
);

CREATE INDEX flow_stage_times_stream_done_at ON flow_stage_times (value_stream, done_at, stage, process_ms, wait_ms);

CREATE INDEX flow_stage_times_done_at ON flow_stage_times (done_at);

-- flow_intervals: one row per stay in a stage; exited_at is NULL while the item is there.
CREATE TABLE flow_intervals (
  source TEXT NOT NULL,
  item_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  entered_at BIGINT NOT NULL,
  exited_at BIGINT,
  state TEXT NOT NULL,
  value_stream TEXT NOT NULL,
  type TEXT NOT NULL,
  team TEXT NOT NULL,
  PRIMARY KEY (source, item_id, stage, entered_at)
);

CREATE INDEX flow_intervals_entered_at ON flow_intervals (value_stream, entered_at);

CREATE INDEX flow_intervals_exited_at ON flow_intervals (value_stream, exited_at);

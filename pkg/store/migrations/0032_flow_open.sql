-- The stay each unfinished item is in now: a small rollup (one row per item in progress,
-- with the item's first active time) that "WIP now" and aging WIP read instead of looking
-- up thousands of rows scattered through flow_intervals and flow_items. Rewritten with the
-- other rollups; rollups written before this migration need POST flow/rebuild to fill it.
CREATE TABLE flow_open (
  source TEXT NOT NULL,
  item_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  entered_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  value_stream TEXT NOT NULL,
  type TEXT NOT NULL,
  team TEXT NOT NULL,
  first_active_at BIGINT,
  PRIMARY KEY (source, item_id)
);

CREATE INDEX flow_open_stream ON flow_open (value_stream, stage, entered_at);

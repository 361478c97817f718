-- A dashboard's tool and department variables list the distinct values when it opens:
-- over 10M usage events that was a full scan (minutes on SQLite). With an index leading
-- with each column, the values come from a loose index scan of the daily rollup
-- (query.DistinctIndexed), one seek per value.
CREATE INDEX usage_days_tool ON usage_days (tool);
CREATE INDEX usage_days_department ON usage_days (department);

-- Throughput by type and flow metrics of one team read type and team from each completed
-- item: with them in the done_at index, a range of completed items is read from the index
-- alone (the index of 0031 made every such query fetch each item's row).
CREATE INDEX flow_items_done_cover ON flow_items (done_at, value_stream, type, team, created_at, first_active_at, process_ms, wait_ms, stays);
DROP INDEX IF EXISTS flow_items_done;

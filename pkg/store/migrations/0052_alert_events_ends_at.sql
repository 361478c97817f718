-- Flapping looks back from a range for the alerts that resolved just before it.
CREATE INDEX alert_events_ends_at ON alert_events (ends_at);

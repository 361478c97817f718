-- Alert events: every Alertmanager notification per alert (and alert history sent in
-- bulk), kept beside the incidents the alerts open, for alert-quality metrics. An alert
-- episode is (source, fingerprint, starts_at); each notification of it is one row (keyed
-- by arrival and status), so a repeat_interval notification adds a row but never a new
-- episode. Times are Unix milliseconds UTC; ends_at is set on resolved notifications only.
CREATE TABLE alert_events (
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  ends_at BIGINT,
  alertname TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT '',
  receiver TEXT NOT NULL DEFAULT '',
  group_key TEXT NOT NULL DEFAULT '',
  labels TEXT NOT NULL DEFAULT '{}',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, fingerprint, starts_at, received_at, status)
);

-- Alert metrics read the episodes that started in a range; notification counts read by
-- arrival.
CREATE INDEX alert_events_starts_at ON alert_events (starts_at);

CREATE INDEX alert_events_received_at ON alert_events (received_at);

-- Incidents name the deployment that caused them by id (or "source:id"): this lets the
-- change failure rate and recovery time find those few deployments by id instead of
-- probing the incidents for every deployment in the range.
CREATE INDEX deployments_id ON deployments (id);

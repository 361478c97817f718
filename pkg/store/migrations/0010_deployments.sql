-- Deployments: the events DORA delivery metrics are computed from.
-- Times are Unix milliseconds UTC; commit_at (first commit of the change) may be unknown.
CREATE TABLE deployments (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  service TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  environment TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  commit_at BIGINT,
  deployed_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'success',
  labels TEXT NOT NULL DEFAULT '{}',
  ingested_at BIGINT NOT NULL,
  PRIMARY KEY (source, id)
);

-- Range scans by time, optionally per environment (the production default) and service.
CREATE INDEX deployments_env_deployed_at ON deployments (environment, deployed_at);

CREATE INDEX deployments_deployed_at ON deployments (deployed_at);

-- Recovery time looks up the next successful deployment of the same service and environment.
CREATE INDEX deployments_service_env_deployed_at ON deployments (service, environment, deployed_at);

-- Change failure rate asks, per deployment, whether an incident names it.
CREATE INDEX incidents_caused_by_deployment ON incidents (caused_by_deployment);

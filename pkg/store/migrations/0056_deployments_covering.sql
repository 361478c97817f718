-- DORA queries read every deployment of a range (90 days of a busy fleet is 10^5 rows):
-- with the columns they read in the time indexes, both stores answer them from the index
-- alone instead of fetching each row from the table (SQLite: 118 -> 31 ms for 172k
-- deployments, docs/benchmarks.md). The production default reads the first index, an
-- any-environment query (a variable's All) the second.
DROP INDEX IF EXISTS deployments_env_deployed_at;
CREATE INDEX deployments_env_deployed_at_cover ON deployments (environment, deployed_at, status, service, team, commit_at);

DROP INDEX IF EXISTS deployments_deployed_at;
CREATE INDEX deployments_deployed_at_cover ON deployments (deployed_at, environment, status, service, team, commit_at);

-- A dashboard's team variable lists the teams by a loose index scan (query.DistinctIndexed).
CREATE INDEX deployments_team ON deployments (team);

// Replies of GET status and POST ingest/<kind> as the backend gives them, for the Import and
// Setup pages' tests and harness fixtures.
import type { IngestResult } from './importModel';
import type { KindStatus, StoreStatus } from './setupApi';

const f = (
  name: string,
  type: KindStatus['fields'][number]['type'],
  more: Partial<KindStatus['fields'][number]> = {}
) => ({
  name,
  type,
  ...more,
});

/** The incidents and deployments kinds as GET status lists them (pkg/ingest). */
export const INCIDENTS: KindStatus = {
  kind: 'incidents',
  table: 'incidents',
  key: ['source', 'id'],
  fields: [
    f('source', 'string', { default: 'api' }),
    f('id', 'string', { required: true }),
    f('service', 'string'),
    f('team', 'string'),
    f('severity', 'string'),
    f('title', 'string'),
    f('started_at', 'time', { required: true }),
    f('detected_at', 'time'),
    f('acknowledged_at', 'time'),
    f('mitigated_at', 'time'),
    f('resolved_at', 'time'),
    f('detected_by', 'enum', { enum: ['monitoring', 'customer', 'staff', 'synthetic'] }),
    f('caused_by_deployment', 'string'),
    f('customer_impact', 'number'),
    f('labels', 'labels'),
  ],
  count: 0,
};

export const DEPLOYMENTS: KindStatus = {
  kind: 'deployments',
  table: 'deployments',
  key: ['source', 'id'],
  fields: [
    f('source', 'string', { default: 'api' }),
    f('id', 'string', { required: true }),
    f('service', 'string'),
    f('environment', 'string'),
    f('commit_at', 'time'),
    f('deployed_at', 'time', { required: true }),
    f('status', 'enum', { enum: ['success', 'failed', 'rolled_back'], default: 'success' }),
  ],
  count: 0,
};

const kind = (k: string, table: string, count = 0, lastIngestAt?: string): KindStatus => ({
  kind: k,
  table,
  key: ['source', 'id'],
  fields: [],
  count,
  lastIngestAt,
});

/** A fresh store: every kind, nothing in it. */
export function emptyStatus(over: Partial<StoreStatus> = {}): StoreStatus {
  return {
    store: 'SQLite /var/lib/grafana/plugins-data/kaizen.db',
    storeType: 'sqlite',
    schemaVersion: 53,
    maxIngestBytes: 16 * 1024 * 1024,
    settings: { postgres: false, prometheus: false, ingestToken: false },
    kinds: [
      INCIDENTS,
      DEPLOYMENTS,
      kind('alert_events', 'alert_events'),
      kind('sli', 'sli_samples'),
      kind('usage', 'usage_events'),
    ],
    ...over,
  };
}

/** A store with the demo data set in it; model_observations is too large to scan and has no index on ingested_at. */
export function demoStatus(): StoreStatus {
  return emptyStatus({
    store: 'PostgreSQL kaizen@db:5432/kaizen',
    storeType: 'postgres',
    settings: { postgres: true, prometheus: true, ingestToken: true },
    kinds: [
      { ...INCIDENTS, count: 1184, lastIngestAt: '2026-01-07T22:15:03Z' },
      { ...DEPLOYMENTS, count: 9420, lastIngestAt: '2026-01-07T23:58:41Z' },
      kind('alert_events', 'alert_events', 48210, '2026-01-07T23:59:58Z'),
      kind('sli', 'sli_samples', 259200, '2026-01-08T00:00:00Z'),
      {
        ...kind('observations', 'model_observations', 2_400_000),
        notTracked: 'not tracked: 2400000 rows and no index on ingested_at',
      },
      kind('postmortems', 'postmortems'),
    ],
  });
}

/** An upload of 5 incidents: 3 stored, one superseded, 2 rejected. */
export const RESULT_WITH_REJECTIONS: IngestResult = {
  kind: 'incidents',
  stored: 3,
  superseded: 1,
  rejected: [
    {
      position: 2,
      line: 3,
      id: 'INC-2',
      field: 'started_at',
      reason: 'started_at "yesterday" is not an RFC 3339 time with a zone',
    },
    { position: 5, line: 6, id: 'INC-5', field: 'resolved_at', reason: 'resolved_at is before started_at, "x"' },
  ],
  ignored_fields: ['sevrity'],
};

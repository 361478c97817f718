import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** Query types; each is served by one metric family in the backend (pkg/metrics). */
export type QueryType = 'incidents';

export const QUERY_TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  { value: 'incidents', label: 'Incidents', description: 'MTTR, MTTD, MTTA, incident count, open incidents' },
];

export type Stat = 'count' | 'mean' | 'median' | 'p75' | 'p90' | 'p95' | 'p99' | 'min' | 'max' | 'sum';

export const STATS: Stat[] = ['count', 'mean', 'median', 'p75', 'p90', 'p95', 'p99', 'min', 'max', 'sum'];

export type Format = 'timeseries' | 'table';

/** Mirrors pkg/models.IncidentOptions. */
export interface IncidentOptions {
  start?: 'started' | 'detected';
  end?: 'resolved' | 'mitigated';
  timeField?: 'started' | 'resolved';
}

/** Mirrors pkg/models.Query: what the editor writes and alert rules store. */
export interface KaizenQuery extends DataQuery {
  queryType?: QueryType;
  metric?: string;
  stat?: Stat;
  groupBy?: string[];
  filters?: Record<string, string[]>;
  /** "auto", "none", or a duration such as "1h", "1d", "1w". */
  bucket?: string;
  format?: Format;
  incident?: IncidentOptions;
}

export const DEFAULT_QUERY: Partial<KaizenQuery> = {
  queryType: 'incidents',
  metric: 'mttr',
  stat: 'mean',
  bucket: 'auto',
  format: 'timeseries',
};

/** Mirrors pkg/models.Settings (jsonData). */
export interface KaizenOptions extends DataSourceJsonData {
  store?: 'sqlite';
  path?: string;
  maxIngestBytes?: number;
}

/** Secrets, kept in secureJsonData and never sent back to the browser. */
export interface KaizenSecureOptions {
  ingestToken?: string;
}

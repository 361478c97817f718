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

export type StoreType = 'sqlite' | 'postgres';

export type SSLMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** Mirrors pkg/models.Settings (jsonData); empty PostgreSQL settings take the store's defaults. */
export interface KaizenOptions extends DataSourceJsonData {
  store?: StoreType;
  /** SQLite file. */
  path?: string;
  maxIngestBytes?: number;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SSLMode;
  /** CA certificate file on the Grafana host (or tlsCACert in secureJsonData). */
  sslRootCertFile?: string;
  schema?: string;
  maxOpenConns?: number;
  maxIdleConns?: number;
  /** Seconds. */
  connMaxLifetime?: number;
  /** Seconds. */
  connectTimeout?: number;
}

/** Secrets, kept in secureJsonData and never sent back to the browser. */
export interface KaizenSecureOptions {
  ingestToken?: string;
  /** PostgreSQL password. */
  password?: string;
  /** PEM of the CA that signs PostgreSQL's certificate. */
  tlsCACert?: string;
}

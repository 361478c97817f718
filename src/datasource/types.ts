import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** Query types; each is served by one metric family in the backend (pkg/metrics). */
export type QueryType =
  | 'incidents'
  | 'delivery'
  | 'adoption'
  | 'annotations'
  | 'kpi'
  | 'spc';

export const QUERY_TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  { value: 'incidents', label: 'Incidents', description: 'MTTR, MTTD, MTTA, incident count, open incidents' },
  { value: 'delivery', label: 'Delivery (DORA)', description: 'Deployment frequency, lead time, change failure rate, recovery time, DORA bands' },
  { value: 'adoption', label: 'Adoption', description: 'DAU/WAU/MAU, stickiness, adoption rate, feature adoption, retention cohorts' },
  { value: 'annotations', label: 'Annotations', description: 'Incidents and deployments as dashboard annotations' },
  { value: 'kpi', label: 'KPIs', description: 'KPI value, attainment, threshold state, financial impact, stale audit' },
  { value: 'spc', label: 'Control chart (SPC)', description: 'A control chart over another query: limits, zones, rule violations' },
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

/** Mirrors pkg/models.KPIOptions. */
export interface KPIQueryOptions {
  /** KPI ids; empty: every active KPI. A KPI named here is read even when retired. */
  kpis?: string[];
  includeRetired?: boolean;
  /** Stale audit: no sample for this many days (default 30). */
  staleDays?: number;
}

/** Mirrors pkg/models.DeliveryOptions. */
export interface DeliveryQueryOptions {
  /** The DORA performance band (4 elite … 1 low) instead of the value. */
  band?: boolean;
}

/** Mirrors pkg/models.AdoptionOptions. */
export interface AdoptionQueryOptions {
  /** Activity window of adoption_rate and feature_adoption (default 30d). */
  window?: '1d' | '7d' | '30d';
  /** Weeks since first use a retention table shows (default 12). */
  weeks?: number;
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
  delivery?: DeliveryQueryOptions;
  adoption?: AdoptionQueryOptions;
  kpi?: KPIQueryOptions;
  spc?: SpcQueryOptions;
}

/** Mirrors pkg/models.SPCOptions: a chart drawn over every series of `source`. */
export interface SpcQueryOptions {
  chart?: 'xmr' | 'xbar-r' | 'xbar-s' | 'p' | 'np' | 'u' | 'c' | 'ewma' | 'cusum';
  /** Rule ids or groups (nelson, westernelectric); ['none'] for none; missing: nelson. */
  rules?: string[];
  /** First N points, or from/to (RFC 3339 or now-30d). */
  baseline?: { points?: number; from?: string; to?: string };
  frozen?: { center?: number; sigma?: number; ucl?: number; lcl?: number };
  subgroup?: number;
  lambda?: number;
  L?: number;
  ewmaLimits?: 'exact' | 'asymptotic';
  k?: number;
  h?: number;
  /** p, np, u: a constant sample size, or a query giving n per bucket. */
  n?: number;
  sizeSource?: Omit<KaizenQuery, 'refId' | 'spc'>;
  source?: Omit<KaizenQuery, 'refId' | 'spc'>;
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

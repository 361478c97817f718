import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** Query types; each is served by one metric family in the backend (pkg/metrics). */
export type QueryType =
  | 'incidents'
  | 'delivery'
  | 'adoption'
  | 'annotations'
  | 'kpi'
  | 'spc'
  | 'kaizen'
  | 'flow'
  | 'slo'
  | 'postmortems'
  | 'alerts'
  | 'backtest'
  | 'model'
  | 'prometheus';

export const QUERY_TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  { value: 'incidents', label: 'Incidents', description: 'MTTR, MTTD, MTTA, incident count, open incidents' },
  { value: 'delivery', label: 'Delivery (DORA)', description: 'Deployment frequency, lead time, change failure rate, recovery time, DORA bands' },
  { value: 'adoption', label: 'Adoption', description: 'DAU/WAU/MAU, stickiness, adoption rate, feature adoption, retention cohorts' },
  { value: 'annotations', label: 'Annotations', description: 'Incidents and deployments as dashboard annotations' },
  { value: 'kpi', label: 'KPIs', description: 'KPI value, attainment, threshold state, financial impact, stale audit' },
  { value: 'spc', label: 'Control chart (SPC)', description: 'A control chart over another query: limits, zones, rule violations' },
  { value: 'kaizen', label: 'Kaizen events', description: 'Did an improvement work (impact), does it hold (sustainability, reviews), phases, backlog flow' },
  { value: 'flow', label: 'Flow (value stream)', description: 'Lead and cycle time, stage process/wait time, flow efficiency, WIP, throughput, cumulative flow, aging WIP' },
  { value: 'slo', label: 'SLO / SLA', description: 'SLI, compliance, error budget, burn rates, workbook alert state, burn-down, breaches, SLA penalties' },
  { value: 'postmortems', label: 'Postmortems', description: 'Postmortem coverage by severity, action item completion, overdue items, time to close, repeat incidents' },
  { value: 'alerts', label: 'Alert quality', description: 'Alerts per service, day or on-call shift, flapping, short-lived, actionable ratio, noisiest alerts, detection coverage' },
  { value: 'backtest', label: 'Threshold backtest', description: 'Replay candidate alert conditions over a series: alerts, incidents caught and missed, detection delay, precision, recall' },
  { value: 'model', label: 'ML model health', description: 'Feature and prediction drift (PSI, KS, Wasserstein, JSD, chi-square), performance, fairness, retraining trigger' },
  { value: 'prometheus', label: 'Prometheus (PromQL)', description: 'A PromQL expression from the configured Prometheus: chart it, control-chart it, measure its drift' },
];

export type Stat = 'count' | 'mean' | 'median' | 'p75' | 'p90' | 'p95' | 'p99' | 'min' | 'max' | 'sum';

export const STATS: Stat[] = ['count', 'mean', 'median', 'p75', 'p90', 'p95', 'p99', 'min', 'max', 'sum'];

export type Format = 'timeseries' | 'table';

/** A candidate alert condition of a backtest (pkg/stats/backtest spec); durations like "5m", "1h", "3d". */
export interface BacktestCandidate {
  name?: string;
  type: 'threshold' | 'burn_rate' | 'control';
  /** Pending period before the alert fires (Grafana's "for"). */
  for?: string;
  op?: 'above' | 'below';
  value?: number;
  /** Burn rate: objective in percent, long and short windows, factor. */
  objective?: number;
  long?: string;
  short?: string;
  factor?: number;
  /** Control limits: XmR limits from the first baseline_points samples, run rules. */
  baseline_points?: number;
  rules?: string[];
}

/** Mirrors pkg/models.ImprovementOptions, read by the postmortems, alerts and backtest query types. */
export interface ImprovementQueryOptions {
  /** Postmortems: severities most severe first (default sev1 … sev5); coverage keeps those at or above minSeverity. */
  severities?: string[];
  minSeverity?: string;
  /** Postmortem due this many days after resolution (default 5). */
  postmortemDays?: number;
  /** Repeat window in days (default 30). */
  repeatDays?: number;
  /** Alerts: flapping (default 30), short-lived (5) and incident link (30) windows, in minutes. */
  flapMinutes?: number;
  shortMinutes?: number;
  linkMinutes?: number;
  /** On-call shifts for bucket "shift": length (default 1w) and a handover, HH:MM UTC or RFC 3339 (default 09:00). */
  shift?: string;
  handover?: string;
  /** Rows of the noisy alerts table (default 10). */
  top?: number;
  /** Backtest: the series replayed, the candidates, and the lead before started_at. */
  source?: Omit<KaizenQuery, 'refId' | 'spc'>;
  candidates?: BacktestCandidate[];
  lead?: string;
}

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

/** Mirrors pkg/models.FlowOptions; the value stream is the value_stream filter. */
export interface FlowQueryOptions {
  /** stage_time: total (default), process or wait. */
  part?: 'total' | 'process' | 'wait';
  /** arrivals, departures: running totals over the range (a cumulative flow diagram). */
  cumulative?: boolean;
  /** items, aging: row limit (default 10000, at most 100000). */
  maxItems?: number;
}

/** Mirrors pkg/models.ModelReference: what drift compares each window with. */
export interface ModelReference {
  /** rolling (default), range or snapshot. */
  type?: 'rolling' | 'range' | 'snapshot';
  /** range: RFC 3339 or now-<duration>. */
  from?: string;
  to?: string;
  /** rolling: length (default 7d). */
  window?: string;
  /** rolling: the window before each bucket (default) or before the dashboard range. */
  anchor?: 'bucket' | 'range';
  snapshot?: string;
}

/** Mirrors pkg/models.ModelOptions; which models and features: the model, feature and model_version filters. */
export interface ModelQueryOptions {
  reference?: ModelReference;
  /** PSI and JSD bins (2 to 100, default 10). */
  bins?: number;
  /** Drift threshold (alpha for ks and chisquare). */
  threshold?: number;
  output?: 'statistic' | 'p_value' | 'drifted';
  /** Positive class (default "1"). */
  positive?: string;
  /** Scores at or above it are positive (default 0.5). */
  scoreThreshold?: number;
  /** Segment label for per-segment performance and fairness, e.g. "region". */
  segment?: string;
  retrain?: {
    driftMetric?: string;
    driftThreshold?: number;
    consecutive?: number;
    performanceMetric?: 'accuracy' | 'precision' | 'recall' | 'f1' | 'mae' | 'rmse';
    performanceThreshold?: number;
  };
  /** drift_lag: the alert time (RFC 3339 or now-<duration>); missing: when the retraining trigger fires. */
  alertAt?: string;
  /** Drift of another query's series (e.g. a prometheus query) instead of stored observations. */
  source?: Omit<KaizenQuery, 'refId' | 'model' | 'spc'>;
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
  kaizen?: KaizenQueryOptions;
  model?: ModelQueryOptions;
  flow?: FlowQueryOptions;
  slo?: SLOQueryOptions;
  improvement?: ImprovementQueryOptions;
  prometheus?: PrometheusQueryOptions;
}

/** Mirrors pkg/models.PrometheusOptions; the query's bucket is the step (auto, a duration, or none: instant). */
export interface PrometheusQueryOptions {
  /** PromQL; $__interval, $__rate_interval and $__range are replaced by the backend. */
  expr?: string;
  /** e.g. "{{service}} p95"; empty or "__auto": metric{labels}. */
  legendFormat?: string;
  /** Smallest automatic step (Grafana's "Min step"), e.g. "30s". */
  step?: string;
}

/** Mirrors pkg/models.SLOOptions; which SLOs is set by the slo, service and team filters. */
export interface SLOQueryOptions {
  /** Burn-rate windows such as "1h"; missing: the SRE workbook's 5m, 30m, 1h, 6h, 3d. */
  windows?: string[];
  includeRetired?: boolean;
}

/** Mirrors pkg/models.KaizenOptions; which events: `events`, or the event, owner and status filters. */
export interface KaizenQueryOptions {
  /** Event ids; empty: every event the filters keep. A named event is read even when archived. */
  events?: string[];
  includeArchived?: boolean;
  /** Window lengths replacing every event's own, e.g. "30d"; settling may be "0". */
  baseline?: string;
  after?: string;
  settling?: string;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Fewest points per window for a verdict (default 8). */
  minN?: number;
  /** Bootstrap seed and resamples (defaults 0 and 10000). */
  seed?: number;
  resamples?: number;
  /** The number per event in time series format: impact verdict_code (default), p_value, change, relative_change; sustainability lost (default) or state_code. */
  value?: 'verdict_code' | 'p_value' | 'change' | 'relative_change' | 'lost' | 'state_code';
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
  /** Optional Prometheus for the prometheus query type: base URL, basic-auth user, timeout (seconds), scrape interval. */
  prometheusUrl?: string;
  prometheusUser?: string;
  prometheusTimeout?: number;
  prometheusScrapeInterval?: string;
}

/** Secrets, kept in secureJsonData and never sent back to the browser. */
export interface KaizenSecureOptions {
  ingestToken?: string;
  /** PostgreSQL password. */
  password?: string;
  /** PEM of the CA that signs PostgreSQL's certificate. */
  tlsCACert?: string;
  /** Prometheus basic-auth password, or bearer token (one or the other). */
  prometheusPassword?: string;
  prometheusToken?: string;
}

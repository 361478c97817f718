// The Setup page's pure parts: one data source's health and status, in rows and words.
import type { KindStatus, StoreStatus } from './setupApi';

/** What Grafana's health API answered for one data source (CheckHealth). */
export interface Health {
  ok: boolean;
  message: string;
  /** healthDetails: the store's description, schema version and rows per table. */
  store?: string;
  schemaVersion?: number;
  counts?: Record<string, number>;
}

/** Everything the Setup page knows about one Kaizen Ops data source. */
export interface SourceSetup {
  uid: string;
  name: string;
  health: Health;
  status?: StoreStatus;
  /** Why GET status failed, when it did. */
  statusError?: string;
}

export function driverLabel(storeType: string | undefined, store?: string): string {
  if (storeType === 'postgres' || store?.startsWith('PostgreSQL')) {
    return 'PostgreSQL';
  }
  if (storeType === 'sqlite' || store?.startsWith('SQLite')) {
    return 'SQLite (embedded)';
  }
  return storeType || 'unknown';
}

/** Rows in the store: GET status's per kind, else the health check's per table. */
export function totalRows(s: SourceSetup): number | undefined {
  if (s.status) {
    return s.status.kinds.reduce((n, k) => n + k.count, 0);
  }
  if (s.health.counts) {
    return Object.values(s.health.counts).reduce((n, c) => n + c, 0);
  }
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-01-07 22:15 UTC: minutes are enough to tell whether a feed is alive. */
export function utcMinute(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The relative age of a time: "3 hours ago". */
export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const steps: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of steps) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

export type KindState = 'fresh' | 'empty' | 'untracked';

export interface KindRow {
  kind: string;
  table: string;
  count: number;
  state: KindState;
  /** The last ingest in words, or why it is not known. */
  last: string;
}

/** One row per ingest kind, in the order GET status lists them (by name). */
export function kindRows(kinds: KindStatus[], now: number): KindRow[] {
  return kinds.map((k) => {
    if (k.count === 0) {
      return { kind: k.kind, table: k.table, count: 0, state: 'empty', last: 'no data yet' };
    }
    if (!k.lastIngestAt) {
      return { kind: k.kind, table: k.table, count: k.count, state: 'untracked', last: k.notTracked ?? 'not tracked' };
    }
    return {
      kind: k.kind,
      table: k.table,
      count: k.count,
      state: 'fresh',
      last: `${utcMinute(k.lastIngestAt)} (${ago(k.lastIngestAt, now)})`,
    };
  });
}

/** What a user should do next, or undefined when the store holds data and answers. */
export function nextStep(s: SourceSetup): string | undefined {
  if (!s.health.ok) {
    return 'Fix the store first: the message above says what failed. Then reopen this page (or use Save & test on the data source).';
  }
  if (totalRows(s) === 0) {
    return 'This store is empty. Import a file of incidents, deployments or any other kind on the Import page, send events to the ingest API, or load the demo data set with `kaizen demo --db <store file or postgres:// URL>`.';
  }
  return undefined;
}

import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { ApiError } from './kpiApi';

/** Mirrors pkg/plugin.fieldStatus: one field an ingest kind accepts. */
export interface KindField {
  name: string;
  type: 'string' | 'time' | 'number' | 'labels' | 'enum';
  required?: boolean;
  enum?: string[];
  default?: string;
}

/** Mirrors pkg/plugin.kindStatus: an ingest kind, its rows and its last ingest. */
export interface KindStatus {
  kind: string;
  table: string;
  key: string[];
  fields: KindField[];
  count: number;
  lastIngestAt?: string;
  notTracked?: string;
}

/** Mirrors pkg/plugin.statusResponse (GET status). */
export interface StoreStatus {
  store: string;
  storeType: 'sqlite' | 'postgres' | string;
  schemaVersion: number;
  maxIngestBytes: number;
  settings: { postgres: boolean; prometheus: boolean; ingestToken: boolean };
  kinds: KindStatus[];
}

const base = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}/resources`;

/** Turns a FetchError into an ApiError with the API's message (status 0: no answer). */
export function toApiError(e: unknown): ApiError {
  const err = e as {
    status?: number;
    data?: { error?: string; message?: string; field?: string };
    message?: string;
    statusText?: string;
  };
  const message = err.data?.error ?? err.data?.message ?? err.message ?? err.statusText ?? String(e);
  return new ApiError(message, err.status ?? 0, err.data?.field);
}

export async function getResource<T>(uid: string, path: string): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ method: 'GET', url: `${base(uid)}/${path}`, showErrorAlert: false })
    );
    return res.data;
  } catch (e: unknown) {
    throw toApiError(e);
  }
}

/** GET status: the store, its body limit, its settings and every ingest kind with counts. */
export const fetchStatus = (uid: string) => getResource<StoreStatus>(uid, 'status');
/** GET kinds: the ingest kind names (every backend version has it). */
export const fetchKinds = (uid: string) => getResource<string[]>(uid, 'kinds');

/** The relative age of a time, for "last ingest 3 hours ago". */
export function ago(iso: string, now: number = Date.now()): string {
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

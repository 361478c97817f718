import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { ApiError } from './kpiApi';
import type { Health, SourceSetup } from './setupModel';

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

interface HealthResponse {
  status?: string;
  message?: string;
  details?: { store?: string; schemaVersion?: number; counts?: Record<string, number> };
}

/** CheckHealth through Grafana's health API; Grafana answers an unhealthy store with a 400 and the same body. */
export async function fetchHealth(uid: string): Promise<Health> {
  let h: HealthResponse;
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<HealthResponse>({
        method: 'GET',
        url: `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
        showErrorAlert: false,
      })
    );
    h = res.data;
  } catch (e: unknown) {
    const err = e as { data?: HealthResponse & { error?: string }; message?: string };
    if (!err.data?.message && !err.data?.error) {
      return { ok: false, message: `The health check did not answer: ${toApiError(e).message}` };
    }
    h = { ...err.data, message: err.data.message ?? err.data.error };
  }
  return {
    ok: h.status === 'OK',
    message: h.message ?? '',
    store: h.details?.store,
    schemaVersion: h.details?.schemaVersion,
    counts: h.details?.counts,
  };
}

/** Health and status of each data source; a failing one never hides the others. */
export function loadSetup(sources: Array<{ uid: string; name: string }>): Promise<SourceSetup[]> {
  return Promise.all(
    sources.map(async ({ uid, name }): Promise<SourceSetup> => {
      const [health, status] = await Promise.all([
        fetchHealth(uid),
        fetchStatus(uid).then(
          (s) => ({ status: s }),
          (e: ApiError) => ({ statusError: e.message })
        ),
      ]);
      return { uid, name, health, ...status };
    })
  );
}

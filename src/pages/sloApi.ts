import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

/** Mirrors pkg/metrics/slo.PenaltyTier: below this compliance (percent), this credit (percent). */
export interface PenaltyTier {
  below: number;
  credit: number;
}

/** Mirrors pkg/metrics/slo.SLA. */
export interface SLA {
  period: 'month' | 'quarter';
  tiers?: PenaltyTier[];
  contract_value?: number;
  currency?: string;
  penalty_per_breach?: number;
}

/** Mirrors pkg/metrics/slo.Definition (GET slos). */
export interface SLODefinition {
  id: string;
  name: string;
  service: string;
  team: string;
  description: string;
  objective: number;
  /** Rolling window ("30d"); absent for calendar SLOs. */
  window?: string;
  calendar?: 'week' | 'month' | 'quarter';
  sli: 'counts' | 'incidents';
  incidents?: { severities?: string[]; end?: 'resolved' | 'mitigated' };
  sla?: SLA;
  labels?: Record<string, string>;
  created_at?: string;
  updated_at?: string;
  retired_at?: string;
  last_sample_at?: string;
}

export interface SLOWrite {
  outcome: 'created' | 'updated' | 'retired' | 'restored' | 'deleted';
  slo?: SLODefinition;
}

/** A refused request: the API's message and status. */
export class SLOApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'SLOApiError';
  }
}

const base = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}/resources`;

async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  uid: string,
  path: string,
  data?: unknown
): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ method, url: `${base(uid)}/${path}`, data, showErrorAlert: false })
    );
    return res.data;
  } catch (e: unknown) {
    const err = e as { status?: number; data?: { error?: string; message?: string }; message?: string };
    throw new SLOApiError(err.data?.error ?? err.data?.message ?? err.message ?? String(e), err.status ?? 0);
  }
}

const id = (s: string) => encodeURIComponent(s);

export const fetchSLOs = (uid: string, includeRetired: boolean) =>
  request<SLODefinition[]>('GET', uid, includeRetired ? 'slos?includeRetired=true' : 'slos');
export const createSLO = (uid: string, d: SLODefinition) => request<SLOWrite>('POST', uid, 'slos', d);
export const updateSLO = (uid: string, d: SLODefinition) => request<SLOWrite>('PUT', uid, `slos/${id(d.id)}`, d);
export const retireSLO = (uid: string, slo: string) => request<SLOWrite>('POST', uid, `slos/${id(slo)}/retire`);
export const restoreSLO = (uid: string, slo: string) => request<SLOWrite>('POST', uid, `slos/${id(slo)}/restore`);
export const deleteSLO = (uid: string, slo: string) => request<SLOWrite>('DELETE', uid, `slos/${id(slo)}`);

import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { DATASOURCE_ID } from './health';

/** Mirrors pkg/catalog.Entry: one built-in metric's definition (GET catalog). */
export interface CatalogEntry {
  queryType: string;
  metric: string;
  name: string;
  family: string;
  formula: string;
  unit: string;
  defaultStat?: string;
  direction?: 'lower' | 'higher' | '';
  description: string;
  dimensions?: string[];
  source: string;
}

export type Direction = 'higher' | 'lower';
export type KPIStatus = 'active' | 'retired';

/** Mirrors pkg/metrics/kpi.Definition: one version of a KPI definition (GET kpis). */
export interface KPIDefinition {
  id: string;
  version: number;
  name: string;
  unit: string;
  direction: Direction;
  target: number;
  warning: number | null;
  critical: number | null;
  indicator: 'leading' | 'lagging' | '';
  owner: string;
  description: string;
  cost_per_unit: number | null;
  currency: string;
  service: string;
  status: KPIStatus;
  effective_from: string;
  created_at: string;
  changed_by: string;
}

/** What POST kpis and PUT kpis/<id> take: the definition record (pkg/ingest.KPIDefinitionKind). */
export interface KPIRecord {
  id: string;
  name: string;
  unit?: string;
  direction: Direction;
  target: number;
  warning?: number;
  critical?: number;
  indicator?: 'leading' | 'lagging';
  owner?: string;
  description?: string;
  cost_per_unit?: number;
  currency?: string;
  service?: string;
  status?: KPIStatus;
  effective_from?: string;
  /** The version the edit started from: a newer stored version refuses the edit (409). */
  base_version?: number;
}

export interface KPIWrite {
  outcome: 'created' | 'versioned' | 'unchanged' | 'retired';
  kpi: KPIDefinition;
  ignored_fields?: string[];
}

/** A refused request: the API's message, and the field at fault when it names one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface KaizenDataSource {
  uid: string;
  name: string;
}

/** Every Kaizen Ops data source, the default one first. */
export function listKaizenDataSources(): KaizenDataSource[] {
  const list = getDataSourceSrv().getList({ pluginId: DATASOURCE_ID });
  return [...list]
    .sort((a, b) => Number(Boolean(b.isDefault)) - Number(Boolean(a.isDefault)))
    .map((ds) => ({ uid: ds.uid, name: ds.name }));
}

const base = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}/resources`;

async function request<T>(method: 'GET' | 'POST' | 'PUT', uid: string, path: string, data?: unknown): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ method, url: `${base(uid)}/${path}`, data, showErrorAlert: false })
    );
    return res.data;
  } catch (e: unknown) {
    const err = e as { status?: number; data?: { error?: string; message?: string; field?: string }; message?: string };
    const message = err.data?.error ?? err.data?.message ?? err.message ?? String(e);
    throw new ApiError(message, err.status ?? 0, err.data?.field);
  }
}

export const fetchCatalog = (uid: string) => request<CatalogEntry[]>('GET', uid, 'catalog');
export const fetchKPIs = (uid: string) => request<KPIDefinition[]>('GET', uid, 'kpis');
export const fetchKPIVersions = (uid: string, id: string) =>
  request<KPIDefinition[]>('GET', uid, `kpis/${encodeURIComponent(id)}/versions`);
export const createKPI = (uid: string, record: KPIRecord) => request<KPIWrite>('POST', uid, 'kpis', record);
export const updateKPI = (uid: string, record: KPIRecord) =>
  request<KPIWrite>('PUT', uid, `kpis/${encodeURIComponent(record.id)}`, record);
export const retireKPI = (uid: string, id: string) =>
  request<KPIWrite>('POST', uid, `kpis/${encodeURIComponent(id)}/retire`);

/** Where the KPI management page lives; ?edit=<id> opens a KPI's form, ?new=1 an empty one. */
export const KPI_PAGE_URL = '/a/kaizenops-suite-app/kpis';

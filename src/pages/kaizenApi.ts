import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { ApiError } from './kpiApi';

export type KaizenStatus = 'proposed' | 'in-progress' | 'deployed' | 'abandoned';
export type Direction = 'lower' | 'higher';
export type Verdict = 'improved' | 'worsened' | 'no-evidence' | 'insufficient-data';
export type ReviewState = 'sustained' | 'eroding' | 'lost' | 'pending' | 'insufficient-data';

/** The target query as stored: a data source query of one series. */
export interface TargetQuery {
  queryType: string;
  metric: string;
  stat?: string;
  bucket?: string;
  filters?: Record<string, string[]>;
  [option: string]: unknown;
}

/** Mirrors pkg/metrics/kaizen.Event (GET kaizen/events). */
export interface KaizenEvent {
  id: string;
  name: string;
  owner: string;
  description: string;
  hypothesis: string;
  target: TargetQuery;
  better: Direction;
  expected_direction: Direction;
  expected_change_pct: number | null;
  proposed_at: string;
  deployed_at: string | null;
  review_days: number[];
  review_dates: string[];
  baseline_days: number;
  after_days: number;
  settling_days: number;
  status: KaizenStatus;
  archived_at: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
  changed_by: string;
}

/** What POST kaizen/events and PUT kaizen/events/<id> take (pkg/ingest.KaizenEventKind). */
export interface KaizenRecord {
  id: string;
  name: string;
  owner?: string;
  description?: string;
  hypothesis?: string;
  target: TargetQuery;
  expected_direction?: Direction;
  expected_change_pct?: number;
  proposed_at?: string;
  deployed_at?: string;
  review_days?: number[];
  baseline_days?: number;
  after_days?: number;
  settling_days?: number;
  status?: KaizenStatus;
  /** The revision the edit started from: a newer stored revision refuses the edit (409). */
  base_revision?: number;
}

export interface KaizenWrite {
  outcome: 'created' | 'updated' | 'unchanged' | 'archived' | 'restored' | 'deleted';
  event: KaizenEvent;
  ignored_fields?: string[];
}

export interface SideSummary {
  n: number;
  median: number | null;
  mean: number | null;
}

export interface ReviewRow {
  days: number;
  date: string;
  from: string;
  state: ReviewState;
  n: number | null;
  median: number | null;
  change: number | null;
  p_value: number | null;
  worse_run: number | null;
  needed?: number;
}

export interface PhaseLimits {
  n: number;
  center: number;
  ucl: number;
  lcl: number;
  mr_bar: number;
}

/** Mirrors pkg/metrics/kaizen.BoardRow (GET kaizen/board, GET kaizen/events/<id>/analysis). */
export interface BoardRow {
  event: KaizenEvent;
  measured: boolean;
  error?: string;
  target?: string;
  unit?: string;
  windows?: { baseline_from: string; deployed_at: string; after_from: string; after_to: string; after_end: string };
  after_complete: boolean;
  before?: SideSummary;
  after?: SideSummary;
  change: number | null;
  relative_change: number | null;
  p_value: number | null;
  ci95: [number, number] | null;
  verdict?: Verdict;
  needed?: { before: number; after: number };
  sustained_shift: boolean;
  hypothesis_met: boolean | null;
  state?: ReviewState | 'no reviews';
  reviews?: ReviewRow[];
  next_review?: string;
  phases?: { before: PhaseLimits; after: PhaseLimits };
  points?: { before: { times: string[]; values: number[] }; after: { times: string[]; values: number[] } };
  options?: { better: Direction; alpha: number; min_n: number; seed: number; resamples: number };
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
    const err = e as { status?: number; data?: { error?: string; message?: string; field?: string }; message?: string };
    const message = err.data?.error ?? err.data?.message ?? err.message ?? String(e);
    throw new ApiError(message, err.status ?? 0, err.data?.field);
  }
}

const eventPath = (id: string) => `kaizen/events/${encodeURIComponent(id)}`;

export const fetchBoard = (uid: string, archived: boolean) =>
  request<BoardRow[]>('GET', uid, archived ? 'kaizen/board?archived=1' : 'kaizen/board');
export const fetchEvent = (uid: string, id: string) => request<KaizenEvent>('GET', uid, eventPath(id));
export const fetchAnalysis = (uid: string, id: string) => request<BoardRow>('GET', uid, `${eventPath(id)}/analysis`);
export const createEvent = (uid: string, record: KaizenRecord) =>
  request<KaizenWrite>('POST', uid, 'kaizen/events', record);
export const updateEvent = (uid: string, record: KaizenRecord) =>
  request<KaizenWrite>('PUT', uid, eventPath(record.id), record);
export const archiveEvent = (uid: string, id: string) => request<KaizenWrite>('POST', uid, `${eventPath(id)}/archive`);
export const restoreEvent = (uid: string, id: string) => request<KaizenWrite>('POST', uid, `${eventPath(id)}/restore`);
export const deleteEvent = (uid: string, id: string) => request<KaizenWrite>('DELETE', uid, eventPath(id));

/** Distinct values of a target dimension, for the filter pickers; none when the family has no list. */
export async function fetchDimensionValues(uid: string, queryType: string, dimension: string): Promise<string[]> {
  try {
    return await request<string[]>(
      'GET',
      uid,
      `values/${encodeURIComponent(queryType)}/${encodeURIComponent(dimension)}`
    );
  } catch {
    return [];
  }
}

/** Where the kaizen events page lives; ?edit=<id> opens an event's form, ?new=1 an empty one, ?event=<id> its analysis. */
export const KAIZEN_PAGE_URL = '/a/kaizenops-suite-app/kaizen';

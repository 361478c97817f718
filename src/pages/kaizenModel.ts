import { formattedValueToString, getValueFormat, type IconName } from '@grafana/data';
import type { BadgeColor } from '@grafana/ui';

import type {
  BoardRow,
  Direction,
  KaizenEvent,
  KaizenRecord,
  KaizenStatus,
  ReviewState,
  TargetQuery,
} from './kaizenApi';
import type { CatalogEntry } from './kpiApi';

/** Query types whose output is not a metric an event can move (the backend refuses them too). */
const NOT_TARGETS = ['kaizen', 'spc', 'annotations'];

/** The catalog entries an event can target, keyed queryType/metric, in catalog order. */
export function targetEntries(catalog: CatalogEntry[]): CatalogEntry[] {
  return catalog.filter((e) => !NOT_TARGETS.includes(e.queryType));
}

export const entryKey = (e: Pick<CatalogEntry, 'queryType' | 'metric'>) => `${e.queryType}/${e.metric}`;

/** The event form: every input as typed. */
export interface KaizenForm {
  id: string;
  name: string;
  owner: string;
  description: string;
  hypothesis: string;
  /** The target metric, queryType/metric of a catalog entry. */
  target: string;
  stat: string;
  bucket: string;
  filters: Record<string, string[]>;
  /** Options of the stored target the form does not edit (incident.start, kpi.kpis...), kept on save. */
  targetExtra: Record<string, unknown>;
  expectedDirection: '' | Direction;
  expectedChangePct: string;
  proposedAt: string;
  deployedAt: string;
  status: KaizenStatus;
  reviewDays: string;
  baselineDays: string;
  afterDays: string;
  settlingDays: string;
}

export const EMPTY_FORM: KaizenForm = {
  id: '',
  name: '',
  owner: '',
  description: '',
  hypothesis: '',
  target: '',
  stat: '',
  bucket: '1d',
  filters: {},
  targetExtra: {},
  expectedDirection: '',
  expectedChangePct: '',
  proposedAt: '',
  deployedAt: '',
  status: 'proposed',
  reviewDays: '30, 60, 90',
  baselineDays: '30',
  afterDays: '30',
  settlingDays: '0',
};

const EDITED_TARGET_FIELDS = ['queryType', 'metric', 'stat', 'bucket', 'filters'];

/** The form for editing a stored event. */
export function formFromEvent(e: KaizenEvent): KaizenForm {
  const { queryType, metric, stat, bucket, filters } = e.target;
  const extra = Object.fromEntries(Object.entries(e.target).filter(([k]) => !EDITED_TARGET_FIELDS.includes(k)));
  return {
    id: e.id,
    name: e.name,
    owner: e.owner,
    description: e.description,
    hypothesis: e.hypothesis,
    target: `${queryType}/${metric}`,
    stat: stat ?? '',
    bucket: bucket ?? '1d',
    filters: filters ?? {},
    targetExtra: extra,
    expectedDirection: e.expected_direction,
    expectedChangePct: e.expected_change_pct === null ? '' : String(e.expected_change_pct),
    proposedAt: e.proposed_at,
    deployedAt: e.deployed_at ?? '',
    status: e.status,
    reviewDays: e.review_days.join(', '),
    baselineDays: String(e.baseline_days),
    afterDays: String(e.after_days),
    settlingDays: String(e.settling_days),
  };
}

/** The target query the form describes, as it will be stored. */
export function targetQuery(form: KaizenForm): TargetQuery | undefined {
  const [queryType, metric] = form.target.split('/');
  if (!queryType || !metric) {
    return undefined;
  }
  const q: TargetQuery = { queryType, metric, ...form.targetExtra };
  if (form.stat) {
    q.stat = form.stat;
  }
  q.bucket = form.bucket.trim() || '1d';
  const filters = Object.fromEntries(Object.entries(form.filters).filter(([, v]) => v.length > 0));
  if (Object.keys(filters).length > 0) {
    q.filters = filters;
  }
  return q;
}

export type FormErrors = Partial<Record<keyof KaizenForm, string>>;

/** The backend's record field for each form input, to show a server error beside its input. */
export const FORM_FIELD: Record<string, keyof KaizenForm> = {
  id: 'id',
  name: 'name',
  owner: 'owner',
  description: 'description',
  hypothesis: 'hypothesis',
  target: 'target',
  expected_direction: 'expectedDirection',
  expected_change_pct: 'expectedChangePct',
  proposed_at: 'proposedAt',
  deployed_at: 'deployedAt',
  status: 'status',
  review_days: 'reviewDays',
  baseline_days: 'baselineDays',
  after_days: 'afterDays',
  settling_days: 'settlingDays',
};

/**
 * Turns the form into the event record, or says which inputs cannot be read. Only
 * reading is checked here; what the values must satisfy (a target that runs, a
 * deployment after the proposal, a status that fits) the backend checks and names.
 */
export function formToRecord(form: KaizenForm, baseRevision?: number): { record?: KaizenRecord; errors: FormErrors } {
  const errors: FormErrors = {};
  const number = (key: keyof KaizenForm): number | undefined => {
    const text = String(form[key]).trim();
    if (text === '') {
      return undefined;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) {
      errors[key] = `"${text}" is not a number`;
      return undefined;
    }
    return n;
  };
  for (const key of ['id', 'name'] as const) {
    if (form[key].trim() === '') {
      errors[key] = 'Required';
    }
  }
  const target = targetQuery(form);
  if (!target) {
    errors.target = 'Pick the metric the event should move';
  }
  let reviewDays: number[] | undefined;
  const reviewText = form.reviewDays.trim();
  if (reviewText !== '') {
    const parts = reviewText.toLowerCase() === 'none' ? [] : reviewText.split(/[\s,]+/).filter(Boolean);
    const days = parts.map(Number);
    if (days.some((d) => !Number.isInteger(d) || d < 1)) {
      errors.reviewDays = 'Whole numbers of days after the deployment, such as 30, 60, 90 (or none)';
    } else {
      reviewDays = days;
    }
  }
  const expectedChange = number('expectedChangePct');
  const baseline = number('baselineDays');
  const after = number('afterDays');
  const settling = number('settlingDays');
  if (Object.keys(errors).length > 0 || !target) {
    return { errors };
  }
  const record: KaizenRecord = { id: form.id.trim(), name: form.name.trim(), target, status: form.status };
  const optional: Partial<KaizenRecord> = {
    owner: form.owner.trim() || undefined,
    description: form.description.trim() || undefined,
    hypothesis: form.hypothesis.trim() || undefined,
    expected_direction: form.expectedDirection || undefined,
    expected_change_pct: expectedChange,
    proposed_at: form.proposedAt.trim() || undefined,
    deployed_at: form.deployedAt.trim() || undefined,
    review_days: reviewDays,
    baseline_days: baseline,
    after_days: after,
    settling_days: settling,
    base_revision: baseRevision,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) {
      (record as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return { record, errors };
}

/** How a verdict reads: words, a colour and an icon (never colour alone). */
export interface Look {
  text: string;
  color: BadgeColor;
  icon: IconName;
}

export function verdictLook(row: Pick<BoardRow, 'measured' | 'verdict' | 'error' | 'event'>): Look {
  if (row.error) {
    return { text: 'Cannot measure', color: 'red', icon: 'exclamation-circle' };
  }
  if (!row.measured) {
    return {
      text: row.event.status === 'abandoned' ? 'Abandoned' : 'Not deployed',
      color: 'darkgrey',
      icon: 'clock-nine',
    };
  }
  switch (row.verdict) {
    case 'improved':
      return { text: 'Improved', color: 'green', icon: 'check-circle' };
    case 'worsened':
      return { text: 'Worsened', color: 'red', icon: 'exclamation-triangle' };
    case 'no-evidence':
      return { text: 'No evidence', color: 'blue', icon: 'minus-circle' };
  }
  return { text: 'Not enough data', color: 'purple', icon: 'hourglass' };
}

export function stateLook(state: ReviewState | 'no reviews' | undefined): Look {
  switch (state) {
    case 'sustained':
      return { text: 'Sustained', color: 'green', icon: 'check-circle' };
    case 'eroding':
      return { text: 'Eroding', color: 'orange', icon: 'arrow-down' };
    case 'lost':
      return { text: 'Lost', color: 'red', icon: 'times-circle' };
    case 'insufficient-data':
      return { text: 'Not enough data', color: 'purple', icon: 'hourglass' };
    case 'pending':
      return { text: 'Pending', color: 'darkgrey', icon: 'clock-nine' };
  }
  return { text: 'No reviews', color: 'darkgrey', icon: 'minus' };
}

/** A number in its Grafana unit ("s": 1800 → "30 min"); "—" for null. */
export function formatValue(value: number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  try {
    return formattedValueToString(getValueFormat(unit || 'none')(value));
  } catch {
    return String(value);
  }
}

/** "−50 %" for a relative change, "—" without one. */
export function formatPercent(rel: number | null | undefined): string {
  if (rel === null || rel === undefined || !Number.isFinite(rel)) {
    return '—';
  }
  const pct = rel * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${Math.abs(pct).toFixed(digits)} %`;
}

/** "p = 0.003", "p < 0.0001". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) {
    return '—';
  }
  if (p < 0.0001) {
    return 'p < 0.0001';
  }
  return `p = ${p < 0.01 ? p.toPrecision(1) : p.toFixed(2)}`;
}

/** What the change was, in words: "−50 % (1 hour → 30 min)". */
export function changeSentence(row: BoardRow): string {
  if (!row.measured || !row.before || !row.after) {
    return '—';
  }
  return `${formatPercent(row.relative_change)} (${formatValue(row.before.median, row.unit)} → ${formatValue(row.after.median, row.unit)})`;
}

/** Says how many more points each window needs, never a guess. */
export function neededSentence(needed: { before: number; after: number } | undefined): string {
  if (!needed) {
    return '';
  }
  const parts = [];
  if (needed.before > 0) {
    parts.push(`${needed.before} more before the change`);
  }
  if (needed.after > 0) {
    parts.push(`${needed.after} more after it`);
  }
  return parts.length ? `Needs ${parts.join(' and ')} for a verdict.` : '';
}

/** Names a target query when the backend has not run it: "incidents/mttr (median) · checkout". */
export function targetLabel(t: TargetQuery): string {
  const filters = Object.values(t.filters ?? {})
    .flat()
    .join(', ');
  return `${t.queryType}/${t.metric}${t.stat ? ` (${t.stat})` : ''}${filters ? ` · ${filters}` : ''}`;
}

/** A date as the page shows it: "2025-03-01". */
export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

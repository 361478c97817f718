import { formattedValueToString, getValueFormat } from '@grafana/data';

import type { CatalogEntry, Direction, KPIDefinition, KPIRecord, KPIStatus } from './kpiApi';

/**
 * Shows a definition's number exactly in its Grafana unit ("percent": 99.95 → "99.95%"). When the
 * unit would round or rescale it (1500 ms → 1.5 s), the number is shown as stored, with the unit id.
 */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (!unit) {
    return String(value);
  }
  const decimals = (String(value).split('.')[1] ?? '').length;
  try {
    const formatted = getValueFormat(unit)(value, decimals);
    if (Number(formatted.text) === value) {
      return formattedValueToString(formatted);
    }
  } catch {
    // an unknown unit id reads as text below
  }
  return `${value} ${unit}`;
}

/** Shows an amount of money exactly: 1200 USD → "$1,200". */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (!currency) {
    return value.toLocaleString('en');
  }
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 6 }).format(value);
  } catch {
    return `${value.toLocaleString('en')} ${currency}`;
  }
}

/**
 * Says what the thresholds mean for this KPI, in the backend's terms: a threshold is
 * reached when the value gets to it from the target's side, so a value exactly at the
 * warning threshold is a warning.
 */
export function thresholdSentence(
  d: Pick<KPIDefinition, 'direction' | 'target' | 'warning' | 'critical' | 'unit'>
): string {
  const v = (x: number) => formatValue(x, d.unit);
  const reach = d.direction === 'higher' ? 'or below' : 'or above';
  const parts = [`Target ${v(d.target)} (${d.direction} is better).`];
  if (d.warning !== null) {
    parts.push(`Warning at ${v(d.warning)} ${reach}.`);
  }
  if (d.critical !== null) {
    parts.push(`Critical at ${v(d.critical)} ${reach}.`);
  }
  if (d.warning === null && d.critical === null) {
    parts.push('No thresholds: the state is always ok.');
  }
  return parts.join(' ');
}

/** Catalog entries grouped by family, families and metrics in catalog order. */
export function groupByFamily(entries: CatalogEntry[]): Array<{ family: string; entries: CatalogEntry[] }> {
  const out: Array<{ family: string; entries: CatalogEntry[] }> = [];
  for (const e of entries) {
    let group = out.find((g) => g.family === e.family);
    if (!group) {
      group = { family: e.family, entries: [] };
      out.push(group);
    }
    group.entries.push(e);
  }
  return out;
}

/** Keeps the entries whose name, metric, family, formula or description mention every word of the search. */
export function searchCatalog(entries: CatalogEntry[], search: string): CatalogEntry[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return entries;
  }
  return entries.filter((e) => {
    const text = [e.name, e.metric, e.queryType, e.family, e.formula, e.description, e.source].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The KPI form: every input as typed. */
export interface KPIForm {
  id: string;
  name: string;
  description: string;
  unit: string;
  direction: Direction;
  target: string;
  warning: string;
  critical: string;
  indicator: '' | 'leading' | 'lagging';
  owner: string;
  costPerUnit: string;
  currency: string;
  service: string;
  status: KPIStatus;
  /** RFC 3339, or empty for "now" (version 1: from the start). */
  effectiveFrom: string;
}

export const EMPTY_FORM: KPIForm = {
  id: '',
  name: '',
  description: '',
  unit: '',
  direction: 'higher',
  target: '',
  warning: '',
  critical: '',
  indicator: '',
  owner: '',
  costPerUnit: '',
  currency: '',
  service: '',
  status: 'active',
  effectiveFrom: '',
};

/** The form for editing a stored definition. */
export function formFromDefinition(d: KPIDefinition): KPIForm {
  const s = (x: number | null) => (x === null ? '' : String(x));
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    unit: d.unit,
    direction: d.direction,
    target: String(d.target),
    warning: s(d.warning),
    critical: s(d.critical),
    indicator: d.indicator,
    owner: d.owner,
    costPerUnit: s(d.cost_per_unit),
    currency: d.currency,
    service: d.service,
    status: d.status,
    effectiveFrom: '',
  };
}

export type FormErrors = Partial<Record<keyof KPIForm, string>>;

/** The backend's record field for each form input, to show a server error beside its input. */
export const FORM_FIELD: Record<string, keyof KPIForm> = {
  id: 'id',
  name: 'name',
  description: 'description',
  unit: 'unit',
  direction: 'direction',
  target: 'target',
  warning: 'warning',
  critical: 'critical',
  indicator: 'indicator',
  owner: 'owner',
  cost_per_unit: 'costPerUnit',
  currency: 'currency',
  service: 'service',
  status: 'status',
  effective_from: 'effectiveFrom',
};

/**
 * Turns the form into the definition record, or says which inputs cannot be read. Only
 * reading is checked here; what the values must satisfy (thresholds on the bad side of
 * the target, and so on) the backend checks and names the field.
 */
export function formToRecord(form: KPIForm, baseVersion?: number): { record?: KPIRecord; errors: FormErrors } {
  const errors: FormErrors = {};
  const number = (key: keyof KPIForm, required: boolean): number | undefined => {
    const text = String(form[key]).trim();
    if (text === '') {
      if (required) {
        errors[key] = 'Required';
      }
      return undefined;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) {
      errors[key] = `"${text}" is not a number`;
      return undefined;
    }
    return n;
  };
  if (form.id.trim() === '') {
    errors.id = 'Required';
  }
  if (form.name.trim() === '') {
    errors.name = 'Required';
  }
  const target = number('target', true);
  const warning = number('warning', false);
  const critical = number('critical', false);
  const cost = number('costPerUnit', false);
  if (Object.keys(errors).length > 0 || target === undefined) {
    return { errors };
  }
  const record: KPIRecord = {
    id: form.id.trim(),
    name: form.name.trim(),
    direction: form.direction,
    target,
    status: form.status,
  };
  const optional: Partial<KPIRecord> = {
    unit: form.unit.trim() || undefined,
    warning,
    critical,
    indicator: form.indicator || undefined,
    owner: form.owner.trim() || undefined,
    description: form.description.trim() || undefined,
    cost_per_unit: cost,
    currency: form.currency.trim() || undefined,
    service: form.service.trim() || undefined,
    effective_from: form.effectiveFrom.trim() || undefined,
    base_version: baseVersion,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) {
      (record as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return { record, errors };
}

/** What a version changed from the one before it, in words: what an audit of the history reads. */
export function versionChanges(prev: KPIDefinition | undefined, cur: KPIDefinition): string[] {
  if (!prev) {
    return ['created'];
  }
  const show = (v: unknown) => (v === null || v === '' || v === undefined ? 'none' : String(v));
  const fields: Array<[keyof KPIDefinition, string]> = [
    ['name', 'name'],
    ['unit', 'unit'],
    ['direction', 'direction'],
    ['target', 'target'],
    ['warning', 'warning'],
    ['critical', 'critical'],
    ['indicator', 'indicator'],
    ['owner', 'owner'],
    ['cost_per_unit', 'cost per unit'],
    ['currency', 'currency'],
    ['service', 'service'],
    ['status', 'status'],
  ];
  const out = fields
    .filter(([k]) => prev[k] !== cur[k])
    .map(([k, label]) => `${label} ${show(prev[k])} → ${show(cur[k])}`);
  if (prev.description !== cur.description) {
    out.push('description');
  }
  return out.length ? out : ['no change'];
}

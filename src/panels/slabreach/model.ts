// Pure functions behind the SLA breach panel: reading the frames of a Kaizen Ops slo "status"
// query (or frames shaped like them from any data source; docs/slo.md), classifying each SLO as
// breached, at risk, compliant or without data, sorting, and sizing the status grid.
// No React here, so every rule is tested on its own.
import { FieldType, type DataFrame, type Field } from '@grafana/data';

import type { SLABreachOptions, SortOrder } from './types';

export type Status = 'breached' | 'at_risk' | 'compliant' | 'no_data';

export type AlertLevel = 'ok' | 'ticket' | 'page';

/** One SLO's numbers now, from the status frame. Ratios are 0..1; the objective is a percentage. */
export interface SLORow {
  /** Joins the other frames to this row: the SLO id, or the service when there is no id. */
  key: string;
  slo: string;
  name: string;
  service: string;
  team: string;
  objective: number | null;
  window: string;
  compliance: number | null;
  budgetRemaining: number | null;
  budgetRemainingTime: number | null;
  burnRate: number | null;
  alert: AlertLevel | null;
  breached: boolean | null;
  slaPeriod: string;
  slaCompliance: number | null;
  penaltyCurrent: number | null;
  penaltyTotal: number | null;
  currency: string;
  status: Status;
  /** Why the row is at risk or breached, in words. */
  reasons: string[];
}

export interface BurnRateRow {
  key: string;
  window: string;
  seconds: number | null;
  burn: number | null;
  page: number | null;
  ticket: number | null;
}

export interface BurndownSeries {
  key: string;
  times: number[];
  remaining: Array<number | null>;
  ideal: Array<number | null>;
}

export interface Breach {
  key: string;
  period: string;
  start: number;
  /** null while the breach is ongoing. */
  end: number | null;
  ongoing: boolean;
  duration: number | null;
  depth: number | null;
  worst: number | null;
}

export interface PenaltyRow {
  key: string;
  period: string;
  start: number | null;
  complete: boolean;
  breached: boolean;
  compliance: number | null;
  credit: number | null;
  penalty: number;
  currency: string;
}

export interface SLAModel {
  rows: SLORow[];
  burnRates: BurnRateRow[];
  burndowns: Map<string, BurndownSeries>;
  breaches: Breach[];
  penalties: PenaltyRow[];
}

export type ModelResult = { model: SLAModel; message?: undefined } | { model?: undefined; message: string };

export const NEEDS_QUERY =
  'This panel draws a Kaizen Ops slo query with metric "status" (frames slo_status, slo_burn_rates, slo_burndown, slo_breaches, slo_penalties), or frames shaped like them: a table with compliance per service is the least it needs.';

export const NO_SLOS = 'No SLO in the data: define SLOs in Kaizen Ops (the SLOs page), or widen the query filters.';

// ---------------------------------------------------------------------------------------------
// Reading frames

function byName(frame: DataFrame, ...names: string[]): Field | undefined {
  for (const n of names) {
    const f = frame.fields.find((x) => x.name === n);
    if (f) {
      return f;
    }
  }
  return undefined;
}

function hasTime(frame: DataFrame): boolean {
  return frame.fields.some((f) => f.type === FieldType.time);
}

function num(f: Field | undefined, i: number): number | null {
  const v = f?.values[i];
  if (typeof v === 'number' && !Number.isNaN(v)) {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return Number(v);
  }
  return null;
}

function str(f: Field | undefined, i: number): string {
  const v = f?.values[i];
  return v === null || v === undefined ? '' : String(v);
}

function bool(f: Field | undefined, i: number): boolean | null {
  const v = f?.values[i];
  if (typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'number') {
    return v !== 0;
  }
  if (typeof v === 'string') {
    return v === 'true' ? true : v === 'false' ? false : null;
  }
  return null;
}

function time(f: Field | undefined, i: number): number | null {
  const v = f?.values[i];
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === 'string' && v !== '') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  if (v instanceof Date) {
    return v.getTime();
  }
  return null;
}

function alertOf(v: string, level: number | null): AlertLevel | null {
  const s = v.toLowerCase();
  if (s === 'page' || s === 'ticket' || s === 'ok') {
    return s;
  }
  if (level !== null) {
    return level >= 2 ? 'page' : level >= 1 ? 'ticket' : 'ok';
  }
  return null;
}

/** The frame's row key: SLO id, else service, else name. */
function keyOf(frame: DataFrame, i: number): string {
  return str(byName(frame, 'slo'), i) || str(byName(frame, 'service'), i) || str(byName(frame, 'name'), i);
}

function isStatus(f: DataFrame) {
  return !hasTime(f) && Boolean(byName(f, 'compliance')) && Boolean(byName(f, 'slo', 'service', 'name'));
}
function isBurnRates(f: DataFrame) {
  // the status frame has a window and a burn rate too, and compliance besides
  return !hasTime(f) && Boolean(byName(f, 'window')) && Boolean(byName(f, 'burn_rate')) && !byName(f, 'compliance');
}
function isBurndown(f: DataFrame) {
  return hasTime(f) && Boolean(byName(f, 'budget_remaining'));
}
function isBreaches(f: DataFrame) {
  const s = byName(f, 'start');
  return Boolean(s && s.type === FieldType.time);
}
function isPenalties(f: DataFrame) {
  return Boolean(byName(f, 'penalty')) && Boolean(byName(f, 'period', 'period_start'));
}

function readStatus(f: DataFrame): SLORow[] {
  const n = f.length ?? f.fields[0]?.values.length ?? 0;
  const F = {
    slo: byName(f, 'slo'),
    name: byName(f, 'name'),
    service: byName(f, 'service'),
    team: byName(f, 'team'),
    objective: byName(f, 'objective'),
    window: byName(f, 'window'),
    compliance: byName(f, 'compliance'),
    remaining: byName(f, 'budget_remaining'),
    remainingTime: byName(f, 'budget_remaining_time'),
    burn: byName(f, 'burn_rate', 'burn_rate_1h'),
    alert: byName(f, 'alert'),
    alertLevel: byName(f, 'alert_level'),
    breached: byName(f, 'breached'),
    slaPeriod: byName(f, 'sla_period'),
    slaCompliance: byName(f, 'sla_compliance'),
    penaltyCurrent: byName(f, 'penalty_current'),
    penaltyTotal: byName(f, 'penalty_total'),
    currency: byName(f, 'currency'),
  };
  const rows: SLORow[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(f, i);
    if (!key) {
      continue;
    }
    rows.push({
      key,
      slo: str(F.slo, i),
      name: str(F.name, i) || str(F.slo, i) || str(F.service, i),
      service: str(F.service, i) || str(F.slo, i),
      team: str(F.team, i),
      objective: num(F.objective, i),
      window: str(F.window, i),
      compliance: num(F.compliance, i),
      budgetRemaining: num(F.remaining, i),
      budgetRemainingTime: num(F.remainingTime, i),
      burnRate: num(F.burn, i),
      alert: alertOf(str(F.alert, i), num(F.alertLevel, i)),
      breached: bool(F.breached, i),
      slaPeriod: str(F.slaPeriod, i),
      slaCompliance: num(F.slaCompliance, i),
      penaltyCurrent: num(F.penaltyCurrent, i),
      penaltyTotal: num(F.penaltyTotal, i),
      currency: str(F.currency, i),
      status: 'no_data',
      reasons: [],
    });
  }
  return rows;
}

function readBurnRates(f: DataFrame): BurnRateRow[] {
  const n = f.fields[0]?.values.length ?? 0;
  const w = byName(f, 'window');
  const s = byName(f, 'window_seconds');
  const b = byName(f, 'burn_rate');
  const p = byName(f, 'page_threshold');
  const t = byName(f, 'ticket_threshold');
  const out: BurnRateRow[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      key: keyOf(f, i),
      window: str(w, i),
      seconds: num(s, i),
      burn: num(b, i),
      page: num(p, i),
      ticket: num(t, i),
    });
  }
  return out;
}

/** Burn-down frames come long (slo/service columns) or one per SLO (labels on the value field). */
function readBurndown(f: DataFrame, into: Map<string, BurndownSeries>) {
  const tf = f.fields.find((x) => x.type === FieldType.time)!;
  const rem = byName(f, 'budget_remaining')!;
  const ideal = byName(f, 'ideal');
  const keyField = byName(f, 'slo', 'service');
  const labelKey = rem.labels?.slo ?? rem.labels?.service ?? f.name ?? '';
  const n = tf.values.length;
  for (let i = 0; i < n; i++) {
    const key = keyField ? str(keyField, i) : labelKey;
    let s = into.get(key);
    if (!s) {
      s = { key, times: [], remaining: [], ideal: [] };
      into.set(key, s);
    }
    s.times.push(time(tf, i) ?? NaN);
    s.remaining.push(num(rem, i));
    s.ideal.push(num(ideal, i));
  }
}

function readBreaches(f: DataFrame): Breach[] {
  const n = f.fields[0]?.values.length ?? 0;
  const start = byName(f, 'start');
  const end = byName(f, 'end');
  const ongoing = byName(f, 'ongoing');
  const out: Breach[] = [];
  for (let i = 0; i < n; i++) {
    const s = time(start, i);
    if (s === null) {
      continue;
    }
    const e = time(end, i);
    out.push({
      key: keyOf(f, i),
      period: str(byName(f, 'period'), i),
      start: s,
      end: e,
      ongoing: bool(ongoing, i) ?? e === null,
      duration: num(byName(f, 'duration'), i),
      depth: num(byName(f, 'depth'), i),
      worst: num(byName(f, 'worst_compliance'), i),
    });
  }
  return out;
}

function readPenalties(f: DataFrame): PenaltyRow[] {
  const n = f.fields[0]?.values.length ?? 0;
  const out: PenaltyRow[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      key: keyOf(f, i),
      period: str(byName(f, 'period'), i),
      start: time(byName(f, 'period_start'), i),
      complete: bool(byName(f, 'complete'), i) ?? true,
      breached: bool(byName(f, 'breached'), i) ?? false,
      compliance: num(byName(f, 'compliance'), i),
      credit: num(byName(f, 'credit'), i),
      penalty: num(byName(f, 'penalty'), i) ?? 0,
      currency: str(byName(f, 'currency'), i),
    });
  }
  return out;
}

/** Reads every frame the panel understands; says in words what is missing when nothing fits. */
export function readFrames(frames: DataFrame[]): ModelResult {
  const model: SLAModel = { rows: [], burnRates: [], burndowns: new Map(), breaches: [], penalties: [] };
  let recognised = false;
  for (const f of frames) {
    // Penalty rows also carry compliance per SLO: tell them apart first.
    if (isPenalties(f)) {
      model.penalties.push(...readPenalties(f));
    } else if (isBreaches(f)) {
      model.breaches.push(...readBreaches(f));
    } else if (isBurndown(f)) {
      readBurndown(f, model.burndowns);
    } else if (isBurnRates(f)) {
      model.burnRates.push(...readBurnRates(f));
    } else if (isStatus(f)) {
      model.rows.push(...readStatus(f));
    } else {
      continue;
    }
    recognised = true;
  }
  if (!recognised) {
    return { message: NEEDS_QUERY };
  }
  return { model };
}

// ---------------------------------------------------------------------------------------------
// Status

/**
 * Classifies an SLO. Breached: the error budget is spent (breached flag, or less than none left).
 * At risk: budget left under the threshold, the workbook's burn-rate alert firing (ticket or page),
 * or the 1h burn above the threshold. No data: no compliance and no burn. Else compliant.
 */
export function classify(
  r: SLORow,
  o: Pick<SLABreachOptions, 'atRiskBudget' | 'atRiskBurn' | 'atRiskOnAlert'>
): {
  status: Status;
  reasons: string[];
} {
  if (r.breached === true || (r.budgetRemaining !== null && r.budgetRemaining < 0)) {
    return { status: 'breached', reasons: ['error budget spent'] };
  }
  const reasons: string[] = [];
  if (r.budgetRemaining !== null && r.budgetRemaining * 100 < o.atRiskBudget) {
    reasons.push(`budget under ${o.atRiskBudget}%`);
  }
  if (o.atRiskOnAlert && (r.alert === 'page' || r.alert === 'ticket')) {
    reasons.push(`burn-rate alert: ${r.alert}`);
  }
  if (o.atRiskBurn > 0 && r.burnRate !== null && r.burnRate > o.atRiskBurn) {
    reasons.push(`burn above ${o.atRiskBurn}×`);
  }
  if (reasons.length > 0) {
    return { status: 'at_risk', reasons };
  }
  if (r.compliance === null && !(r.burnRate !== null && r.burnRate > 0)) {
    return { status: 'no_data', reasons: [] };
  }
  return { status: 'compliant', reasons: [] };
}

const STATUS_RANK: Record<Status, number> = { breached: 0, at_risk: 1, compliant: 2, no_data: 3 };

function budgetOrder(r: SLORow): number {
  return r.budgetRemaining === null ? Infinity : r.budgetRemaining;
}

/** Sorts rows: by urgency (status, then least budget, fastest burn), name, budget or burn. */
export function sortRows(rows: SLORow[], order: SortOrder): SLORow[] {
  const label = (r: SLORow) => `${r.service} ${r.name}`.toLowerCase();
  const burn = (r: SLORow) => r.burnRate ?? -1;
  const cmp: Record<SortOrder, (a: SLORow, b: SLORow) => number> = {
    severity: (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      budgetOrder(a) - budgetOrder(b) ||
      burn(b) - burn(a) ||
      label(a).localeCompare(label(b)),
    name: (a, b) => label(a).localeCompare(label(b)),
    budget: (a, b) => budgetOrder(a) - budgetOrder(b) || label(a).localeCompare(label(b)),
    burn: (a, b) => burn(b) - burn(a) || label(a).localeCompare(label(b)),
  };
  return [...rows].sort((a, b) => {
    const c = cmp[order](a, b);
    return Number.isNaN(c) ? 0 : c;
  });
}

/** Classifies and sorts the rows for the options. */
export function prepareRows(rows: SLORow[], o: SLABreachOptions): SLORow[] {
  return sortRows(
    rows.map((r) => ({ ...r, ...classify(r, o) })),
    o.sort
  );
}

export interface StatusCounts {
  breached: number;
  at_risk: number;
  compliant: number;
  no_data: number;
}

export function countStatuses(rows: SLORow[]): StatusCounts {
  const c: StatusCounts = { breached: 0, at_risk: 0, compliant: 0, no_data: 0 };
  for (const r of rows) {
    c[r.status]++;
  }
  return c;
}

/** The SLO the detail views show: the one the option names (id, service or name), else the most urgent. */
export function pickFocus(sorted: SLORow[], focus: string): SLORow | undefined {
  const f = focus.trim();
  if (f) {
    const hit = sorted.find((r) => r.key === f || r.slo === f || r.service === f || r.name === f);
    if (hit) {
      return hit;
    }
  }
  const urgent = [...sorted].sort(
    (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || budgetOrder(a) - budgetOrder(b)
  );
  return urgent[0];
}

/** Penalty totals per currency ('' when none is given), over every period in the data. */
export function penaltyTotals(penalties: PenaltyRow[]): Array<{ currency: string; total: number; periods: number }> {
  const m = new Map<string, { currency: string; total: number; periods: number }>();
  for (const p of penalties) {
    if (!(p.penalty > 0)) {
      continue;
    }
    const t = m.get(p.currency) ?? { currency: p.currency, total: 0, periods: 0 };
    t.total += p.penalty;
    t.periods++;
    m.set(p.currency, t);
  }
  return [...m.values()].sort((a, b) => b.total - a.total);
}

// ---------------------------------------------------------------------------------------------
// Grid layout

export interface GridLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Type scale of a tile: 1 is a 224 × 82 px tile with 14 px text. */
  scale: number;
}

/** The tile at scale 1; its text needs this box. */
export const TILE_W = 224;
export const TILE_H = 82;
export const GRID_GAP = 6;

/**
 * Picks the number of columns that gives the largest tiles (in type scale) for n tiles in the box,
 * never larger than maxScale. Tiles keep roughly the 224:82 shape of their text.
 */
export function gridLayout(n: number, width: number, height: number, maxScale = 3): GridLayout {
  let best: GridLayout = { columns: 1, rows: Math.max(1, n), tileWidth: width, tileHeight: height, scale: 0 };
  if (n <= 0 || width <= 0 || height <= 0) {
    return best;
  }
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const tileWidth = (width - GRID_GAP * (columns - 1)) / columns;
    const tileHeight = (height - GRID_GAP * (rows - 1)) / rows;
    if (tileWidth <= 0 || tileHeight <= 0) {
      continue;
    }
    const scale = Math.min(tileWidth / TILE_W, tileHeight / TILE_H, maxScale);
    if (scale > best.scale + 1e-9) {
      best = { columns, rows, tileWidth, tileHeight, scale };
    }
  }
  return best;
}

/** The height a grid of n tiles needs at the given scale (for splitting the panel between views). */
export function gridHeightAt(n: number, width: number, scale: number): number {
  const columns = Math.max(1, Math.floor((width + GRID_GAP) / (TILE_W * scale + GRID_GAP)));
  const rows = Math.ceil(n / columns);
  return rows * TILE_H * scale + (rows - 1) * GRID_GAP;
}

// The control chart of one series as the panel draws it: points, lines, baseline and violations,
// either computed here with src/lib/spc or read from a frame that carries its own limits.
import { dateMath } from '@grafana/data';

import {
  computeSpc,
  MAX_SUBGROUP,
  MIN_SUBGROUP,
  RULE_ORDER,
  sigmaLine,
  SpcError,
  type ChartType,
  type SpcOptions,
  type SpcResult,
} from '../../lib/spc';
import type { PhaseSpan } from './phases';
import type { FrameLimits, SeriesInput } from './series';
import type { ControlChartOptions } from './types';

export interface ChartViolation {
  rule: string;
  /** The point that completes the pattern. */
  index: number;
  /** The points that make it up (the completing point alone when unknown). */
  points: number[];
}

export interface RuleCount {
  rule: string;
  count: number;
}

export interface ChartModel {
  chart: string;
  /** 'computed' here, or read from the 'frame'. */
  source: 'computed' | 'frame';
  times: number[];
  values: number[];
  center: number[];
  ucl: number[];
  lcl: number[];
  /** ±1σ and ±2σ lines, clipped to the limits; null for cusum (its limits are h σ of a sum). */
  zones: { plus1: number[]; minus1: number[]; plus2: number[]; minus2: number[] } | null;
  /** cusum: −C−, drawn against the LCL. */
  lower?: number[];
  /** The baseline's first and last time; null when the limits come from every point or are frozen. */
  baselineRange: [number, number] | null;
  /** How the limits were set, in words: "first 40 points", "frozen", "all 240 points". */
  limitsFrom: string;
  violations: ChartViolation[];
  /** Per rule checked (and any other rule seen), in canonical order, zero counts included. */
  counts: RuleCount[];
  /** Points with at least one violation. */
  flagged: number;
  /** True when every point has the same limits (a Shewhart chart with constant n). */
  constantLimits: boolean;
  /** Values left out: null, NaN, or without a sample size. */
  skipped: number;
  /** Newest values left out of X-bar charts: an incomplete subgroup. */
  incomplete: number;
  /** Kaizen phases in the time range (phasedChart.ts): boundaries, with limits per phase when computed. */
  phases?: PhaseSpan[];
}

export type ChartOutcome = { model: ChartModel; error?: undefined } | { model?: undefined; error: string };

const SIZED: ChartType[] = ['p', 'np', 'u'];
const SUBGROUPED: ChartType[] = ['xbar-r', 'xbar-s'];

export const CHART_LABELS: Record<ChartType, string> = {
  xmr: 'Individuals (XmR)',
  'xbar-r': 'X-bar R',
  'xbar-s': 'X-bar S',
  p: 'p (proportion defective)',
  np: 'np (defectives)',
  u: 'u (defects per unit)',
  c: 'c (defects)',
  ewma: 'EWMA',
  cusum: 'CUSUM',
};

/** Builds the chart for one series: from its frame's limits when it has them, else computed. */
export function buildChart(s: SeriesInput, options: ControlChartOptions, now = Date.now()): ChartOutcome {
  return s.limits ? fromFrame(s, s.limits) : compute(s, options, now);
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The engine options for the panel options; throws SpcError naming the option at fault. */
export function spcOptions(o: ControlChartOptions, now: number): SpcOptions {
  const chart = o.chartType;
  const opt: SpcOptions = { chart };
  if (chart !== 'ewma' && chart !== 'cusum') {
    opt.rules = o.rules;
  }
  if (SUBGROUPED.includes(chart)) {
    opt.subgroup = o.subgroup;
  }
  if (chart === 'ewma') {
    opt.lambda = o.lambda;
    opt.L = o.L;
  }
  if (chart === 'cusum') {
    opt.k = o.k;
    opt.h = o.h;
  }
  switch (o.baselineMode) {
    case 'first':
      opt.baseline = { points: o.baselinePoints };
      break;
    case 'range': {
      const from = parseTime('baseline from', o.baselineFrom, now, false);
      const to = parseTime('baseline to', o.baselineTo, now, true);
      if (from === undefined && to === undefined) {
        throw new SpcError('baseline', 'give a baseline from or to time (e.g. now-30d, or 2026-01-01T00:00:00Z)');
      }
      opt.baseline = { from, to };
      break;
    }
    case 'frozen': {
      const frozen = { center: o.frozenCenter, sigma: o.frozenSigma, ucl: o.frozenUcl, lcl: o.frozenLcl };
      const given = Object.fromEntries(Object.entries(frozen).filter(([, v]) => finite(v)));
      if (!('center' in given) && !('sigma' in given)) {
        throw new SpcError('frozen', 'give the known center and sigma (or center, UCL and LCL)');
      }
      opt.frozen = given;
      break;
    }
  }
  return opt;
}

function parseTime(what: string, text: string, now: number, roundUp: boolean): number | undefined {
  if (!text || !text.trim()) {
    return undefined;
  }
  const t = dateMath.toDateTime(text.trim(), { roundUp, now, timezone: 'utc' });
  if (!t || !t.isValid()) {
    throw new SpcError('baseline', `${what} "${text}" is not a time: use now-7d or 2026-01-01T00:00:00Z`);
  }
  return t.valueOf();
}

/** The engine input of a series: its finite values (and sample sizes), and how many were skipped. */
export interface ChartInput {
  times: number[];
  values: number[];
  sizes?: number[];
  skipped: number;
}

/** Reads a series' values for the engine, or says why it has none it can use. */
export function chartInput(
  s: SeriesInput,
  o: ControlChartOptions
): { input: ChartInput; error?: undefined } | { error: string } {
  const chart = o.chartType;
  const sized = SIZED.includes(chart);
  const times: number[] = [];
  const values: number[] = [];
  const sizes: number[] = [];
  let skipped = 0;
  const tv = s.time.values;
  const vv = s.value.values;
  const nv = s.size?.values;
  for (let i = 0; i < vv.length; i++) {
    const v = vv[i];
    if (!finite(v) || !finite(tv[i])) {
      skipped++;
      continue;
    }
    if (sized) {
      const n = nv ? nv[i] : o.sampleSize;
      if (!finite(n) || n <= 0) {
        skipped++;
        continue;
      }
      sizes.push(n);
    }
    times.push(tv[i]);
    values.push(v);
  }
  if (sized && !s.size && !finite(o.sampleSize)) {
    return { error: `The ${chart} chart needs sample sizes: pick a sample size field, or set a constant sample size.` };
  }
  if (values.length === 0) {
    return { error: `${s.name}: no values to chart.` };
  }
  return { input: { times, values, sizes: sized ? sizes : undefined, skipped } };
}

function compute(s: SeriesInput, o: ControlChartOptions, now: number): ChartOutcome {
  const chart = o.chartType;
  const read = chartInput(s, o);
  if (read.error !== undefined) {
    return { error: read.error };
  }
  const { times, values, sizes, skipped } = read.input;
  let incomplete = 0;
  if (
    SUBGROUPED.includes(chart) &&
    Number.isInteger(o.subgroup) &&
    o.subgroup >= MIN_SUBGROUP &&
    o.subgroup <= MAX_SUBGROUP
  ) {
    if (values.length < o.subgroup) {
      return {
        error: `${s.name}: the ${chart} chart needs at least one full subgroup of ${o.subgroup} points; this series has ${values.length}.`,
      };
    }
    incomplete = values.length % o.subgroup;
    values.length -= incomplete;
    times.length -= incomplete;
  }
  let res: SpcResult;
  let opt: SpcOptions;
  try {
    opt = spcOptions(o, now);
    res = computeSpc({ values, times, sizes }, opt);
  } catch (e) {
    return { error: explain(e, s.name, values.length, chart) };
  }
  return { model: fromResult(res, o, opt, skipped, incomplete) };
}

/** Engine errors in panel words: which option, or how many points there are. */
export function explain(e: unknown, name: string, points: number, chart: ChartType): string {
  if (!(e instanceof SpcError)) {
    return `${name}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const msg = e.message.slice(e.field.length + 2);
  if (/at least \d+ points/.test(msg) || e.field === 'values') {
    return `${name}: ${msg}. This series has ${points} point${points === 1 ? '' : 's'}: widen the time range or use a smaller interval.`;
  }
  if (e.field === 'baseline') {
    return `Baseline: ${msg}.`;
  }
  if (e.field === 'subgroup') {
    return `Subgroup size: ${msg}.`;
  }
  if (e.field === 'frozen' || e.field.startsWith('frozen.')) {
    return `Frozen limits: ${msg}.`;
  }
  if (e.field.startsWith('values[') || e.field.startsWith('sizes[')) {
    return `${name}: ${msg} (the ${chart} chart takes counts: ${CHART_LABELS[chart]}).`;
  }
  return `${e.field}: ${msg}.`;
}

export function fromResult(
  res: SpcResult,
  o: ControlChartOptions,
  opt: SpcOptions,
  skipped: number,
  incomplete: number
): ChartModel {
  const p = res.points;
  const m = p.value.length;
  let zones: ChartModel['zones'] = null;
  let lower: number[] | undefined;
  if (res.chart === 'cusum') {
    lower = p.cminus!.map((v) => -v);
  } else {
    const clip = (line: number[]) => line.map((v, i) => Math.min(p.ucl[i], Math.max(p.lcl[i], v)));
    zones = {
      plus1: clip(sigmaLine(res, 1)),
      minus1: clip(sigmaLine(res, -1)),
      plus2: clip(sigmaLine(res, 2)),
      minus2: clip(sigmaLine(res, -2)),
    };
  }
  const times = p.time ?? [];
  let baselineRange: [number, number] | null = null;
  let limitsFrom = 'frozen values';
  if (res.baseline) {
    const { first, last } = res.baseline;
    const n = last - first + 1;
    if (first === 0 && last === m - 1) {
      limitsFrom = `all ${m} points`;
    } else {
      baselineRange = [times[first], times[last]];
      limitsFrom = o.baselineMode === 'first' ? `first ${n} points` : `${n} points in the baseline range`;
    }
    if (opt.frozen && Object.keys(opt.frozen).length > 0) {
      limitsFrom += ' and frozen values';
    }
  }
  const violations = res.violations.map((v) => ({ rule: v.rule, index: v.index, points: v.points }));
  const checked =
    res.chart === 'ewma' ? ['ewma-limit'] : res.chart === 'cusum' ? ['cusum-upper', 'cusum-lower'] : (opt.rules ?? []);
  return {
    chart: res.chart,
    source: 'computed',
    times,
    values: p.value,
    center: p.center,
    ucl: p.ucl,
    lcl: p.lcl,
    zones,
    lower,
    baselineRange,
    limitsFrom,
    violations,
    counts: countByRule(violations, expandRules(checked)),
    flagged: p.violations.reduce((n, v) => n + (v.length > 0 ? 1 : 0), 0),
    constantLimits: res.ucl !== null && res.lcl !== null,
    skipped,
    incomplete,
  };
}

/** Group names (nelson, westernelectric) to ids, in canonical order; unknown names kept. */
function expandRules(rules: readonly string[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    const id = r.trim().toLowerCase();
    if (id === 'nelson') {
      RULE_ORDER.slice(0, 8).forEach((x) => out.add(x));
    } else if (id === 'westernelectric') {
      RULE_ORDER.slice(8, 12).forEach((x) => out.add(x));
    } else if (id && id !== 'none') {
      out.add(id);
    }
  }
  return [...out];
}

function countByRule(violations: ChartViolation[], checked: string[]): RuleCount[] {
  const counts = new Map<string, number>(checked.map((r) => [r, 0]));
  for (const v of violations) {
    counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1);
  }
  const order = (r: string) => {
    const i = (RULE_ORDER as readonly string[]).indexOf(r);
    return i < 0 ? RULE_ORDER.length : i;
  };
  return [...counts.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([rule, count]) => ({ rule, count }));
}

/** Reads a frame that carries its limits (the spc query's shape); rows without a value are skipped. */
function fromFrame(s: SeriesInput, l: FrameLimits): ChartOutcome {
  const rows: number[] = [];
  const vv = s.value.values;
  const tv = s.time.values;
  for (let i = 0; i < vv.length; i++) {
    if (finite(vv[i]) && finite(tv[i])) {
      rows.push(i);
    }
  }
  if (rows.length === 0) {
    return { error: `${s.name}: no values to chart.` };
  }
  const col = (f: { values: unknown[] } | undefined) => (f ? rows.map((i) => f.values[i] as number) : []);
  const violations: ChartViolation[] = [];
  let flagged = 0;
  if (l.violations) {
    rows.forEach((row, index) => {
      const text = l.violations!.values[row];
      const ids =
        typeof text === 'string'
          ? text
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean)
          : [];
      ids.forEach((rule) => violations.push({ rule, index, points: [index] }));
      flagged += ids.length > 0 ? 1 : 0;
    });
  }
  let baselineRange: [number, number] | null = null;
  let limitsFrom = 'the data source';
  if (l.baseline) {
    const flags = rows.map((i) => l.baseline!.values[i] === true);
    const first = flags.indexOf(true);
    const last = flags.lastIndexOf(true);
    if (first >= 0 && !(first === 0 && last === rows.length - 1)) {
      baselineRange = [tv[rows[first]], tv[rows[last]]];
    }
    limitsFrom = first < 0 ? 'frozen values (data source)' : `${last - first + 1} baseline points (data source)`;
  }
  const center = col(l.center);
  const ucl = col(l.ucl);
  const lcl = col(l.lcl);
  const constant = (xs: number[]) => xs.every((v) => v === xs[0]);
  const checked = l.rules ?? [];
  return {
    model: {
      chart: l.chart ?? 'xmr',
      source: 'frame',
      times: col(s.time),
      values: col(s.value),
      center,
      ucl,
      lcl,
      zones: l.zones
        ? {
            plus1: col(l.zones.plus1),
            minus1: col(l.zones.minus1),
            plus2: col(l.zones.plus2),
            minus2: col(l.zones.minus2),
          }
        : null,
      lower: l.cusumLower ? col(l.cusumLower) : undefined,
      baselineRange,
      limitsFrom,
      violations,
      counts: countByRule(violations, expandRules(checked)),
      flagged,
      constantLimits: constant(ucl) && constant(lcl),
      skipped: vv.length - rows.length,
      incomplete: 0,
    },
  };
}

import { MAX_SUBGROUP, MIN_SUBGROUP } from './constants';
import { parseRules } from './rules';
import { CHART_TYPES, ChartType, RunRuleId, SpcBaseline, SpcError, SpcFrozen, SpcInput, SpcOptions } from './types';

/** A validated request: everything the chart code needs. */
export interface Plan {
  chart: ChartType;
  sub: number; // subgroup size; 1 for individual and attribute charts
  m: number; // plotted points
  rules: RunRuleId[];
  times?: number[]; // per plotted point
  frozen: SpcFrozen;
  full: boolean; // nothing left to estimate
  first: number; // baseline, inclusive
  last: number;
  lambda: number;
  L: number;
  k: number;
  h: number;
  asymptotic: boolean;
}

export const isSubgrouped = (c: ChartType) => c === 'xbar-r' || c === 'xbar-s';
export const isAttribute = (c: ChartType) => c === 'p' || c === 'np' || c === 'u' || c === 'c';
export const isSized = (c: ChartType) => c === 'p' || c === 'np' || c === 'u';
export const isIndividual = (c: ChartType) => c === 'xmr' || c === 'ewma' || c === 'cusum';

const iso = (ms: number) => new Date(ms).toISOString();

function checkFinite(field: string, xs: readonly number[]): void {
  xs.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpcError(`${field}[${i}]`, `${v} is not a finite number`);
    }
  });
}

export function validate(input: SpcInput, opt: SpcOptions): Plan {
  const chart = opt.chart;
  if (!CHART_TYPES.includes(chart)) {
    throw new SpcError('chart', `unknown chart ${JSON.stringify(chart)} (known: ${CHART_TYPES.join(', ')})`);
  }
  const n = input.values.length;
  if (n === 0) {
    throw new SpcError('values', 'no values');
  }
  checkFinite('values', input.values);
  let sub = 1;
  const want = opt.subgroup ?? 0;
  if (isSubgrouped(chart)) {
    if (!Number.isInteger(want) || want < MIN_SUBGROUP || want > MAX_SUBGROUP) {
      throw new SpcError('subgroup', `the ${chart} chart needs a subgroup size between 2 and 25, got ${want}`);
    }
    if (n % want !== 0) {
      throw new SpcError('values', `${n} values do not split into subgroups of ${want}`);
    }
    sub = want;
  } else if (want !== 0 && want !== 1) {
    throw new SpcError('subgroup', 'only xbar-r and xbar-s take a subgroup size');
  }
  const plan: Plan = {
    chart,
    sub,
    m: n / sub,
    rules: [],
    frozen: opt.frozen ?? {},
    full: false,
    first: 0,
    last: n / sub - 1,
    ...params(opt),
  };
  checkSizes(chart, input);
  plan.times = pointTimes(input.times, n, sub);
  plan.rules = parseRules(opt.rules);
  if (plan.rules.length > 0 && (chart === 'ewma' || chart === 'cusum')) {
    throw new SpcError(
      'rules',
      `run rules do not apply to the ${chart} chart (its points are autocorrelated; it reports its own limit violations)`
    );
  }
  plan.full = checkFrozen(chart, plan.frozen, input.sizes);
  selectBaseline(plan, opt.baseline);
  return plan;
}

function params(opt: SpcOptions): Pick<Plan, 'lambda' | 'L' | 'k' | 'h' | 'asymptotic'> {
  const specs: Array<
    [keyof Pick<SpcOptions, 'lambda' | 'L' | 'k' | 'h'>, (v: number) => boolean, string, ChartType, number]
  > = [
    ['lambda', (v) => v > 0 && v <= 1, 'in (0, 1]', 'ewma', 0.2],
    ['L', (v) => v > 0, '> 0', 'ewma', 3],
    ['k', (v) => v >= 0, '>= 0', 'cusum', 0.5],
    ['h', (v) => v > 0, '> 0', 'cusum', 5],
  ];
  const out = { lambda: 0.2, L: 3, k: 0.5, h: 5, asymptotic: false };
  for (const [name, ok, what, owner, def] of specs) {
    const v = opt[name];
    out[name] = def;
    if (v === undefined) {
      continue;
    }
    if (!Number.isFinite(v) || !ok(v)) {
      throw new SpcError(name, `must be ${what}, got ${v}`);
    }
    if (opt.chart !== owner) {
      throw new SpcError(name, `only the ${owner} chart takes ${name}`);
    }
    out[name] = v;
  }
  const mode: string | undefined = opt.ewmaLimits;
  if (mode !== undefined && mode !== 'exact' && mode !== 'asymptotic') {
    throw new SpcError('ewmaLimits', `must be exact or asymptotic, got ${JSON.stringify(mode)}`);
  }
  if (mode !== undefined && opt.chart !== 'ewma') {
    throw new SpcError('ewmaLimits', 'only the ewma chart takes ewmaLimits');
  }
  out.asymptotic = mode === 'asymptotic';
  return out;
}

function checkSizes(chart: ChartType, input: SpcInput): void {
  const { values, sizes } = input;
  if (sizes === undefined) {
    if (isSized(chart)) {
      throw new SpcError('sizes', `the ${chart} chart needs a sample size per value`);
    }
  } else {
    if (!isSized(chart)) {
      throw new SpcError('sizes', `the ${chart} chart takes no sample sizes`);
    }
    if (sizes.length !== values.length) {
      throw new SpcError('sizes', `${sizes.length} sizes for ${values.length} values; give one per value`);
    }
    checkFinite('sizes', sizes);
    sizes.forEach((s, i) => {
      if (s <= 0) {
        throw new SpcError(`sizes[${i}]`, `sample size must be > 0, got ${s}`);
      }
    });
  }
  if (!isAttribute(chart)) {
    return;
  }
  values.forEach((v, i) => {
    if (v < 0) {
      throw new SpcError(`values[${i}]`, `counts must be >= 0, got ${v}`);
    }
    if ((chart === 'p' || chart === 'np') && sizes && v > sizes[i]) {
      throw new SpcError(`values[${i}]`, `${v} defectives exceed the sample size ${sizes[i]}`);
    }
  });
  if (chart === 'np' && sizes) {
    const i = sizes.findIndex((s) => s !== sizes[0]);
    if (i >= 0) {
      throw new SpcError(
        'sizes',
        `the np chart needs a constant sample size (sizes[0] = ${sizes[0]}, sizes[${i}] = ${sizes[i]}); use a p chart`
      );
    }
  }
}

/** A subgroup is stamped with the time of its last value (when it is complete). */
function pointTimes(ts: readonly number[] | undefined, n: number, sub: number): number[] | undefined {
  if (ts === undefined) {
    return undefined;
  }
  if (ts.length !== n) {
    throw new SpcError('times', `${ts.length} times for ${n} values; give one per value`);
  }
  checkFinite('times', ts);
  for (let i = 1; i < n; i++) {
    if (ts[i] < ts[i - 1]) {
      throw new SpcError(`times[${i}]`, `times must not decrease (${iso(ts[i])} is before ${iso(ts[i - 1])})`);
    }
  }
  return Array.from({ length: n / sub }, (_, j) => ts[(j + 1) * sub - 1]);
}

/** Returns whether everything is frozen (nothing to estimate). */
function checkFrozen(chart: ChartType, f: SpcFrozen, sizes: readonly number[] | undefined): boolean {
  for (const key of ['center', 'sigma', 'ucl', 'lcl'] as const) {
    const v = f[key];
    if (v !== undefined && !Number.isFinite(v)) {
      throw new SpcError(`frozen.${key}`, 'must be a finite number');
    }
  }
  const { center, sigma, ucl, lcl } = f;
  if (sigma !== undefined) {
    if (sigma <= 0) {
      throw new SpcError('frozen.sigma', `must be > 0, got ${sigma}`);
    }
    if (isAttribute(chart)) {
      throw new SpcError('frozen.sigma', `the ${chart} chart's sigma follows from its center; give the center only`);
    }
  }
  if ((ucl === undefined) !== (lcl === undefined)) {
    throw new SpcError('frozen', 'give both ucl and lcl');
  }
  if (ucl !== undefined && lcl !== undefined) {
    if (chart === 'ewma' || chart === 'cusum') {
      throw new SpcError('frozen', `the ${chart} chart computes its own limits; give center and sigma`);
    }
    if (center === undefined || sigma !== undefined) {
      throw new SpcError('frozen', 'ucl and lcl need a center and no sigma');
    }
    if (!(lcl <= center && center <= ucl && lcl < ucl)) {
      throw new SpcError('frozen', `need lcl <= center <= ucl and lcl < ucl, got ${lcl}, ${center}, ${ucl}`);
    }
  }
  if (center !== undefined && isAttribute(chart)) {
    if (center < 0) {
      throw new SpcError('frozen.center', `must be >= 0, got ${center}`);
    }
    if (chart === 'p' && center > 1) {
      throw new SpcError('frozen.center', `a proportion must be <= 1, got ${center}`);
    }
    if (chart === 'np' && sizes && center > sizes[0]) {
      throw new SpcError('frozen.center', `must be <= n = ${sizes[0]}, got ${center}`);
    }
  }
  return center !== undefined && (sigma !== undefined || ucl !== undefined || isAttribute(chart));
}

function selectBaseline(plan: Plan, b: SpcBaseline | undefined): void {
  const given = b !== undefined && (b.points !== undefined || b.from !== undefined || b.to !== undefined);
  if (b && given) {
    if (plan.full) {
      throw new SpcError('baseline', 'nothing to estimate: center and sigma are frozen');
    }
    if (b.points !== undefined && (b.from !== undefined || b.to !== undefined)) {
      throw new SpcError('baseline', 'give points or a time range, not both');
    }
    if (b.points !== undefined) {
      if (!Number.isInteger(b.points) || b.points < 1 || b.points > plan.m) {
        throw new SpcError('baseline', `points must be between 1 and ${plan.m} (the points plotted), got ${b.points}`);
      }
      plan.last = b.points - 1;
    } else {
      timeBaseline(plan, b.from, b.to);
    }
  }
  const f = plan.frozen;
  const count = plan.last - plan.first + 1;
  if (isIndividual(plan.chart) && f.sigma === undefined && f.ucl === undefined && count < 2) {
    throw new SpcError(
      given ? 'baseline' : 'values',
      `the ${plan.chart} chart needs at least 2 points to estimate sigma from moving ranges, got ${count}`
    );
  }
}

function timeBaseline(plan: Plan, from: number | undefined, to: number | undefined): void {
  const times = plan.times;
  if (!times) {
    throw new SpcError('baseline', 'a time range needs times');
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new SpcError('baseline', `from ${iso(from)} is after to ${iso(to)}`);
  }
  let first = -1;
  let last = -1;
  times.forEach((t, i) => {
    if ((from === undefined || t >= from) && (to === undefined || t <= to)) {
      first = first < 0 ? i : first;
      last = i;
    }
  });
  if (first < 0) {
    throw new SpcError('baseline', 'no points in the time range');
  }
  plan.first = first;
  plan.last = last;
}

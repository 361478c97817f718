// Types of the SPC engine. The JSON shape of SpcResult matches the Go
// package pkg/stats/spc (times are epoch milliseconds here, RFC 3339 there).

export type ChartType = 'xmr' | 'xbar-r' | 'xbar-s' | 'p' | 'np' | 'u' | 'c' | 'ewma' | 'cusum';

export const CHART_TYPES: readonly ChartType[] = ['xmr', 'xbar-r', 'xbar-s', 'p', 'np', 'u', 'c', 'ewma', 'cusum'];

export type RunRuleId =
  | 'nelson-1'
  | 'nelson-2'
  | 'nelson-3'
  | 'nelson-4'
  | 'nelson-5'
  | 'nelson-6'
  | 'nelson-7'
  | 'nelson-8'
  | 'we-1'
  | 'we-2'
  | 'we-3'
  | 'we-4';

/** Rules on the main chart, in canonical order. */
export type RuleId = RunRuleId | 'ewma-limit' | 'cusum-upper' | 'cusum-lower';

/** Limit rules of the dispersion charts (always on). */
export type DispersionRuleId = 'mr-limit' | 'r-limit' | 's-limit';

/**
 * values: observations; for X-bar charts consecutive subgroups of `subgroup`
 * values; for p/np defectives and for u/c defect counts, with `sizes` the
 * sample size (p, np) or inspection units (u). times: epoch ms, non-decreasing.
 */
export interface SpcInput {
  values: readonly number[];
  sizes?: readonly number[];
  times?: readonly number[];
}

/** Phase I: the first `points` plotted points, or from <= time <= to (epoch ms). None: all points. */
export interface SpcBaseline {
  points?: number;
  from?: number;
  to?: number;
}

/** User-given limits: center and/or sigma (of individual observations), or center with ucl and lcl. */
export interface SpcFrozen {
  center?: number;
  sigma?: number;
  ucl?: number;
  lcl?: number;
}

/** Omitted parameters take defaults: lambda 0.2, L 3, k 0.5, h 5, exact EWMA limits. */
export interface SpcOptions {
  chart: ChartType;
  subgroup?: number;
  rules?: readonly string[];
  baseline?: SpcBaseline;
  frozen?: SpcFrozen;
  lambda?: number;
  L?: number;
  ewmaLimits?: 'exact' | 'asymptotic';
  k?: number;
  h?: number;
}

export interface SpcParams {
  subgroup?: number;
  lambda?: number;
  L?: number;
  ewmaLimits?: 'exact' | 'asymptotic';
  k?: number;
  h?: number;
}

export interface BaselineRange {
  first: number;
  last: number;
  from?: number;
  to?: number;
}

/** One entry per plotted point in each column; center/ucl/lcl/sigma share the scale of value. */
export interface SpcPoints {
  time?: number[];
  value: number[];
  center: number[];
  ucl: number[];
  lcl: number[];
  sigma: number[];
  /** p, np, u: sample size */
  n?: number[];
  /** ewma, cusum: the raw observation */
  observation?: number[];
  /** cusum: C+ (= value) */
  cplus?: number[];
  /** cusum: C- (>= 0; draw as -C- against lcl) */
  cminus?: number[];
  baseline: boolean[];
  /** rules completed at each point, canonical order */
  violations: Array<readonly RuleId[]>;
}

export interface Violation<R extends string = RuleId> {
  rule: R;
  /** the point that completes the pattern */
  index: number;
  time?: number;
  /** the points that make it up */
  points: number[];
}

/** Companion chart of XmR (mr) and X-bar (r, s); index maps to main-chart points. */
export interface Dispersion {
  chart: 'mr' | 'r' | 's';
  center: number;
  ucl: number;
  lcl: number;
  index: number[];
  value: number[];
  violations: Array<Violation<DispersionRuleId>>;
}

export interface SpcResult {
  chart: ChartType;
  center: number;
  /** set when every point has the same limits, else null */
  ucl: number | null;
  lcl: number | null;
  sigma: number | null;
  /** sigma of individual observations (not attribute charts) */
  processSigma?: number;
  /** ewma, cusum: the in-control mean */
  target?: number;
  params: SpcParams;
  /** phase I points; null when everything was frozen by the user */
  baseline: BaselineRange | null;
  points: SpcPoints;
  violations: Violation[];
  dispersion?: Dispersion;
}

/** field names what was wrong: "values[3]", "subgroup", "rules", "frozen.sigma", ... */
export class SpcError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SpcError';
    this.field = field;
  }

  /** true when the data (values, sizes, times) was at fault rather than an option */
  get inData(): boolean {
    return /^(values|sizes|times)/.test(this.field);
  }
}

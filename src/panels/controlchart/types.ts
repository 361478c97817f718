import type { ChartType } from '../../lib/spc';

/** One chart per series, or only the field picked in `field`. */
export type FieldMode = 'repeat' | 'single';

/** Where the phase I (baseline) estimates come from. */
export type BaselineMode = 'all' | 'first' | 'range' | 'frozen';

/** auto: draw the limits a frame carries (the Kaizen Ops spc query); compute: always compute here. */
export type LimitsSource = 'auto' | 'compute';

/** auto: split the chart at kaizen events (a phase frame or kaizen annotations), limits per phase; off: ignore them. */
export type PhasesMode = 'auto' | 'off';

export interface ControlChartOptions {
  chartType: ChartType;
  /** Run rule ids (nelson-1..8, we-1..4); ignored by ewma and cusum, which report their own limits. */
  rules: string[];
  baselineMode: BaselineMode;
  /** baselineMode 'first': the first N plotted points (subgroups for X-bar charts). */
  baselinePoints: number;
  /** baselineMode 'range': absolute (2026-01-01T00:00:00Z) or relative (now-7d) times; empty is open. */
  baselineFrom: string;
  baselineTo: string;
  /** baselineMode 'frozen': known center and sigma, or center with UCL and LCL. */
  frozenCenter?: number;
  frozenSigma?: number;
  frozenUcl?: number;
  frozenLcl?: number;
  /** xbar-r, xbar-s: consecutive points per subgroup. */
  subgroup: number;
  /** p, np, u: a number field giving n per point, or a constant n. */
  sizeField?: string;
  sampleSize?: number;
  lambda: number;
  L: number;
  k: number;
  h: number;
  limitsSource: LimitsSource;
  fieldMode: FieldMode;
  /** fieldMode 'single': the field's display name. */
  field?: string;
  showZones: boolean;
  showSummary: boolean;
  showLegend: boolean;
  phases: PhasesMode;
}

/** Option defaults: what a new panel starts with (module.ts gives each to its editor). */
export const DEFAULT_OPTIONS: ControlChartOptions = {
  chartType: 'xmr',
  rules: ['nelson-1', 'nelson-2', 'nelson-3', 'nelson-4', 'nelson-5', 'nelson-6', 'nelson-7', 'nelson-8'],
  baselineMode: 'all',
  baselinePoints: 20,
  baselineFrom: '',
  baselineTo: '',
  subgroup: 5,
  lambda: 0.2,
  L: 3,
  k: 0.5,
  h: 5,
  limitsSource: 'auto',
  fieldMode: 'repeat',
  showZones: true,
  showSummary: true,
  showLegend: true,
  phases: 'auto',
};

// A control chart split into kaizen phases: each phase (the points from one event's deployment to
// the next) gets limits from its own points, leaving out the event's settling period, so a shift an
// improvement made shows as a new centre line instead of a run of violations against the old one.
import { computeSpc, type ChartType, type SpcOptions, type SpcResult } from '../../lib/spc';
import {
  buildChart,
  chartInput,
  explain,
  fromResult,
  spcOptions,
  type ChartInput,
  type ChartModel,
  type ChartOutcome,
  type ChartViolation,
  type RuleCount,
} from './chart';
import type { Phase, PhaseSpan } from './phases';
import type { SeriesInput } from './series';
import type { ControlChartOptions } from './types';

const SUBGROUPED: ChartType[] = ['xbar-r', 'xbar-s'];
const SIZED: ChartType[] = ['p', 'np', 'u'];

/**
 * The chart of a series with the kaizen phases given: limits per phase when a boundary falls
 * between its points; otherwise (or with phases off) the plain chart, with the boundaries marked.
 */
export function buildChartWithPhases(
  s: SeriesInput,
  o: ControlChartOptions,
  phases: Phase[],
  now = Date.now()
): ChartOutcome {
  if (o.phases === 'off' || phases.length === 0) {
    return buildChart(s, o, now);
  }
  const split = phasedChart(s, o, phases, now);
  if (split) {
    return split;
  }
  const plain = buildChart(s, o, now);
  if (plain.model) {
    plain.model.phases = phases.map((p) => ({ ...p }));
  }
  return plain;
}

/** The series as engine input, with the chart to draw and the options for it. */
function readSeries(
  s: SeriesInput,
  o: ControlChartOptions
): { input: ChartInput; opts: ControlChartOptions } | { error: string } | undefined {
  if (!s.limits) {
    const read = chartInput(s, o);
    return read.error !== undefined ? { error: read.error } : { input: read.input, opts: o };
  }
  // A frame with its own limits: recompute per phase with its chart and rules, when its points are
  // individual values; X-bar frames plot subgroup means whose ranges the frame does not carry.
  const chart = (s.limits.chart ?? 'xmr') as ChartType;
  if (SUBGROUPED.includes(chart)) {
    return undefined;
  }
  const size = SIZED.includes(chart) ? s.frame.fields.find((f) => f.name === 'n') : undefined;
  const opts: ControlChartOptions = { ...o, chartType: chart, rules: s.limits.rules ?? o.rules, baselineMode: 'all' };
  const read = chartInput({ ...s, size: size ?? s.size, limits: undefined }, opts);
  return read.error !== undefined ? { error: read.error } : { input: read.input, opts };
}

function phasedChart(s: SeriesInput, o: ControlChartOptions, phases: Phase[], now: number): ChartOutcome | undefined {
  const read = readSeries(s, o);
  if (!read || 'error' in read) {
    return read;
  }
  const { input, opts } = read;
  const { times } = input;
  const last = times.length - 1;
  // Phases starting after the first point and at or before the last split the series.
  const cuts: Array<{ at: number; phase: Phase }> = [];
  for (const p of phases) {
    if (p.time <= times[0] || p.time > times[last]) {
      continue;
    }
    const at = times.findIndex((t) => t >= p.time);
    if (cuts.length > 0 && cuts[cuts.length - 1].at === at) {
      cuts[cuts.length - 1] = { at, phase: p }; // two events between the same points: the later one starts the phase
    } else {
      cuts.push({ at, phase: p });
    }
  }
  if (cuts.length === 0) {
    return undefined;
  }
  const bounds = [0, ...cuts.map((c) => c.at), times.length];
  const models: ChartModel[] = [];
  const spans: PhaseSpan[] = [];
  let prev: SpcResult | undefined;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const [a, b] = [bounds[k], bounds[k + 1]];
    const seg = {
      times: times.slice(a, b),
      values: input.values.slice(a, b),
      sizes: input.sizes?.slice(a, b),
    };
    let incomplete = 0;
    if (SUBGROUPED.includes(opts.chartType) && opts.subgroup >= 2) {
      incomplete = seg.values.length % opts.subgroup;
      seg.values.length -= incomplete;
      seg.times.length -= incomplete;
    }
    const phase = k > 0 ? cuts[k - 1].phase : undefined;
    const attempt = phaseLimits(seg, opts, phase, prev, now);
    if ('error' in attempt) {
      return { error: explain(attempt.error, s.name, seg.values.length, opts.chartType) };
    }
    prev = attempt.res;
    const m = fromResult(attempt.res, k === 0 ? opts : { ...opts, baselineMode: 'all' }, attempt.opt, 0, incomplete);
    if (phase) {
      const settling = dropSettlingSignals(m, phase);
      const notes = [
        attempt.note,
        settling > 0 ? `${settling} signal${settling === 1 ? '' : 's'} in its settling period not counted` : undefined,
      ];
      const at = (xs: number[]) => xs[xs.length - 1];
      spans.push({
        ...phase,
        first: a,
        n: m.values.length,
        center: at(m.center),
        ucl: at(m.ucl),
        lcl: at(m.lcl),
        note: notes.filter(Boolean).join('; ') || undefined,
      });
    }
    models.push(m);
  }
  const merged = merge(models, input.skipped);
  // Events in the range but outside the points still mark their boundary.
  const split = new Set(cuts.map((c) => c.phase));
  merged.phases = [...spans, ...phases.filter((p) => !split.has(p)).map((p) => ({ ...p }))].sort(
    (x, y) => x.time - y.time
  );
  return { model: merged };
}

/**
 * Limits of one phase: the first keeps the panel's baseline; a later one is estimated from its
 * points after the event's settling period (all of them when the settling period holds them all),
 * and carries the previous phase's limits when it has too few points for its own.
 */
function phaseLimits(
  seg: { times: number[]; values: number[]; sizes?: number[] },
  o: ControlChartOptions,
  phase: Phase | undefined,
  prev: SpcResult | undefined,
  now: number
): { res: SpcResult; opt: SpcOptions; note?: string } | { error: unknown } {
  let opt: SpcOptions;
  try {
    opt = spcOptions(phase ? { ...o, baselineMode: 'all' } : o, now);
  } catch (e) {
    return { error: e };
  }
  const tries: Array<{ opt: SpcOptions; note?: string }> = [];
  if (phase && phase.end > phase.time) {
    tries.push({ opt: { ...opt, frozen: undefined, baseline: { from: phase.end } } });
  }
  tries.push({ opt: phase ? { ...opt, frozen: undefined, baseline: undefined } : opt });
  if (phase && prev) {
    const sigma = prev.processSigma ?? prev.sigma ?? undefined;
    tries.push({
      opt: {
        ...opt,
        baseline: undefined,
        frozen: sigma === undefined ? { center: prev.center } : { center: prev.center, sigma },
      },
      note: `${seg.values.length} point${seg.values.length === 1 ? '' : 's'}: too few for limits of its own; the previous phase's limits carry over`,
    });
  }
  let firstError: unknown;
  for (const t of tries) {
    try {
      return { res: computeSpc(seg, t.opt), opt: t.opt, note: t.note };
    } catch (e) {
      firstError ??= e;
    }
  }
  return { error: firstError };
}

/**
 * Leaves out the rule violations completed inside a phase's settling period: the process is
 * moving to its new level there, which is no special cause. Returns how many were left out.
 */
function dropSettlingSignals(m: ChartModel, phase: Phase): number {
  if (phase.end <= phase.time) {
    return 0;
  }
  const kept = m.violations.filter((v) => m.times[v.index] >= phase.end);
  const dropped = m.violations.length - kept.length;
  if (dropped > 0) {
    m.violations = kept;
    m.counts = m.counts.map((c) => ({ rule: c.rule, count: kept.filter((v) => v.rule === c.rule).length }));
    m.flagged = new Set(kept.map((v) => v.index)).size;
  }
  return dropped;
}

/** One model of the phases' models, end to end. */
function merge(models: ChartModel[], skipped: number): ChartModel {
  const cat = (pick: (m: ChartModel) => number[] | undefined) => models.flatMap((m) => pick(m) ?? []);
  const violations: ChartViolation[] = [];
  const counts = new Map<string, number>();
  let offset = 0;
  for (const m of models) {
    for (const v of m.violations) {
      violations.push({ rule: v.rule, index: v.index + offset, points: v.points.map((i) => i + offset) });
    }
    for (const c of m.counts) {
      counts.set(c.rule, (counts.get(c.rule) ?? 0) + c.count);
    }
    offset += m.values.length;
  }
  const zoned = models.every((m) => m.zones);
  const lowered = models.every((m) => m.lower);
  const countList: RuleCount[] = [...counts.entries()].map(([rule, count]) => ({ rule, count }));
  const first = models[0];
  return {
    chart: first.chart,
    source: 'computed',
    times: cat((m) => m.times),
    values: cat((m) => m.values),
    center: cat((m) => m.center),
    ucl: cat((m) => m.ucl),
    lcl: cat((m) => m.lcl),
    zones: zoned
      ? {
          plus1: cat((m) => m.zones!.plus1),
          minus1: cat((m) => m.zones!.minus1),
          plus2: cat((m) => m.zones!.plus2),
          minus2: cat((m) => m.zones!.minus2),
        }
      : null,
    lower: lowered ? cat((m) => m.lower) : undefined,
    baselineRange: first.baselineRange,
    limitsFrom: `each phase's own points (${models.length} phases)`,
    violations,
    counts: countList,
    flagged: models.reduce((n, m) => n + m.flagged, 0),
    constantLimits: false,
    skipped,
    incomplete: models.reduce((n, m) => n + m.incomplete, 0),
  };
}

/** The newest phase in the range that has a verdict: what the summary row reports. */
export function latestVerdict(model: ChartModel): PhaseSpan | undefined {
  const withVerdict = (model.phases ?? []).filter((p) => p.verdict);
  return withVerdict[withVerdict.length - 1];
}

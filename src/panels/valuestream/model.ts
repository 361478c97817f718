// Pure functions behind the value stream panel: reading the flow query's frames (docs/flow.md),
// choosing the bottleneck, laying out boxes and queues, the timeline ribbon and the scatter's
// percentile lines. No React here, so every rule is tested on its own.
import {
  FieldType,
  formattedValueToString,
  getValueFormat,
  type DataFrame,
  type DecimalCount,
  type Field,
} from '@grafana/data';

import type { DurationUnit, HighlightRule, MapStat } from './types';

export interface StageModel {
  name: string;
  /** active: a process box; waiting: a queue between boxes. */
  kind: 'active' | 'waiting';
  /** Completed items that passed through the stage in the range. */
  items: number;
  /** Items in the stage now (at the range end). */
  wip: number;
  wipLimit: number | null;
  /** Seconds, in the chosen stat; null when no completed item visited the stage. */
  process: number | null;
  wait: number | null;
}

export interface TotalsModel {
  stream: string;
  items: number;
  wip: number;
  lead: number | null;
  cycle: number | null;
  process: number | null;
  wait: number | null;
  /** 0..1, Σ process / Σ lead time of the completed items. */
  efficiency: number | null;
}

export interface ScatterModel {
  /** Completion times (ms) and cycle times (s) of the items that have one, oldest first. */
  times: number[];
  cycle: number[];
  p50: number;
  p85: number;
  p95: number;
  cycleField?: Field;
}

export interface MapModel {
  stages: StageModel[];
  totals?: TotalsModel;
  scatter?: ScatterModel;
  /** Display processor of the duration fields, so 'auto' units follow field config. */
  durationField?: Field;
}

export type ModelResult = { model: MapModel; message?: undefined } | { model?: undefined; message: string };

export const NEEDS_QUERY =
  'This panel draws a Kaizen Ops flow query with metric "value_stream" (frames "stages" and "totals"); add a query B with metric "items" for the cycle-time scatter.';

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

function num(f: Field | undefined, i: number): number | null {
  const v = f?.values[i];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function isStagesFrame(frame: DataFrame): boolean {
  return Boolean(field(frame, 'stage') && field(frame, 'kind') && field(frame, 'process_median'));
}

function isTotalsFrame(frame: DataFrame): boolean {
  return Boolean(field(frame, 'lead_median') && field(frame, 'flow_efficiency'));
}

function isItemsFrame(frame: DataFrame): boolean {
  const t = field(frame, 'time');
  return Boolean(t && t.type === FieldType.time && field(frame, 'cycle_time'));
}

/** Reads the frames into the map model, or says in words why they cannot be drawn. */
export function buildModel(series: DataFrame[], stat: MapStat): ModelResult {
  if (series.length === 0 || series.every((f) => f.length === 0 && f.fields.length === 0)) {
    return { message: 'No data. ' + NEEDS_QUERY };
  }
  const stagesFrames = series.filter(isStagesFrame);
  if (stagesFrames.length === 0) {
    return { message: NEEDS_QUERY };
  }
  if (stagesFrames.length > 1) {
    return { message: 'The data holds several value stream maps; filter the flow query to one value stream.' };
  }
  const frame = stagesFrames[0];
  if (frame.length === 0) {
    return {
      message: 'The value stream has no stages yet: define them (PUT flow/streams/<name>) and send transitions.',
    };
  }
  const names = field(frame, 'stage')!;
  const kinds = field(frame, 'kind')!;
  const process = field(frame, `process_${stat}`);
  const wait = field(frame, `wait_${stat}`);
  if (!process || !wait) {
    return {
      message: `The stages frame has no ${stat} fields (process_${stat}, wait_${stat}); update the data source.`,
    };
  }
  const items = field(frame, 'items');
  const wip = field(frame, 'wip');
  const limit = field(frame, 'wip_limit');
  const stages: StageModel[] = [];
  for (let i = 0; i < frame.length; i++) {
    stages.push({
      name: String(names.values[i]),
      kind: kinds.values[i] === 'waiting' ? 'waiting' : 'active',
      items: num(items, i) ?? 0,
      wip: num(wip, i) ?? 0,
      wipLimit: num(limit, i),
      process: num(process, i),
      wait: num(wait, i),
    });
  }
  const model: MapModel = { stages, durationField: process };
  const totalsFrame = series.find(isTotalsFrame);
  if (totalsFrame && totalsFrame.length > 0) {
    const t = (name: string) => num(field(totalsFrame, name), 0);
    model.totals = {
      stream: String(field(totalsFrame, 'value_stream')?.values[0] ?? ''),
      items: t('items') ?? 0,
      wip: t('wip') ?? 0,
      lead: t(`lead_${stat}`),
      cycle: t(`cycle_${stat}`),
      process: t(`process_${stat}`),
      wait: t(`wait_${stat}`),
      efficiency: t('flow_efficiency'),
    };
  }
  const itemsFrame = series.find(isItemsFrame);
  if (itemsFrame) {
    model.scatter = cycleScatter(itemsFrame);
  }
  return { model };
}

/** The completed items' cycle times, with the percentile lines Kanban forecasts use. */
export function cycleScatter(frame: DataFrame): ScatterModel {
  const time = field(frame, 'time')!;
  const cycle = field(frame, 'cycle_time')!;
  const points: Array<[number, number]> = [];
  for (let i = 0; i < frame.length; i++) {
    const t = time.values[i];
    const c = cycle.values[i];
    if (typeof c === 'number' && Number.isFinite(c) && t != null) {
      points.push([typeof t === 'number' ? t : new Date(t).valueOf(), c]);
    }
  }
  points.sort((a, b) => a[0] - b[0]);
  const sorted = points.map((p) => p[1]).sort((a, b) => a - b);
  return {
    times: points.map((p) => p[0]),
    cycle: points.map((p) => p[1]),
    p50: quantileSorted(sorted, 0.5),
    p85: quantileSorted(sorted, 0.85),
    p95: quantileSorted(sorted, 0.95),
    cycleField: cycle,
  };
}

/** Linear interpolation between closest ranks (NumPy "linear", as pkg/stats/summary). */
export function quantileSorted(sorted: number[], q: number): number {
  const n = sorted.length;
  if (n === 0) {
    return NaN;
  }
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Highlight {
  /** Index of the bottleneck stage, and why. */
  bottleneck?: { index: number; reason: 'wait' | 'wip' };
  /** Stages whose WIP is over their limit. */
  overLimit: number[];
}

export function isOverLimit(s: StageModel): boolean {
  return s.wipLimit !== null && s.wip > s.wipLimit;
}

/**
 * wait: the stage with the longest wait is the bottleneck (queues before the first active stage,
 * the backlog, do not count). wip: stages over their WIP limit are
 * flagged and the most overloaded (WIP / limit) is the bottleneck. both: the longest wait is the
 * bottleneck (else the most overloaded stage) and stages over their limit are flagged too.
 */
export function findBottleneck(stages: StageModel[], rule: HighlightRule): Highlight {
  if (rule === 'none') {
    return { overLimit: [] };
  }
  const overLimit = stages.map((s, i) => (isOverLimit(s) ? i : -1)).filter((i) => i >= 0);
  // Queues before the first active stage are the backlog: demand not yet started, not a constraint.
  const firstActive = stages.findIndex((s) => s.kind === 'active');
  let longestWait = -1;
  stages.forEach((s, i) => {
    if (i < firstActive) {
      return;
    }
    if ((s.wait ?? 0) > 0 && (longestWait < 0 || s.wait! > stages[longestWait].wait!)) {
      longestWait = i;
    }
  });
  let mostOver = -1;
  for (const i of overLimit) {
    const load = stages[i].wip / stages[i].wipLimit!;
    if (mostOver < 0 || load > stages[mostOver].wip / stages[mostOver].wipLimit!) {
      mostOver = i;
    }
  }
  const byWait = longestWait >= 0 ? { index: longestWait, reason: 'wait' as const } : undefined;
  const byWip = mostOver >= 0 ? { index: mostOver, reason: 'wip' as const } : undefined;
  switch (rule) {
    case 'wait':
      return { bottleneck: byWait, overLimit: [] };
    case 'wip':
      return { bottleneck: byWip, overLimit };
  }
  return { bottleneck: byWait ?? byWip, overLimit };
}

/** What the map draws left to right: process boxes, queues, and plain arrows between boxes. */
export type LayoutItem = { type: 'box'; index: number } | { type: 'queue'; index: number } | { type: 'arrow' };

export function layoutItems(stages: StageModel[]): LayoutItem[] {
  const out: LayoutItem[] = [];
  stages.forEach((s, i) => {
    if (s.kind === 'waiting') {
      out.push({ type: 'queue', index: i });
      return;
    }
    if (out.length > 0 && out[out.length - 1].type === 'box') {
      out.push({ type: 'arrow' });
    }
    out.push({ type: 'box', index: i });
  });
  return out;
}

export interface RibbonSegment {
  index: number;
  part: 'wait' | 'process';
  seconds: number;
  /** Share of the ribbon, 0..1. */
  share: number;
}

/** The timeline ladder: each stage's wait (up) and process time (down), in stream order. */
export function ribbonSegments(stages: StageModel[]): RibbonSegment[] {
  const segs: Array<Omit<RibbonSegment, 'share'>> = [];
  stages.forEach((s, i) => {
    if ((s.wait ?? 0) > 0) {
      segs.push({ index: i, part: 'wait', seconds: s.wait! });
    }
    if (s.kind === 'active' && (s.process ?? 0) > 0) {
      segs.push({ index: i, part: 'process', seconds: s.process! });
    }
  });
  const total = segs.reduce((a, s) => a + s.seconds, 0);
  return segs.map((s) => ({ ...s, share: total > 0 ? s.seconds / total : 0 }));
}

const UNIT_SECONDS: Record<Exclude<DurationUnit, 'auto'>, number> = { m: 60, h: 3600, d: 86400 };

/**
 * Writes a duration given in seconds: 'auto' through the field's display processor (its unit,
 * decimals and overrides; Grafana scales seconds to minutes, hours, days), else in the unit chosen.
 */
export function formatDuration(
  seconds: number | null,
  unit: DurationUnit,
  decimals?: DecimalCount,
  display?: Field['display']
): string {
  if (seconds === null || !Number.isFinite(seconds)) {
    return '–';
  }
  if (unit === 'auto') {
    if (display && decimals == null) {
      return formattedValueToString(display(seconds));
    }
    return formattedValueToString(getValueFormat('s')(seconds, decimals ?? 1));
  }
  // A fixed unit stays fixed: Grafana's own "d" would turn 10 days into 1.43 weeks.
  const v = seconds / UNIT_SECONDS[unit];
  return `${v.toFixed(decimals ?? (Math.abs(v) >= 100 ? 0 : 1))} ${UNIT_NAMES[unit]}`;
}

const UNIT_NAMES: Record<Exclude<DurationUnit, 'auto'>, string> = { m: 'min', h: 'h', d: 'd' };

export function formatPercent(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
}

/** A sentence for the bottleneck banner, e.g. "Bottleneck: Review queue, longest wait (median 2.1 day)". */
export function bottleneckText(
  stages: StageModel[],
  h: Highlight,
  statLabel: string,
  format: (s: number | null) => string
): string | undefined {
  if (!h.bottleneck) {
    return undefined;
  }
  const s = stages[h.bottleneck.index];
  if (h.bottleneck.reason === 'wait') {
    return `Bottleneck: ${s.name}, longest wait (${statLabel} ${format(s.wait)})`;
  }
  return `Bottleneck: ${s.name}, WIP ${s.wip} over its limit of ${s.wipLimit}`;
}

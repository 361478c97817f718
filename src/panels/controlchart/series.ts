// Finds what to chart in a panel's frames: one series per number field with a time field beside it,
// from any data source. Frames shaped like the Kaizen Ops spc query (value, cl, ucl, lcl, ...;
// docs/control-charts.md) chart their value field and carry their limits along.
import { FieldType, getFieldDisplayName, type DataFrame, type Field } from '@grafana/data';

import { isPhaseFrame } from './phases';
import type { ControlChartOptions } from './types';

/** Field names of the control chart frame shape (pkg/metrics/spc/definition.go). */
export const FRAME_FIELDS = {
  value: 'value',
  center: 'cl',
  ucl: 'ucl',
  lcl: 'lcl',
  plus1: 'plus_1_sigma',
  minus1: 'minus_1_sigma',
  plus2: 'plus_2_sigma',
  minus2: 'minus_2_sigma',
  baseline: 'baseline',
  violations: 'violations',
  observation: 'observation',
  cusumLower: 'cusum_lower',
  n: 'n',
} as const;

const RESERVED = new Set<string>(Object.values(FRAME_FIELDS).filter((n) => n !== FRAME_FIELDS.value));

/** Limits a frame brings with it. */
export interface FrameLimits {
  center: Field;
  ucl: Field;
  lcl: Field;
  zones?: { plus1: Field; minus1: Field; plus2: Field; minus2: Field };
  baseline?: Field;
  violations?: Field;
  cusumLower?: Field;
  /** From meta.custom.spc, when the frame says. */
  chart?: string;
  rules?: string[];
}

export interface SeriesInput {
  /** Stable across refreshes: frame and field position. */
  key: string;
  name: string;
  frame: DataFrame;
  frameIndex: number;
  time: Field;
  value: Field;
  valueIndex: number;
  /** p, np, u: the field giving n per point. */
  size?: Field;
  /** Set when the frame carries limits and the panel is told to use them. */
  limits?: FrameLimits;
}

export interface SeriesResult {
  series: SeriesInput[];
  /** Why nothing can be charted, in words for the panel. */
  message?: string;
}

function byName(frame: DataFrame, name: string, type: FieldType): Field | undefined {
  return frame.fields.find((f) => f.name === name && f.type === type);
}

/** The limits of a frame shaped like the spc query's, if it is one. */
export function frameLimits(frame: DataFrame): FrameLimits | undefined {
  const num = (name: string) => byName(frame, name, FieldType.number);
  const center = num(FRAME_FIELDS.center);
  const ucl = num(FRAME_FIELDS.ucl);
  const lcl = num(FRAME_FIELDS.lcl);
  if (!center || !ucl || !lcl) {
    return undefined;
  }
  const [plus1, minus1, plus2, minus2] = [
    FRAME_FIELDS.plus1,
    FRAME_FIELDS.minus1,
    FRAME_FIELDS.plus2,
    FRAME_FIELDS.minus2,
  ].map(num);
  const custom = (frame.meta?.custom as { spc?: { chart?: unknown; rules?: unknown } } | undefined)?.spc;
  return {
    center,
    ucl,
    lcl,
    zones: plus1 && minus1 && plus2 && minus2 ? { plus1, minus1, plus2, minus2 } : undefined,
    baseline: byName(frame, FRAME_FIELDS.baseline, FieldType.boolean),
    violations: byName(frame, FRAME_FIELDS.violations, FieldType.string),
    cusumLower: num(FRAME_FIELDS.cusumLower),
    chart: typeof custom?.chart === 'string' ? custom.chart : undefined,
    rules: Array.isArray(custom?.rules) ? custom.rules.filter((r): r is string => typeof r === 'string') : undefined,
  };
}

function matches(field: Field, frame: DataFrame, frames: DataFrame[], wanted: string): boolean {
  return field.name === wanted || getFieldDisplayName(field, frame, frames) === wanted;
}

/** Every series the options select, or a message saying why there is none. */
export function findSeries(frames: DataFrame[], options: ControlChartOptions): SeriesResult {
  const withRows = frames.filter((f) => f.length > 0);
  if (withRows.length === 0) {
    return { series: [], message: 'No data' };
  }
  const series: SeriesInput[] = [];
  let timeless = 0;
  let phaseFrames = 0;
  frames.forEach((frame, frameIndex) => {
    if (frame.length === 0) {
      return;
    }
    // Kaizen phases split the charts (phases.ts); they are not a series to chart.
    if (isPhaseFrame(frame)) {
      phaseFrames++;
      return;
    }
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const numbers = frame.fields.filter((f) => f.type === FieldType.number);
    if (!time) {
      timeless += numbers.length;
      return;
    }
    const limits = frameLimits(frame);
    const size = options.sizeField
      ? frame.fields.find((f) => f.type === FieldType.number && matches(f, frame, frames, options.sizeField!))
      : undefined;
    frame.fields.forEach((field, valueIndex) => {
      if (field.type !== FieldType.number || field === size) {
        return;
      }
      // In a frame that carries limits only the value is a series; the rest are its lines.
      if (
        limits &&
        (RESERVED.has(field.name) ||
          (field.name !== FRAME_FIELDS.value && byName(frame, FRAME_FIELDS.value, FieldType.number)))
      ) {
        return;
      }
      series.push({
        key: `${frameIndex}/${valueIndex}`,
        name: getFieldDisplayName(field, frame, frames),
        frame,
        frameIndex,
        time,
        value: field,
        valueIndex,
        size,
        limits: options.limitsSource === 'auto' ? limits : undefined,
      });
    });
  });
  if (series.length === 0) {
    if (phaseFrames > 0) {
      return {
        series,
        message:
          'Only kaizen phases in the data: add the query of the series to chart beside the phases query (for example MTTR per day of the service the events target).',
      };
    }
    if (timeless > 0) {
      return {
        series,
        message:
          'The control chart needs a time field beside the numbers, and this data has none. Return a time series (for a table query, include its time column).',
      };
    }
    return { series, message: 'No numeric field to chart. The control chart draws number fields over a time field.' };
  }
  if (options.fieldMode === 'single' && options.field) {
    const picked = series.filter((s) => matches(s.value, s.frame, frames, options.field!));
    if (picked.length === 0) {
      const names = [...new Set(series.map((s) => s.name))].slice(0, 8).join(', ');
      return { series: [], message: `Field "${options.field}" is not in the data. Fields to chart: ${names}.` };
    }
    return { series: picked.slice(0, 1) };
  }
  if (options.fieldMode === 'single') {
    return { series: series.slice(0, 1) };
  }
  return { series };
}

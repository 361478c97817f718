// Deterministic data helpers for fixtures: same seed, same pixels.
import { createDataFrame, FieldType, type DataFrame, type FieldConfig, type TimeRange } from '@grafana/data';

/** mulberry32: tiny seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box-Muller) from a seeded uniform source. */
export function seededNormal(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `points` timestamps (ms) spread evenly over the range, end exclusive. */
export function timestamps(range: TimeRange, points: number): number[] {
  const from = range.from.valueOf();
  const step = (range.to.valueOf() - from) / points;
  return Array.from({ length: points }, (_, i) => Math.round(from + i * step));
}

export interface SeriesSpec {
  name: string;
  values: number[];
  config?: FieldConfig;
}

/** A wide time series frame: one time field and one number field per series. */
export function timeSeriesFrame(refId: string, times: number[], series: SeriesSpec[]): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      ...series.map((s) => ({ name: s.name, type: FieldType.number, values: s.values, config: s.config ?? {} })),
    ],
  });
}

export interface ProcessSpec {
  seed: number;
  points: number;
  mean: number;
  sd: number;
  /** Mean shift (in sd) applied from this fraction of the series on: a special cause to detect. */
  shiftAt?: number;
  shiftBy?: number;
  /** Isolated spikes (in sd) at these fractions of the series. */
  spikes?: Array<{ at: number; by: number }>;
}

/** An in-control normal process with an optional sustained shift and spikes. */
export function processValues(p: ProcessSpec): number[] {
  const normal = seededNormal(p.seed);
  const shiftFrom = p.shiftAt === undefined ? Infinity : Math.floor(p.shiftAt * p.points);
  const values = Array.from({ length: p.points }, (_, i) => {
    const shift = i >= shiftFrom ? (p.shiftBy ?? 0) * p.sd : 0;
    return p.mean + shift + normal() * p.sd;
  });
  for (const s of p.spikes ?? []) {
    const i = Math.min(p.points - 1, Math.floor(s.at * p.points));
    values[i] = p.mean + s.by * p.sd;
  }
  return values;
}

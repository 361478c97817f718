import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';

import { buildChart, explain, type ChartModel } from './chart';
import { findSeries } from './series';
import { summarize, summaryText } from './summary';
import { DEFAULT_OPTIONS, type ControlChartOptions } from './types';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

const defaults = DEFAULT_OPTIONS;

function frame(values: Array<number | null>, extra: Array<{ name: string; values: number[] }> = []): DataFrame {
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => T0 + i * HOUR) },
      { name: 'latency', type: FieldType.number, values },
      ...extra.map((e) => ({ name: e.name, type: FieldType.number, values: e.values })),
    ],
  });
}

function chart(frames: DataFrame[], options: Partial<ControlChartOptions> = {}): ChartModel {
  const o = { ...defaults, ...options };
  const found = findSeries(frames, o);
  expect(found.message).toBeUndefined();
  const out = buildChart(found.series[0], o, T0 + 1000 * HOUR);
  if (!out.model) {
    throw new Error(out.error);
  }
  return out.model;
}

function chartError(frames: DataFrame[], options: Partial<ControlChartOptions> = {}): string {
  const o = { ...defaults, ...options };
  const out = buildChart(findSeries(frames, o).series[0], o, T0 + 1000 * HOUR);
  expect(out.model).toBeUndefined();
  return out.error!;
}

const close = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));

describe('computed charts', () => {
  it('xmr over all points: center 2.5, sigma (2+1+2)/3/1.128, zone lines from it', () => {
    const m = chart([frame([1, 3, 2, 4])]);
    const sigma = 5 / 3 / 1.128;
    close(m.center[0], 2.5);
    close(m.ucl[3], 2.5 + 3 * sigma);
    close(m.lcl[0], 2.5 - 3 * sigma);
    close(m.zones!.plus1[0], 2.5 + sigma);
    close(m.zones!.minus2[2], 2.5 - 2 * sigma);
    expect(m.baselineRange).toBeNull(); // limits from every point: nothing to mark
    expect(m.limitsFrom).toBe('all 4 points');
    expect(m.constantLimits).toBe(true);
    expect(m.violations).toEqual([]);
  });

  it('baseline of the first 5: mean 11.6, mean moving range 1.5, so 30 is beyond UCL 11.6 + 3·1.5/1.128', () => {
    const m = chart([frame([10, 12, 11, 13, 12, 30])], { baselineMode: 'first', baselinePoints: 5 });
    close(m.center[5], 11.6);
    close(m.ucl[5], 11.6 + (3 * 1.5) / 1.128);
    expect(m.baselineRange).toEqual([T0, T0 + 4 * HOUR]);
    expect(m.limitsFrom).toBe('first 5 points');
    expect(m.violations).toEqual([{ rule: 'nelson-1', index: 5, points: [5] }]);
    expect(m.counts.find((c) => c.rule === 'nelson-1')).toEqual({ rule: 'nelson-1', count: 1 });
    expect(m.counts.map((c) => c.rule)).toHaveLength(8); // every rule checked, zero counts included
  });

  it('baseline by time range (absolute and relative times)', () => {
    const abs = chart([frame([10, 12, 11, 13, 12, 30])], {
      baselineMode: 'range',
      baselineFrom: new Date(T0).toISOString(),
      baselineTo: new Date(T0 + 4 * HOUR).toISOString(),
    });
    close(abs.center[0], 11.6);
    // now is T0 + 1000 h: now-996h is T0 + 4 h
    const rel = chart([frame([10, 12, 11, 13, 12, 30])], {
      baselineMode: 'range',
      baselineFrom: '',
      baselineTo: 'now-996h',
    });
    close(rel.center[0], 11.6);
    expect(rel.limitsFrom).toBe('5 points in the baseline range');
  });

  it('frozen center and sigma: UCL 10 + 3·1, no baseline', () => {
    const m = chart([frame([10, 11, 9, 14])], { baselineMode: 'frozen', frozenCenter: 10, frozenSigma: 1 });
    close(m.ucl[0], 13);
    close(m.lcl[0], 7);
    expect(m.baselineRange).toBeNull();
    expect(m.limitsFrom).toBe('frozen values');
    expect(m.violations.map((v) => v.index)).toEqual([3]);
  });

  it('c chart clips the lower zone lines at the LCL of 0: cbar 2, sigma √2', () => {
    const m = chart([frame([2, 4, 0, 2])], { chartType: 'c' });
    close(m.ucl[0], 2 + 3 * Math.SQRT2);
    expect(m.lcl[0]).toBe(0);
    close(m.zones!.minus1[0], 2 - Math.SQRT2);
    expect(m.zones!.minus2[0]).toBe(0); // 2 − 2√2 < 0
  });

  it('p chart with n from a field: limits vary with n, the size field is not charted', () => {
    const frames = [frame([1, 2], [{ name: 'n', values: [10, 40] }])];
    const found = findSeries(frames, { ...defaults, chartType: 'p', sizeField: 'n' });
    expect(found.series.map((s) => s.value.name)).toEqual(['latency']);
    const m = chart(frames, { chartType: 'p', sizeField: 'n' });
    // pbar = 3/50 = 0.06
    close(m.values[0], 0.1);
    close(m.ucl[0], 0.06 + 3 * Math.sqrt((0.06 * 0.94) / 10));
    close(m.ucl[1], 0.06 + 3 * Math.sqrt((0.06 * 0.94) / 40));
    expect(m.constantLimits).toBe(false);
  });

  it('p chart with a constant n', () => {
    const m = chart([frame([1, 3, 2])], { chartType: 'p', sampleSize: 20 });
    close(m.center[0], 6 / 60);
  });

  it('empty values are skipped and counted', () => {
    const m = chart([frame([1, null, 3, NaN, 2, 4])]);
    expect(m.values).toEqual([1, 3, 2, 4]);
    expect(m.times).toEqual([T0, T0 + 2 * HOUR, T0 + 4 * HOUR, T0 + 5 * HOUR]);
    expect(m.skipped).toBe(2);
    expect(summarize(m).notes).toBe('2 points without a value skipped');
  });

  it('x-bar R leaves out the newest incomplete subgroup', () => {
    const m = chart([frame([1, 3, 2, 2, 4, 6, 9])], { chartType: 'xbar-r', subgroup: 2 });
    expect(m.values).toEqual([2, 2, 5]);
    expect(m.times).toEqual([T0 + HOUR, T0 + 3 * HOUR, T0 + 5 * HOUR]); // a subgroup is stamped with its last value
    expect(m.incomplete).toBe(1);
    close(m.center[0], 3);
  });

  it('cusum: C− drawn downwards, no zone lines, its own rules', () => {
    const m = chart([frame([1, 1, 1, -3])], {
      chartType: 'cusum',
      baselineMode: 'frozen',
      frozenCenter: 0,
      frozenSigma: 1,
      h: 1,
    });
    expect(m.zones).toBeNull();
    expect(m.lower).toEqual([-0, -0, -0, -2.5]);
    expect(m.counts).toEqual([
      { rule: 'cusum-upper', count: 1 },
      { rule: 'cusum-lower', count: 1 },
    ]);
  });
});

describe('messages for data that does not fit', () => {
  it('one point', () => {
    expect(chartError([frame([5])])).toBe(
      'latency: the xmr chart needs at least 2 points to estimate sigma from moving ranges, got 1. This series has 1 point: widen the time range or use a smaller interval.'
    );
  });
  it('no values at all', () => {
    expect(chartError([frame([null, null])])).toBe('latency: no values to chart.');
  });
  it('p chart without sample sizes', () => {
    expect(chartError([frame([1, 2, 3])], { chartType: 'p' })).toMatch(/^The p chart needs sample sizes/);
  });
  it('defectives above n', () => {
    expect(chartError([frame([1, 12], [{ name: 'n', values: [10, 10] }])], { chartType: 'p', sizeField: 'n' })).toBe(
      'latency: 12 defectives exceed the sample size 10 (the p chart takes counts: p (proportion defective)).'
    );
  });
  it('baseline longer than the series', () => {
    expect(chartError([frame([1, 2, 3])], { baselineMode: 'first', baselinePoints: 10 })).toBe(
      'Baseline: points must be between 1 and 3 (the points plotted), got 10.'
    );
  });
  it('baseline time that is not a time', () => {
    expect(chartError([frame([1, 2, 3])], { baselineMode: 'range', baselineFrom: 'last tuesday' })).toBe(
      'Baseline: baseline from "last tuesday" is not a time: use now-7d or 2026-01-01T00:00:00Z.'
    );
  });
  it('frozen mode without values', () => {
    expect(chartError([frame([1, 2, 3])], { baselineMode: 'frozen' })).toBe(
      'Frozen limits: give the known center and sigma (or center, UCL and LCL).'
    );
  });
  it('x-bar without a valid subgroup', () => {
    expect(chartError([frame([1, 2, 3, 4])], { chartType: 'xbar-s', subgroup: 30 })).toBe(
      'Subgroup size: the xbar-s chart needs a subgroup size between 2 and 25, got 30.'
    );
  });
  it('x-bar with fewer points than one subgroup', () => {
    expect(chartError([frame([1, 2, 3])], { chartType: 'xbar-r', subgroup: 5 })).toBe(
      'latency: the xbar-r chart needs at least one full subgroup of 5 points; this series has 3.'
    );
  });
  it('explain keeps errors that are not the engine’s', () => {
    expect(explain(new Error('boom'), 'x', 3, 'xmr')).toBe('x: boom');
  });
});

describe('frames that carry their limits (the spc query shape)', () => {
  const spcFrame = createDataFrame({
    refId: 'A',
    meta: { custom: { spc: { chart: 'xmr', rules: ['nelson-1', 'nelson-2'] } } },
    fields: [
      { name: 'time', type: FieldType.time, values: [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR] },
      { name: 'value', type: FieldType.number, values: [10, 11, null, 40] },
      { name: 'cl', type: FieldType.number, values: [10, 10, 10, 10] },
      { name: 'ucl', type: FieldType.number, values: [13, 13, 13, 13] },
      { name: 'lcl', type: FieldType.number, values: [7, 7, 7, 7] },
      { name: 'baseline', type: FieldType.boolean, values: [true, true, false, false] },
      { name: 'violations', type: FieldType.string, values: ['', '', '', 'nelson-1,nelson-2'] },
    ],
  });

  it('charts only the value, with the frame’s limits and violations', () => {
    const found = findSeries([spcFrame], defaults);
    expect(found.series.map((s) => s.value.name)).toEqual(['value']);
    const m = chart([spcFrame]);
    expect(m.source).toBe('frame');
    expect(m.values).toEqual([10, 11, 40]);
    expect(m.ucl).toEqual([13, 13, 13]);
    expect(m.zones).toBeNull();
    expect(m.baselineRange).toEqual([T0, T0 + HOUR]);
    expect(m.violations).toEqual([
      { rule: 'nelson-1', index: 2, points: [2] },
      { rule: 'nelson-2', index: 2, points: [2] },
    ]);
    expect(m.counts).toEqual([
      { rule: 'nelson-1', count: 1 },
      { rule: 'nelson-2', count: 1 },
    ]);
    expect(m.flagged).toBe(1);
    expect(summaryText(summarize(m))).toBe('3 points, 2 violations on 1 point: out of control');
  });

  it('computes here when told to, ignoring the frame’s lines', () => {
    const m = chart([spcFrame], { limitsSource: 'compute', rules: [] });
    expect(m.source).toBe('computed');
    close(m.center[0], 61 / 3);
  });
});

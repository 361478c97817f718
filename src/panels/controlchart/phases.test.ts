import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';

import { buildChartWithPhases } from './phasedChart';
import { collectPhases, isPhaseFrame, phasesFromAnnotations, phasesFromFrames, type Phase } from './phases';
import { findSeries } from './series';
import { DEFAULT_OPTIONS, type ControlChartOptions } from './types';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

function series(values: number[]): DataFrame {
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => T0 + i * HOUR) },
      { name: 'mttr', type: FieldType.number, values },
    ],
  });
}

/** A phase frame as the kaizen query's metric "phases" returns it. */
function phaseFrame(
  rows: Array<{ time: number; end?: number; phase: string; verdict?: string; text?: string }>
): DataFrame {
  return createDataFrame({
    refId: 'B',
    name: 'kaizen_phases',
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((r) => r.time) },
      { name: 'time_end', type: FieldType.time, values: rows.map((r) => r.end ?? r.time) },
      { name: 'event', type: FieldType.string, values: rows.map((r) => r.phase.toLowerCase()) },
      { name: 'phase', type: FieldType.string, values: rows.map((r) => r.phase) },
      { name: 'verdict', type: FieldType.string, values: rows.map((r) => r.verdict ?? '') },
      { name: 'verdict_code', type: FieldType.number, values: rows.map(() => 1) },
      { name: 'verdict_text', type: FieldType.string, values: rows.map((r) => r.text ?? '') },
    ],
  });
}

// Before the event: 10 12 11 13 12 14, mean 72/6 = 12, moving ranges 2 1 2 1 2 (mean 1.6),
// sigma 1.6/1.128, UCL 12 + 3·1.6/1.128 = 16.2553, LCL 7.7447.
// After it: 6 7 5 6 8 7, mean 39/6 = 6.5, moving ranges 1 2 1 2 1 (mean 1.4), UCL 6.5 + 3·1.4/1.128 = 10.2234.
const before = [10, 12, 11, 13, 12, 14];
const after = [6, 7, 5, 6, 8, 7];
const runbook: Phase = { time: T0 + 5.5 * HOUR, end: T0 + 5.5 * HOUR, label: 'Checkout runbook', verdict: 'improved' };

function phased(values: number[], phases: Phase[], options: Partial<ControlChartOptions> = {}) {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const found = findSeries([series(values)], o);
  const out = buildChartWithPhases(found.series[0], o, phases, T0 + 100 * HOUR);
  if (!out.model) {
    throw new Error(out.error);
  }
  return out.model;
}

const close = (got: number | undefined, want: number) => expect(got).toBeCloseTo(want, 9);

describe('kaizen phases on a control chart', () => {
  it('gives each phase limits from its own points', () => {
    const m = phased([...before, ...after], [runbook]);
    close(m.center[0], 12);
    close(m.ucl[5], 12 + (3 * 1.6) / 1.128);
    close(m.lcl[5], 12 - (3 * 1.6) / 1.128);
    close(m.center[6], 6.5);
    close(m.ucl[11], 6.5 + (3 * 1.4) / 1.128);
    // Against one set of limits (mean 9.25) the drop would be a run of violations; per phase there is none.
    expect(m.violations).toEqual([]);
    expect(m.limitsFrom).toBe("each phase's own points (2 phases)");
    expect(m.phases).toHaveLength(1);
    expect(m.phases![0]).toMatchObject({ label: 'Checkout runbook', first: 6, n: 6, verdict: 'improved' });
    close(m.phases![0].center, 6.5);

    const single = phased([...before, ...after], [], {});
    expect(single.violations.length).toBeGreaterThan(0);
    expect(single.phases).toBeUndefined();
  });

  it('leaves the settling period out of the new phase’s limits', () => {
    // Settled at 7.5 h: the after phase is estimated from 5 6 8 7 (mean 6.5, moving ranges 1 2 1, mean 4/3).
    const m = phased([...before, ...after], [{ ...runbook, end: T0 + 7.5 * HOUR }]);
    close(m.center[6], 6.5);
    close(m.ucl[6], 6.5 + (3 * (4 / 3)) / 1.128);
  });

  it('does not count signals inside the settling period, and says how many it left out', () => {
    // 14 on the first day after the change is the process moving; settled at 6.5 h, the phase's
    // limits come from 7 5 6 8 7 (mean 6.6, moving ranges 2 1 2 1, UCL 6.6 + 3·1.5/1.128 = 10.59).
    const m = phased([...before, 14, 7, 5, 6, 8, 7], [{ ...runbook, end: T0 + 6.5 * HOUR }]);
    close(m.ucl[7], 6.6 + (3 * 1.5) / 1.128);
    expect(m.violations.filter((v) => v.index === 6)).toEqual([]);
    expect(m.phases![0].note).toBe('1 signal in its settling period not counted');
    expect(m.counts.find((c) => c.rule === 'nelson-1')?.count).toBe(0);
  });

  it('carries the previous limits over a phase too short for its own, and says so', () => {
    const m = phased([...before, 6], [runbook]);
    close(m.center[6], 12);
    close(m.ucl[6], 12 + (3 * 1.6) / 1.128);
    expect(m.phases![0].note).toBe("1 point: too few for limits of its own; the previous phase's limits carry over");
    // 6 against the old limits (LCL 7.74) is beyond them: the improvement shows as a signal.
    expect(m.violations.map((v) => v.rule)).toContain('nelson-1');
  });

  it('marks an event outside the points without splitting, and ignores phases when switched off', () => {
    const early: Phase = { time: T0 - 2 * HOUR, end: T0 - 2 * HOUR, label: 'Earlier event' };
    const m = phased([...before, ...after], [early, runbook]);
    expect(m.phases!.map((p) => [p.label, p.first])).toEqual([
      ['Earlier event', undefined],
      ['Checkout runbook', 6],
    ]);
    const off = phased([...before, ...after], [runbook], { phases: 'off' });
    expect(off.phases).toBeUndefined();
    close(off.center[0], 111 / 12);
  });

  it('keeps the limits of an X-bar frame from the data source and only marks the boundary', () => {
    const xbar = createDataFrame({
      refId: 'A',
      meta: { custom: { spc: { chart: 'xbar-r', rules: ['nelson-1'] } } },
      fields: [
        { name: 'time', type: FieldType.time, values: [T0, T0 + HOUR, T0 + 2 * HOUR] },
        { name: 'value', type: FieldType.number, values: [10, 11, 7] },
        { name: 'cl', type: FieldType.number, values: [10, 10, 10] },
        { name: 'ucl', type: FieldType.number, values: [13, 13, 13] },
        { name: 'lcl', type: FieldType.number, values: [7, 7, 7] },
      ],
    });
    const o = { ...DEFAULT_OPTIONS };
    const s = findSeries([xbar], o).series[0];
    const out = buildChartWithPhases(s, o, [{ ...runbook, time: T0 + 1.5 * HOUR, end: T0 + 1.5 * HOUR }]);
    expect(out.model?.source).toBe('frame');
    expect(out.model?.ucl).toEqual([13, 13, 13]);
    expect(out.model?.phases?.[0].first).toBeUndefined();
  });
});

describe('where phases come from', () => {
  it('reads a phase frame, which is not a series to chart', () => {
    const f = phaseFrame([
      {
        time: runbook.time,
        end: runbook.time + HOUR,
        phase: 'Checkout runbook',
        verdict: 'improved',
        text: 'Improved: median 12 → 6.5 (−46%), p = 0.004',
      },
    ]);
    expect(isPhaseFrame(f)).toBe(true);
    expect(isPhaseFrame(series([1, 2]))).toBe(false);
    expect(phasesFromFrames([f])).toEqual([
      {
        time: runbook.time,
        end: runbook.time + HOUR,
        label: 'Checkout runbook',
        verdict: 'improved',
        text: 'Improved: median 12 → 6.5 (−46%), p = 0.004',
      },
    ]);
    const found = findSeries([series([...before, ...after]), f], DEFAULT_OPTIONS);
    expect(found.series.map((s) => s.name)).toEqual(['mttr']);
    expect(findSeries([f], DEFAULT_OPTIONS).message).toMatch(/^Only kaizen phases in the data/);
  });

  it('reads kaizen deployments from annotations, with the verdict from their tags and text', () => {
    const anno = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [runbook.time, runbook.time + HOUR, runbook.time + 2 * HOUR] },
        { name: 'timeEnd', type: FieldType.time, values: [runbook.time + 2 * HOUR, null, null] },
        {
          name: 'title',
          type: FieldType.string,
          values: [
            'Kaizen deployed: Checkout runbook',
            'Incident INC-1',
            'Kaizen review: Checkout runbook, 30 days after deployment',
          ],
        },
        {
          name: 'text',
          type: FieldType.string,
          values: [
            'owner sre\nHypothesis: faster\nImproved: median 1h → 30m (-50%), p = 1.6e-11',
            '',
            'Gain sustained',
          ],
        },
        {
          name: 'tags',
          type: FieldType.other,
          values: [
            ['kaizen', 'deployment', 'deployed', 'sre', 'improved'],
            ['incident', 'sev1'],
            'kaizen,review,sustained',
          ],
        },
      ],
    });
    expect(phasesFromAnnotations([anno])).toEqual([
      {
        time: runbook.time,
        end: runbook.time + 2 * HOUR,
        label: 'Checkout runbook',
        verdict: 'improved',
        text: 'Improved: median 1h → 30m (-50%), p = 1.6e-11',
      },
    ]);
    // Given both ways, an event counts once.
    const f = phaseFrame([{ time: runbook.time, phase: 'Checkout runbook', verdict: 'improved' }]);
    expect(collectPhases([f], [anno])).toHaveLength(1);
  });
});

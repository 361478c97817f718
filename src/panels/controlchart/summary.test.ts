import type { ChartModel } from './chart';
import { displayScale, summarize, summaryText } from './summary';

function model(over: Partial<ChartModel>): ChartModel {
  return {
    chart: 'xmr',
    source: 'computed',
    times: [1, 2, 3],
    values: [1, 2, 3],
    center: [2, 2, 2],
    ucl: [5, 5, 5],
    lcl: [-1, -1, -1],
    zones: null,
    baselineRange: null,
    limitsFrom: 'all 3 points',
    violations: [],
    counts: [],
    flagged: 0,
    constantLimits: true,
    skipped: 0,
    incomplete: 0,
    ...over,
  };
}

describe('summarize', () => {
  it('with phases, judges the process by its current phase', () => {
    const violations = [
      { rule: 'nelson-1', index: 0, points: [0] },
      { rule: 'nelson-2', index: 1, points: [1] },
    ];
    const phases = [{ time: 3, end: 3, label: 'Runbook', first: 2 }];
    const earlierOnly = summarize(model({ violations, flagged: 2, phases }));
    expect(earlierOnly).toMatchObject({ violations: 2, inControl: true, status: 'In control' });
    expect(earlierOnly.notes).toBe('2 in earlier phases');
    const now = summarize(
      model({ violations: [...violations, { rule: 'nelson-1', index: 2, points: [2] }], flagged: 3, phases })
    );
    expect(now).toMatchObject({ violations: 3, inControl: false, status: 'Out of control' });
    expect(now.notes).toBe('2 in earlier phases');
  });

  it('in control: no violations', () => {
    const s = summarize(model({ counts: [{ rule: 'nelson-1', count: 0 }] }));
    expect(s).toMatchObject({ points: 3, violations: 0, inControl: true, status: 'In control', byRule: [], notes: '' });
    expect(summaryText(s)).toBe('3 points, no violations: in control');
  });

  it('counts violations and the points they fall on, rules by name', () => {
    const s = summarize(
      model({
        violations: [
          { rule: 'nelson-1', index: 2, points: [2] },
          { rule: 'we-1', index: 2, points: [2] },
          { rule: 'nelson-2', index: 1, points: [1] },
        ],
        counts: [
          { rule: 'nelson-1', count: 1 },
          { rule: 'nelson-2', count: 1 },
          { rule: 'nelson-3', count: 0 },
          { rule: 'we-1', count: 1 },
        ],
        flagged: 2,
        skipped: 1,
        incomplete: 2,
      })
    );
    expect(s.inControl).toBe(false);
    expect(s.byRule).toEqual([
      'Nelson 1: 1 point beyond 3σ: 1',
      'Nelson 2: 9 in a row on one side: 1',
      'WE 1: 1 point beyond 3σ: 1',
    ]);
    expect(s.notes).toBe('1 point without a value skipped; newest 2 values left out (incomplete subgroup)');
    expect(summaryText(s)).toBe('3 points, 3 violations on 2 points: out of control');
  });
});

describe('displayScale', () => {
  it.each([
    [800, 300, 1], // a dashboard panel: Grafana's own sizes
    [1920, 1040, Math.sqrt(1920 * 1040) / 670], // one panel filling a 1080p screen: about 2.1
    [3840, 2100, 3], // 4K: capped
    [3800, 400, 400 / 300], // flat: held back by the height
  ])('%ix%i', (w, h, want) => {
    expect(displayScale(w, h)).toBeCloseTo(want, 9);
  });
});

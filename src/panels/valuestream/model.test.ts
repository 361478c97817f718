import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';

import {
  bottleneckText,
  buildModel,
  cycleScatter,
  findBottleneck,
  formatDuration,
  formatPercent,
  layoutItems,
  NEEDS_QUERY,
  quantileSorted,
  ribbonSegments,
  type StageModel,
} from './model';

const H = 3600;

/** The stages frame of pkg/metrics/flow's hand-worked "delivery" stream (docs/flow.md). */
function stagesFrame(): DataFrame {
  const n = (name: string, values: Array<number | null>) => ({ name, type: FieldType.number, values });
  return createDataFrame({
    name: 'stages',
    fields: [
      { name: 'stage', type: FieldType.string, values: ['Backlog', 'Dev', 'Review queue', 'Review'] },
      { name: 'kind', type: FieldType.string, values: ['waiting', 'active', 'waiting', 'active'] },
      n('position', [0, 1, 2, 3]),
      n('items', [2, 2, 2, 2]),
      n('wip', [0, 1, 0, 0]),
      n('wip_limit', [null, 2, null, 1]),
      n('process_mean', [0, 7.5 * H, 0, 6.5 * H]),
      n('process_median', [0, 7.5 * H, 0, 6.5 * H]),
      n('process_p85', [0, 9.25 * H, 0, 8.95 * H]),
      n('wait_mean', [3 * H, 0, 1 * H, 0]),
      n('wait_median', [3 * H, 0, 1 * H, 0]),
      n('wait_p85', [3.7 * H, 0, 1.7 * H, 0]),
    ],
  });
}

function totalsFrame(): DataFrame {
  const n = (name: string, v: number | null) => ({ name, type: FieldType.number, values: [v] });
  return createDataFrame({
    name: 'totals',
    fields: [
      { name: 'value_stream', type: FieldType.string, values: ['delivery'] },
      n('items', 3),
      n('wip', 1),
      n('flow_efficiency', 28 / 36),
      n('lead_median', 12 * H),
      n('lead_mean', 14 * H),
      n('lead_p85', 20.4 * H),
      n('cycle_median', 15 * H),
      n('process_median', 14 * H),
      n('wait_median', 4 * H),
    ],
  });
}

function stage(
  name: string,
  kind: 'active' | 'waiting',
  process: number | null,
  wait: number | null,
  wip = 0,
  wipLimit: number | null = null
): StageModel {
  return { name, kind, items: 1, wip, wipLimit, process, wait };
}

describe('buildModel', () => {
  it('reads the stages and totals of the chosen stat', () => {
    const r = buildModel([stagesFrame(), totalsFrame()], 'p85');
    expect(r.message).toBeUndefined();
    const m = r.model!;
    expect(m.stages.map((s) => `${s.name}:${s.kind}`)).toEqual([
      'Backlog:waiting',
      'Dev:active',
      'Review queue:waiting',
      'Review:active',
    ]);
    expect(m.stages[1]).toEqual({
      name: 'Dev',
      kind: 'active',
      items: 2,
      wip: 1,
      wipLimit: 2,
      process: 9.25 * H,
      wait: 0,
    });
    expect(m.stages[0].wipLimit).toBeNull();
    expect(m.totals).toMatchObject({ stream: 'delivery', items: 3, wip: 1, lead: 20.4 * H, efficiency: 28 / 36 });
    expect(buildModel([stagesFrame(), totalsFrame()], 'median').model!.totals!.lead).toBe(12 * H);
  });

  it('says what is missing instead of drawing', () => {
    expect(buildModel([], 'median').message).toContain('No data');
    const other = createDataFrame({ fields: [{ name: 'value', type: FieldType.number, values: [1] }] });
    expect(buildModel([other], 'median').message).toBe(NEEDS_QUERY);
    expect(buildModel([stagesFrame(), stagesFrame()], 'median').message).toContain('one value stream');
    const empty = createDataFrame({
      name: 'stages',
      fields: ['stage', 'kind', 'process_median'].map((name) => ({ name, type: FieldType.string, values: [] })),
    });
    expect(buildModel([empty], 'median').message).toContain('no stages yet');
  });

  it('takes the cycle-time scatter from an items frame', () => {
    const items = createDataFrame({
      name: 'items',
      fields: [
        { name: 'time', type: FieldType.time, values: [3000, 1000, 2000, 4000] },
        { name: 'cycle_time', type: FieldType.number, values: [30, 10, null, 20] },
      ],
    });
    const m = buildModel([stagesFrame(), items], 'median').model!;
    // Points sorted by time; the item without a cycle time is left out.
    expect(m.scatter!.times).toEqual([1000, 3000, 4000]);
    expect(m.scatter!.cycle).toEqual([10, 30, 20]);
    // 10, 20, 30: p50 20; p85 at rank 1.7 → 20 + 0.7 × 10 = 27; p95 at 1.9 → 29.
    expect(m.scatter!.p50).toBe(20);
    expect(m.scatter!.p85).toBeCloseTo(27, 12);
    expect(m.scatter!.p95).toBeCloseTo(29, 12);
  });
});

describe('quantileSorted', () => {
  it('interpolates between closest ranks as pkg/stats/summary does', () => {
    // The Go test's lead times 6, 12, 12, 24 h: p85 at rank 2.55 → 12 + 0.55 × 12.
    expect(quantileSorted([6, 12, 12, 24], 0.85)).toBeCloseTo(18.6, 12);
    expect(quantileSorted([5], 0.95)).toBe(5);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(
      cycleScatter(
        createDataFrame({
          fields: [
            { name: 'time', type: FieldType.time, values: [] },
            { name: 'cycle_time', type: FieldType.number, values: [] },
          ],
        })
      ).p50
    ).toBeNaN();
  });
});

describe('findBottleneck', () => {
  const stages = [
    stage('Backlog', 'waiting', 0, 50 * H),
    stage('Dev', 'active', 20 * H, 2 * H, 12, 10),
    stage('Review queue', 'waiting', 0, 9 * H, 4, 3),
    stage('Review', 'active', 3 * H, 0, 1, 4),
  ];

  it('longest wait: the backlog before the first active stage does not count', () => {
    expect(findBottleneck(stages, 'wait')).toEqual({ bottleneck: { index: 2, reason: 'wait' }, overLimit: [] });
  });

  it('WIP over limit: the most overloaded stage (12/10 < 4/3), every one over flagged', () => {
    expect(findBottleneck(stages, 'wip')).toEqual({ bottleneck: { index: 2, reason: 'wip' }, overLimit: [1, 2] });
    const onlyDev = stages.map((s, i) => (i === 2 ? { ...s, wip: 3 } : s));
    expect(findBottleneck(onlyDev, 'wip').bottleneck).toEqual({ index: 1, reason: 'wip' });
  });

  it('both: the longest wait, with stages over their limit flagged; falls back to WIP when nothing waits', () => {
    expect(findBottleneck(stages, 'both')).toEqual({ bottleneck: { index: 2, reason: 'wait' }, overLimit: [1, 2] });
    const noWaits = stages.map((s) => ({ ...s, wait: 0 }));
    expect(findBottleneck(noWaits, 'both').bottleneck).toEqual({ index: 2, reason: 'wip' });
  });

  it('none, and a calm stream', () => {
    expect(findBottleneck(stages, 'none')).toEqual({ overLimit: [] });
    const calm = [stage('Work', 'active', H, 0, 1, 5)];
    expect(findBottleneck(calm, 'both')).toEqual({ bottleneck: undefined, overLimit: [] });
  });

  it('writes the bottleneck as a sentence', () => {
    const fmt = (s: number | null) => `${(s ?? 0) / H}h`;
    expect(bottleneckText(stages, findBottleneck(stages, 'wait'), 'median', fmt)).toBe(
      'Bottleneck: Review queue, longest wait (median 9h)'
    );
    expect(bottleneckText(stages, findBottleneck(stages, 'wip'), 'median', fmt)).toBe(
      'Bottleneck: Review queue, WIP 4 over its limit of 3'
    );
    expect(bottleneckText(stages, { overLimit: [] }, 'median', fmt)).toBeUndefined();
  });
});

describe('layoutItems', () => {
  it('boxes for active stages, queues for waiting ones, arrows between adjacent boxes', () => {
    const stages = [
      stage('B', 'waiting', 0, 1),
      stage('A', 'active', 1, 0),
      stage('D', 'active', 1, 0),
      stage('Q', 'waiting', 0, 1),
      stage('R', 'active', 1, 0),
    ];
    expect(layoutItems(stages)).toEqual([
      { type: 'queue', index: 0 },
      { type: 'box', index: 1 },
      { type: 'arrow' },
      { type: 'box', index: 2 },
      { type: 'queue', index: 3 },
      { type: 'box', index: 4 },
    ]);
    expect(layoutItems([stage('Work', 'active', 1, 0)])).toEqual([{ type: 'box', index: 0 }]);
  });
});

describe('ribbonSegments', () => {
  it('wait then process per stage, as shares of the whole', () => {
    // 3h queue wait, Dev 1h blocked then 4h work, Review 2h: 10h in all.
    const segs = ribbonSegments([
      stage('Q', 'waiting', 0, 3 * H),
      stage('Dev', 'active', 4 * H, 1 * H),
      stage('Review', 'active', 2 * H, null),
    ]);
    expect(segs.map((s) => [s.index, s.part, s.share])).toEqual([
      [0, 'wait', 0.3],
      [1, 'wait', 0.1],
      [1, 'process', 0.4],
      [2, 'process', 0.2],
    ]);
    expect(ribbonSegments([stage('Work', 'active', null, null)])).toEqual([]);
  });
});

describe('formatDuration', () => {
  it('auto scales seconds; fixed units stay fixed', () => {
    expect(formatDuration(36 * H, 'auto')).toBe('1.5 days');
    expect(formatDuration(10 * 24 * H, 'd')).toBe('10.0 d');
    expect(formatDuration(90, 'm')).toBe('1.5 min');
    expect(formatDuration(36 * H, 'h', 0)).toBe('36 h');
    expect(formatDuration(null, 'auto')).toBe('–');
    expect(formatPercent(28 / 36)).toBe('78%');
    expect(formatPercent(0.034)).toBe('3.4%');
    expect(formatPercent(null)).toBe('–');
  });
});

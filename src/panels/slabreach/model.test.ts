import { createDataFrame, FieldType } from '@grafana/data';

import { complianceDecimals, formatBudget, formatBurn, formatDuration, formatMoney, formatPercent } from './format';
import {
  classify,
  gridLayout,
  NEEDS_QUERY,
  penaltyTotals,
  pickFocus,
  prepareRows,
  readFrames,
  sortRows,
  TILE_H,
  TILE_W,
  type SLORow,
} from './model';
import { burnPosition, windowState } from './BurnRateBars';
import { breachLanes, breachText } from './BreachTimeline';
import { DEFAULT_OPTIONS } from './types';

function row(p: Partial<SLORow>): SLORow {
  return {
    key: 'a',
    slo: 'a',
    name: 'a',
    service: 'a',
    team: '',
    objective: 99.9,
    window: '30d',
    compliance: 0.9995,
    budgetRemaining: 0.5,
    budgetRemainingTime: null,
    burnRate: 0.5,
    alert: 'ok',
    breached: false,
    slaPeriod: '',
    slaCompliance: null,
    penaltyCurrent: null,
    penaltyTotal: null,
    currency: '',
    status: 'no_data',
    reasons: [],
    ...p,
  };
}

describe('classify', () => {
  const o = DEFAULT_OPTIONS; // at risk below 25% budget, on ticket or page, no burn rule
  it.each([
    ['budget spent', { budgetRemaining: -0.1, breached: null }, 'breached'],
    ['breached flag from the data source', { budgetRemaining: 0.2, breached: true }, 'breached'],
    ['100% objective after one bad event: −∞ budget', { budgetRemaining: -Infinity, burnRate: Infinity }, 'breached'],
    ['little budget left', { budgetRemaining: 0.2 }, 'at_risk'],
    ['exactly at the threshold is not under it', { budgetRemaining: 0.25 }, 'compliant'],
    ['plenty of budget but the page alert firing', { budgetRemaining: 0.9, alert: 'page' as const }, 'at_risk'],
    ['ticket alert', { alert: 'ticket' as const }, 'at_risk'],
    ['healthy', {}, 'compliant'],
    [
      'no traffic: no compliance, full budget, no burn',
      { compliance: null, budgetRemaining: 1, burnRate: 0 },
      'no_data',
    ],
  ])('%s', (_name, p, want) => {
    expect(classify(row(p), o).status).toBe(want);
  });

  it('names its reasons, and honours the burn threshold and the alert switch', () => {
    const r = row({ budgetRemaining: 0.1, alert: 'page', burnRate: 20 });
    expect(classify(r, { ...o, atRiskBurn: 10 }).reasons).toEqual([
      'budget under 25%',
      'burn-rate alert: page',
      'burn above 10×',
    ]);
    expect(classify(row({ alert: 'page' }), { ...o, atRiskOnAlert: false }).status).toBe('compliant');
  });
});

describe('sorting and focus', () => {
  const rows = prepareRows(
    [
      row({ key: 'ok', service: 'b-ok', budgetRemaining: 0.8 }),
      row({ key: 'risk', service: 'c-risk', budgetRemaining: 0.1 }),
      row({ key: 'gone', service: 'a-gone', budgetRemaining: -0.3, burnRate: 3 }),
      row({ key: 'nodata', service: 'd-none', compliance: null, budgetRemaining: 1, burnRate: 0 }),
      row({ key: 'ok2', service: 'e-ok', budgetRemaining: 0.4, burnRate: 1.2 }),
    ],
    DEFAULT_OPTIONS
  );
  it('puts breached first, then at risk, then least budget left; no data last', () => {
    expect(rows.map((r) => r.key)).toEqual(['gone', 'risk', 'ok2', 'ok', 'nodata']);
  });
  it('sorts by name, budget and burn', () => {
    expect(sortRows(rows, 'name').map((r) => r.key)).toEqual(['gone', 'ok', 'risk', 'nodata', 'ok2']);
    expect(sortRows(rows, 'budget').map((r) => r.key)).toEqual(['gone', 'risk', 'ok2', 'ok', 'nodata']);
    expect(sortRows(rows, 'burn')[0].key).toBe('gone');
  });
  it('focuses the SLO named by id, service or name, else the most urgent', () => {
    expect(pickFocus(rows, 'e-ok')?.key).toBe('ok2');
    expect(pickFocus(rows, '')?.key).toBe('gone');
    expect(pickFocus(sortRows(rows, 'name'), 'nope')?.key).toBe('gone');
  });
});

describe('gridLayout', () => {
  it('fits 200 tiles on a 4K wall at a larger type than in a dashboard', () => {
    const l = gridLayout(200, 3840, 2000);
    expect(l.columns * l.rows).toBeGreaterThanOrEqual(200);
    expect(l.tileWidth * l.columns).toBeLessThanOrEqual(3840);
    expect(l.tileHeight * l.rows).toBeLessThanOrEqual(2000);
    // 12 columns × 17 rows of 314.5 × 112 px: scale = min(314.5 / 224, 112 / 82) = 1.366,
    // so 14 px text becomes 19 px and the compliance numerals 35 px
    expect([l.columns, l.rows]).toEqual([12, 17]);
    expect(l.scale).toBeCloseTo(112 / 82, 12);
    expect(l.scale).toBe(Math.min(l.tileWidth / TILE_W, l.tileHeight / TILE_H));
  });
  it('gives a single tile the whole box, up to 3× type', () => {
    const l = gridLayout(1, 1900, 400);
    expect([l.columns, l.rows]).toEqual([1, 1]);
    expect(l.scale).toBe(3);
  });
  it('survives no tiles and no room', () => {
    expect(gridLayout(0, 100, 100).scale).toBe(0);
    expect(gridLayout(5, 0, 100).scale).toBe(0);
  });
});

describe('readFrames', () => {
  it('asks for the query when no frame fits', () => {
    expect(readFrames([]).message).toBe(NEEDS_QUERY);
    expect(
      readFrames([createDataFrame({ fields: [{ name: 'value', type: FieldType.number, values: [1] }] })]).message
    ).toBe(NEEDS_QUERY);
  });

  it('reads a minimal table from another data source: service and compliance', () => {
    const m = readFrames([
      createDataFrame({
        fields: [
          { name: 'service', type: FieldType.string, values: ['api', 'web'] },
          { name: 'compliance', type: FieldType.number, values: [0.999, null] },
          { name: 'budget_remaining', type: FieldType.number, values: ['0.4', 1] },
          { name: 'alert_level', type: FieldType.number, values: [2, 0] },
        ],
      }),
    ]).model!;
    expect(m.rows.map((r) => [r.key, r.compliance, r.budgetRemaining, r.alert])).toEqual([
      ['api', 0.999, 0.4, 'page'],
      ['web', null, 1, 'ok'],
    ]);
  });

  it('reads a burn-down given one frame per SLO with labels, and breaches with an open end', () => {
    const m = readFrames([
      createDataFrame({
        name: 'slo_burndown',
        fields: [
          { name: 'time', type: FieldType.time, values: [1, 2] },
          { name: 'budget_remaining', type: FieldType.number, values: [1, 0.5], labels: { slo: 'api' } },
          { name: 'ideal', type: FieldType.number, values: [1, 0], labels: { slo: 'api' } },
        ],
      }),
      createDataFrame({
        fields: [
          { name: 'slo', type: FieldType.string, values: ['api'] },
          { name: 'start', type: FieldType.time, values: [10] },
          { name: 'end', type: FieldType.time, values: [null] },
          { name: 'depth', type: FieldType.number, values: [0.004] },
        ],
      }),
    ]).model!;
    expect(m.burndowns.get('api')).toEqual({ key: 'api', times: [1, 2], remaining: [1, 0.5], ideal: [1, 0] });
    expect(m.breaches).toEqual([
      { key: 'api', period: '', start: 10, end: null, ongoing: true, duration: null, depth: 0.004, worst: null },
    ]);
  });
});

describe('penalties', () => {
  it('totals per currency, largest first, leaving out periods that owe nothing', () => {
    const p = (penalty: number, currency: string) => ({
      key: 'a',
      period: '',
      start: null,
      complete: true,
      breached: false,
      compliance: null,
      credit: null,
      penalty,
      currency,
    });
    expect(penaltyTotals([p(100, 'EUR'), p(0, 'EUR'), p(50, 'USD'), p(250, 'EUR')])).toEqual([
      { currency: 'EUR', total: 350, periods: 2 },
      { currency: 'USD', total: 50, periods: 1 },
    ]);
  });
});

describe('formatting', () => {
  it('writes compliance to one decimal more than the objective, truncated towards failure', () => {
    expect(complianceDecimals(99.9)).toBe(2);
    expect(complianceDecimals(99.95)).toBe(3);
    expect(complianceDecimals(99)).toBe(2);
    // 99.8996% next to an objective of 99.9% must not read 99.90%
    expect(formatPercent(0.998996, 2)).toBe('99.89%');
    expect(formatPercent(0.9999, 2)).toBe('99.99%');
    expect(formatPercent(null, 2)).toBe('–');
  });
  it('budget, burn, durations and money', () => {
    expect(formatBudget(0.98)).toBe('98%');
    expect(formatBudget(0.067)).toBe('6.7%');
    expect(formatBudget(-0.36)).toBe('−36%');
    expect(formatBudget(-Infinity)).toBe('spent');
    expect(formatBurn(14.4)).toBe('14.4×');
    expect(formatBurn(0)).toBe('0×');
    expect(formatBurn(0.03)).toBe('0.03×');
    expect(formatBurn(Infinity)).toBe('∞×');
    expect(formatBurn(1234.5)).toBe('1235×');
    expect(formatDuration(2592)).toBe('43 min');
    expect(formatDuration(-10195.2)).toBe('−2.8 h');
    expect(formatDuration(3 * 86400)).toBe('3 d');
    expect(formatMoney(1500, 'EUR')).toBe('€1,500');
    expect(formatMoney(1500, '')).toBe('1,500');
  });
});

describe('burn-rate bars and breach lanes', () => {
  it('states each window against its own thresholds', () => {
    const r = { key: 'a', window: '1h', seconds: 3600, page: 14.4, ticket: null };
    expect(windowState({ ...r, burn: 14.4 })).toBe('ok'); // not above
    expect(windowState({ ...r, burn: 15 })).toBe('page');
    expect(windowState({ ...r, window: '6h', page: 6, ticket: 1, burn: 2 })).toBe('ticket');
    expect(windowState({ ...r, burn: null })).toBe('none');
  });
  it('places rates on a log axis, infinity at the end', () => {
    expect(burnPosition(0, 20)).toBe(0);
    expect(burnPosition(20, 20)).toBe(1);
    expect(burnPosition(Infinity, 20)).toBe(1);
    expect(burnPosition(1, 20)).toBeCloseTo(Math.log(2) / Math.log(21), 12);
  });
  it('lanes: breaches in the range, most recent first; ongoing ones say so', () => {
    const b = (key: string, start: number, end: number | null) => ({
      key,
      period: '',
      start,
      end,
      ongoing: end === null,
      duration: null,
      depth: 0.004,
      worst: null,
    });
    const lanes = breachLanes([b('old', 10, 20), b('new', 50, null), b('out', 1, 5)], [], 8, 100);
    expect(lanes.map((l) => l.key)).toEqual(['new', 'old']);
    expect(breachText(b('x', 0, null), 90_000)).toBe('1.5 min so far, 0.40 pts below');
  });
});

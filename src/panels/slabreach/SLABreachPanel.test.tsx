import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createDataFrame, dateTime, FieldType, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';

import { SLABreachPanel, splitHeight } from './SLABreachPanel';
import { NEEDS_QUERY, NO_SLOS } from './model';
import { DEFAULT_OPTIONS, type SLABreachOptions } from './types';

// jsdom has no Path2D; uPlot builds its series paths with it once a frame is drawn. Pixels are
// checked in headless Chromium (docs/harness.md), not here.
class Path2DStub {
  constructor() {
    return new Proxy(this, { get: (t, p) => (p in t ? (t as Record<string | symbol, unknown>)[p] : () => {}) });
  }
}
(globalThis as unknown as { Path2D: unknown }).Path2D ??= Path2DStub;

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

interface Spec {
  slo: string;
  service: string;
  compliance: number | null;
  remaining: number;
  burn: number;
  alert?: string;
}

function statusFrame(specs: Spec[]): DataFrame {
  return createDataFrame({
    name: 'slo_status',
    fields: [
      { name: 'slo', type: FieldType.string, values: specs.map((s) => s.slo) },
      { name: 'name', type: FieldType.string, values: specs.map((s) => `${s.service} availability`) },
      { name: 'service', type: FieldType.string, values: specs.map((s) => s.service) },
      { name: 'objective', type: FieldType.number, values: specs.map(() => 99.9) },
      { name: 'window', type: FieldType.string, values: specs.map(() => '30d') },
      { name: 'compliance', type: FieldType.number, values: specs.map((s) => s.compliance) },
      { name: 'budget_remaining', type: FieldType.number, values: specs.map((s) => s.remaining) },
      { name: 'burn_rate', type: FieldType.number, values: specs.map((s) => s.burn) },
      { name: 'alert', type: FieldType.string, values: specs.map((s) => s.alert ?? 'ok') },
    ],
  });
}

const THREE: Spec[] = [
  { slo: 'web-a', service: 'web', compliance: 0.9995, remaining: 0.5, burn: 0.4 },
  { slo: 'pay-a', service: 'payments', compliance: 0.9986, remaining: -0.4, burn: 12 },
  { slo: 'api-a', service: 'api', compliance: 0.9991, remaining: 0.1, burn: 2, alert: 'ticket' },
];

function extras(): DataFrame[] {
  return [
    createDataFrame({
      name: 'slo_burn_rates',
      fields: [
        { name: 'slo', type: FieldType.string, values: ['pay-a', 'pay-a'] },
        { name: 'window', type: FieldType.string, values: ['1h', '5m'] },
        { name: 'window_seconds', type: FieldType.number, values: [3600, 300] },
        { name: 'burn_rate', type: FieldType.number, values: [12, 16] },
        { name: 'page_threshold', type: FieldType.number, values: [14.4, 14.4] },
        { name: 'ticket_threshold', type: FieldType.number, values: [null, null] },
      ],
    }),
    createDataFrame({
      name: 'slo_burndown',
      fields: [
        { name: 'time', type: FieldType.time, values: [T0, T0 + DAY, T0 + 2 * DAY] },
        { name: 'slo', type: FieldType.string, values: ['pay-a', 'pay-a', 'pay-a'] },
        { name: 'budget_remaining', type: FieldType.number, values: [1, 0.6, -0.4] },
        { name: 'ideal', type: FieldType.number, values: [1, 0.5, 0] },
      ],
    }),
    createDataFrame({
      name: 'slo_breaches',
      fields: [
        { name: 'slo', type: FieldType.string, values: ['pay-a'] },
        { name: 'start', type: FieldType.time, values: [T0 + 3 * DAY] },
        { name: 'end', type: FieldType.time, values: [null] },
        { name: 'ongoing', type: FieldType.boolean, values: [true] },
        { name: 'depth', type: FieldType.number, values: [0.0004] },
      ],
    }),
    createDataFrame({
      name: 'slo_penalties',
      fields: [
        { name: 'slo', type: FieldType.string, values: ['pay-a'] },
        { name: 'period', type: FieldType.string, values: ['2025-12'] },
        { name: 'complete', type: FieldType.boolean, values: [true] },
        { name: 'compliance', type: FieldType.number, values: [0.9986] },
        { name: 'credit', type: FieldType.number, values: [10] },
        { name: 'penalty', type: FieldType.number, values: [1200] },
        { name: 'currency', type: FieldType.string, values: ['EUR'] },
      ],
    }),
  ];
}

function renderPanel(
  series: DataFrame[],
  options: Partial<SLABreachOptions> = {},
  size = { width: 1600, height: 900 }
) {
  const props = {
    id: 1,
    data: {
      series,
      state: LoadingState.Done,
      timeRange: { from: dateTime(T0), to: dateTime(T0 + 7 * DAY), raw: { from: '', to: '' } },
    },
    timeRange: { from: dateTime(T0), to: dateTime(T0 + 7 * DAY), raw: { from: '', to: '' } },
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    ...size,
    transparent: false,
    title: 'SLOs',
    renderCounter: 0,
    replaceVariables: (s: string) => s.replace('$svc', 'api'),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    eventBus: {
      publish: jest.fn(),
      getStream: jest.fn(),
      subscribe: jest.fn(),
      removeAllListeners: jest.fn(),
      newScopedBus: jest.fn(),
    },
  } as unknown as PanelProps<SLABreachOptions>;
  return render(<SLABreachPanel {...props} />);
}

describe('SLABreachPanel', () => {
  it('says what it needs when there is no data', () => {
    renderPanel([]);
    expect(screen.getByRole('alert')).toHaveTextContent(NEEDS_QUERY);
  });

  it('says so when the query found no SLO', () => {
    renderPanel([statusFrame([])]);
    expect(screen.getByRole('alert')).toHaveTextContent(NO_SLOS);
  });

  it('shows every SLO with its status in words and its numbers, most urgent first', () => {
    renderPanel([statusFrame(THREE), ...extras()]);
    const tiles = screen.getAllByTestId('slabreach-tile');
    expect(tiles.map((t) => t.getAttribute('data-status'))).toEqual(['breached', 'at_risk', 'compliant']);
    const pay = within(tiles[0]);
    expect(pay.getByText('payments')).toBeInTheDocument();
    expect(pay.getByText('Breached')).toBeInTheDocument();
    expect(pay.getByText('99.86%')).toBeInTheDocument();
    expect(tiles[0]).toHaveTextContent('budget −40%');
    expect(tiles[0]).toHaveTextContent('1h burn 12×');
    expect(within(tiles[1]).getByText('At risk')).toBeInTheDocument();
    expect(within(tiles[2]).getByText('Compliant')).toBeInTheDocument();
    expect(screen.getByTestId('slabreach-count-breached')).toHaveTextContent('1 breached');
    expect(screen.getByTestId('slabreach-count-at_risk')).toHaveTextContent('1 at risk');
    expect(screen.getByTestId('slabreach-summary')).toHaveTextContent('€1,200 SLA penalties');
  });

  it('labels tiles whose service has several SLOs by the SLO name, so no two tiles read the same', () => {
    const frame = createDataFrame({
      name: 'slo_status',
      fields: [
        { name: 'slo', type: FieldType.string, values: ['co-avail', 'co-lat', 'web-a'] },
        { name: 'name', type: FieldType.string, values: ['Checkout availability', 'Checkout latency', 'Web'] },
        { name: 'service', type: FieldType.string, values: ['checkout', 'checkout', 'web'] },
        { name: 'objective', type: FieldType.number, values: [99.9, 99.5, 99.9] },
        { name: 'compliance', type: FieldType.number, values: [0.9997, 0.9926, 0.9995] },
        { name: 'budget_remaining', type: FieldType.number, values: [0.9, -0.46, 0.5] },
      ],
    });
    renderPanel([frame], { tileLabel: 'service' });
    const titles = screen.getAllByTestId('slabreach-tile').map((t) => t.getAttribute('aria-label'));
    expect(titles).toEqual([
      'Checkout latency: Breached',
      'web: Compliant', // the compliant ones by budget left, least first
      'Checkout availability: Compliant',
    ]);
  });

  it('details the most urgent SLO: burn-down, burn rates with thresholds, breach and penalty', () => {
    renderPanel([statusFrame(THREE), ...extras()]);
    expect(screen.getByTestId('slabreach-burndown')).toHaveTextContent('payments availability · payments');
    expect(screen.getByTestId('slabreach-burndown')).toHaveTextContent('−40% left');
    const rates = screen.getAllByTestId('slabreach-burnrate-row');
    expect(rates.map((r) => r.textContent)).toEqual(['5m16× > page 14.4×', '1h12× ok']);
    expect(screen.getByTestId('slabreach-timeline')).toHaveTextContent('so far, 0.04 pts below');
    expect(screen.getByTestId('slabreach-penalties')).toHaveTextContent('€1,200');
  });

  it('a tile click, or the focus option (with variables), picks the SLO in detail', () => {
    renderPanel([statusFrame(THREE), ...extras()], { focus: '$svc' });
    expect(screen.getByTestId('slabreach-burndown')).toHaveTextContent('api availability');
    fireEvent.click(screen.getByRole('button', { name: 'web: Compliant' }));
    expect(screen.getByTestId('slabreach-burndown')).toHaveTextContent('web availability');
    expect(screen.getByRole('button', { name: 'web: Compliant' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('draws a single service and 200 services', () => {
    const { unmount } = renderPanel([statusFrame(THREE.slice(0, 1))]);
    expect(screen.getAllByTestId('slabreach-tile')).toHaveLength(1);
    unmount();
    const many = Array.from({ length: 200 }, (_, i) => ({
      slo: `s${i}`,
      service: `svc-${i}`,
      compliance: 0.9995,
      remaining: 0.5,
      burn: 0.1,
    }));
    renderPanel(
      [statusFrame(many)],
      { showBurndown: false, showBurnRates: false, showTimeline: false },
      { width: 3840, height: 2160 }
    );
    expect(screen.getAllByTestId('slabreach-tile')).toHaveLength(200);
    expect(screen.getByTestId('slabreach-count-compliant')).toHaveTextContent('200 compliant');
  });

  it('shows only the views switched on', () => {
    renderPanel([statusFrame(THREE), ...extras()], { showGrid: false, showTimeline: false, showPenalties: false });
    expect(screen.queryByTestId('slabreach-grid')).toBeNull();
    expect(screen.queryByTestId('slabreach-timeline')).toBeNull();
    expect(screen.getByTestId('slabreach-burnrates')).toBeInTheDocument();
  });
});

describe('splitHeight', () => {
  it('gives the grid all the room when it is the only view', () => {
    expect(splitHeight(1000, 1600, 10, 1, { summary: false, grid: true, detail: false, lower: false }).grid).toBe(1000);
  });
  it('keeps every section inside the panel', () => {
    const l = splitHeight(900, 1600, 24, 1.2, { summary: true, grid: true, detail: true, lower: true }, 150);
    expect(l.summary + l.grid + l.detail + l.lower + 3 * 8).toBeLessThanOrEqual(900);
    expect(l.lower).toBeGreaterThanOrEqual(150);
  });
  it('gives the grid what the timeline does not need when no detail row is shown (a wall)', () => {
    // 1000 − summary 40 − gap 8 = 952; minus one gap between grid and timeline = 944;
    // the timeline needs 112 px, so the grid gets 944 − 112 = 832
    const l = splitHeight(1000, 2200, 8, 1, { summary: true, grid: true, detail: false, lower: true }, 112);
    expect(l).toEqual({ summary: 40, grid: 832, detail: 0, lower: 112 });
  });
  it('caps the timeline at half the room when its lanes need more', () => {
    // rest = 1000 − 8 (gap) = 992; half is 496
    const l = splitHeight(1000, 2200, 8, 1, { summary: false, grid: true, detail: false, lower: true }, 5000);
    expect(l.lower).toBe(496);
    expect(l.grid).toBe(496);
  });
});

import React from 'react';
import { render, screen, within } from '@testing-library/react';
import {
  applyFieldOverrides,
  createDataFrame,
  createTheme,
  dateTime,
  FieldType,
  LoadingState,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';

import { chartGrid, ControlChartPanel } from './ControlChartPanel';

import { findSeries } from './series';
import { DEFAULT_OPTIONS, type ControlChartOptions } from './types';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const theme = createTheme();

function series(name: string, values: Array<number | null>, unit?: string, labels?: Record<string, string>): DataFrame {
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => T0 + i * HOUR) },
      { name, type: FieldType.number, values, labels, config: { unit } },
    ],
  });
}

function renderPanel(
  frames: DataFrame[],
  options: Partial<ControlChartOptions> = {},
  size = { width: 1000, height: 600 }
) {
  const data = applyFieldOverrides({
    data: frames,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: 'utc',
  });
  const timeRange = { from: dateTime(T0), to: dateTime(T0 + 48 * HOUR), raw: { from: 'now-2d', to: 'now' } };
  const props = {
    id: 1,
    data: { series: data, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: size.width,
    height: size.height,
    renderCounter: 0,
    title: 'test',
    eventBus: {
      subscribe: jest.fn(),
      getStream: jest.fn(),
      publish: jest.fn(),
      removeAllListeners: jest.fn(),
      newScopedBus: jest.fn(),
    },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (v: string) => v,
    onChangeTimeRange: jest.fn(),
  } as unknown as PanelProps<ControlChartOptions>;
  return render(<ControlChartPanel {...props} />);
}

// Ten in-control points (sum 1010, mean 101; moving ranges 2 1 2 1 2 1 2 1 2, mean 14/9), then a
// spike: with the first 10 as baseline, UCL = 101 + 3·(14/9)/1.128 = 105.14, so 130 is beyond.
const calm = [100, 102, 101, 103, 102, 100, 101, 99, 100, 102];
const withSpike = [...calm, 130];

describe('ControlChartPanel', () => {
  it('summarizes points and violations in large text, and lists violations per rule in the legend', () => {
    renderPanel([series('latency', withSpike, 'ms')], { baselineMode: 'first', baselinePoints: 10 });
    const summary = screen.getByTestId('controlchart-summary');
    expect(summary).toHaveAttribute('aria-label', '11 points, 1 violation on 1 point: out of control');
    expect(summary).toHaveTextContent('Out of control');
    const legend = screen.getByTestId('controlchart-legend');
    expect(within(legend).getByTestId('rule-nelson-1')).toHaveTextContent('Nelson 1 · 1 point beyond 3σ: 1');
    expect(within(legend).getByTestId('rule-nelson-2')).toHaveTextContent('Nelson 2 · 9 in a row on one side: 0');
    expect(legend).toHaveTextContent('Limits from first 10 points');
    expect(legend).toHaveTextContent('UCL 105 ms'); // the field's unit
    expect(legend).toHaveTextContent('CL 101 ms');
  });

  it('says in control when no rule fires', () => {
    renderPanel([series('latency', calm)]);
    expect(screen.getByTestId('controlchart-summary')).toHaveAttribute(
      'aria-label',
      '10 points, no violations: in control'
    );
    expect(screen.getByTestId('controlchart-summary')).toHaveTextContent('In control');
  });

  it('uses the field display name', () => {
    const f = series('latency', calm);
    f.fields[1].config.displayName = 'Checkout p95';
    renderPanel([f]);
    expect(screen.getByTestId('controlchart-legend')).toHaveTextContent('Checkout p95');
  });

  it('repeats one chart per series, each named', () => {
    renderPanel([
      series('errors', calm, undefined, { region: 'eu' }),
      series('errors', withSpike, undefined, { region: 'us' }),
    ]);
    const charts = screen.getAllByTestId('controlchart');
    expect(charts).toHaveLength(2);
    expect(within(charts[0]).getByTestId('controlchart-summary')).toHaveTextContent('errors eu');
    expect(within(charts[1]).getByTestId('controlchart-summary')).toHaveTextContent('Out of control');
  });

  it('charts only the picked field', () => {
    renderPanel([series('a', calm), series('b', withSpike)], { fieldMode: 'single', field: 'b' });
    expect(screen.getAllByTestId('controlchart')).toHaveLength(1);
    expect(screen.getByTestId('controlchart-summary')).toHaveTextContent('11');
  });

  it('explains data without a time field', () => {
    renderPanel([createDataFrame({ fields: [{ name: 'mttr', type: FieldType.number, values: [1, 2] }] })]);
    expect(screen.getByTestId('controlchart-message')).toHaveTextContent('The control chart needs a time field');
  });

  it('explains data without a numeric field', () => {
    renderPanel([
      createDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: [T0] },
          { name: 'service', type: FieldType.string, values: ['api'] },
        ],
      }),
    ]);
    expect(screen.getByTestId('controlchart-message')).toHaveTextContent('No numeric field to chart');
  });

  it('explains too few points for the chart', () => {
    renderPanel([series('mttr', [3600])]);
    expect(screen.getByTestId('controlchart-message')).toHaveTextContent('mttr: the xmr chart needs at least 2 points');
  });

  it('says no data for empty frames', () => {
    renderPanel([series('mttr', [])]);
    expect(screen.getByTestId('controlchart-message')).toHaveTextContent('No data');
  });

  it('names a picked field that is not there and the ones that are', () => {
    renderPanel([series('a', calm)], { fieldMode: 'single', field: 'zzz' });
    expect(screen.getByTestId('controlchart-message')).toHaveTextContent(
      'Field "zzz" is not in the data. Fields to chart: a.'
    );
  });

  it('shows as many charts as fit and says how many are left out', () => {
    const many = Array.from({ length: 8 }, (_, i) => series('s', calm, undefined, { n: String(i) }));
    renderPanel(many, {}, { width: 600, height: 500 });
    expect(screen.getAllByTestId('controlchart')).toHaveLength(2);
    expect(screen.getByRole('status')).toHaveTextContent('Showing 2 of 8 series');
  });
});

describe('chartGrid', () => {
  it.each([
    [1, 1000, 600, { columns: 1, rows: 1, shown: 1 }],
    [2, 1000, 600, { columns: 1, rows: 2, shown: 2 }],
    // 4 do not fit one column of 600 / 220 = 2 rows; two columns of 480 fit in 1000
    [4, 1000, 600, { columns: 2, rows: 2, shown: 4 }],
    [8, 600, 500, { columns: 1, rows: 2, shown: 2 }],
  ])('%i charts in %ix%i', (n, w, h, want) => {
    expect(chartGrid(n, w, h)).toEqual(want);
  });
});

describe('findSeries', () => {
  it('skips frames without rows and charts every number field beside a time field', () => {
    const f = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0, T0 + HOUR] },
        { name: 'a', type: FieldType.number, values: [1, 2] },
        { name: 'b', type: FieldType.number, values: [3, 4] },
        { name: 'host', type: FieldType.string, values: ['x', 'y'] },
      ],
    });
    const found = findSeries([series('empty', []), f], DEFAULT_OPTIONS);
    expect(found.series.map((s) => s.name)).toEqual(['a', 'b']);
    expect(found.series[0].frameIndex).toBe(1);
  });
});

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

import { ControlChartPanel } from './ControlChartPanel';
import { DEFAULT_OPTIONS, type ControlChartOptions } from './types';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const theme = createTheme();

function mttr(values: number[]): DataFrame {
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => T0 + i * HOUR) },
      { name: 'MTTR', type: FieldType.number, values, config: { unit: 'm' } },
    ],
  });
}

const phases = createDataFrame({
  refId: 'B',
  name: 'kaizen_phases',
  fields: [
    { name: 'time', type: FieldType.time, values: [T0 + 5.5 * HOUR] },
    { name: 'time_end', type: FieldType.time, values: [T0 + 5.5 * HOUR] },
    { name: 'event', type: FieldType.string, values: ['kz-runbook'] },
    { name: 'phase', type: FieldType.string, values: ['Checkout runbook'] },
    { name: 'verdict', type: FieldType.string, values: ['improved'] },
    { name: 'verdict_code', type: FieldType.number, values: [1] },
    { name: 'verdict_text', type: FieldType.string, values: ['Improved: median 12m → 6.5m (-46%), p = 0.004'] },
  ],
});

function renderPanel(frames: DataFrame[], options: Partial<ControlChartOptions> = {}, annotations: DataFrame[] = []) {
  const data = applyFieldOverrides({
    data: frames,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: 'utc',
  });
  const timeRange = { from: dateTime(T0), to: dateTime(T0 + 12 * HOUR), raw: { from: 'now-12h', to: 'now' } };
  const props = {
    id: 1,
    data: { series: data, annotations, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 1000,
    height: 600,
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

// 10 12 11 13 12 14 before the runbook, 6 7 5 6 8 7 after: in control within each phase
// (phases.test.ts works the limits out); against one set of limits the drop is out of control.
const values = [10, 12, 11, 13, 12, 14, 6, 7, 5, 6, 8, 7];

describe('ControlChartPanel with kaizen phases', () => {
  it("charts the series, not the phase frame, and states the event's verdict in large type", () => {
    renderPanel([mttr(values), phases]);
    expect(screen.getAllByTestId('controlchart')).toHaveLength(1);
    const summary = screen.getByTestId('controlchart-summary');
    expect(summary).toHaveAttribute('aria-label', '12 points, no violations: in control');
    const verdict = within(summary).getByTestId('controlchart-phase');
    expect(verdict).toHaveTextContent('Checkout runbook✔ Improvedmedian 12m → 6.5m (-46%), p = 0.004');
    const legend = screen.getByTestId('controlchart-legend');
    expect(within(legend).getByTestId('legend-phases')).toHaveTextContent('Kaizen event: a new phase');
    expect(legend).toHaveTextContent("Limits from each phase's own points (2 phases)");
  });

  it('takes the phases from kaizen annotations too', () => {
    const anno = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [T0 + 5.5 * HOUR] },
        { name: 'title', type: FieldType.string, values: ['Kaizen deployed: Checkout runbook'] },
        { name: 'text', type: FieldType.string, values: ['owner sre\nWorsened: median 12m → 13m (+8%), p = 0.03'] },
        { name: 'tags', type: FieldType.other, values: [['kaizen', 'deployment', 'worsened']] },
      ],
    });
    renderPanel([mttr(values)], {}, [anno]);
    expect(screen.getByTestId('controlchart-phase')).toHaveTextContent('Checkout runbook✖ Worsened');
  });

  it('ignores the phases when switched off: one set of limits, and the drop is out of control', () => {
    renderPanel([mttr(values), phases], { phases: 'off' });
    expect(screen.queryByTestId('controlchart-phase')).toBeNull();
    expect(screen.queryByTestId('legend-phases')).toBeNull();
    expect(screen.getByTestId('controlchart-summary').getAttribute('aria-label')).toMatch(/out of control$/);
  });

  it('says what is missing when the data holds only phases', () => {
    renderPanel([phases]);
    expect(screen.getByText(/^Only kaizen phases in the data/)).toBeInTheDocument();
  });
});

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

import { minimumWidth, ValueStreamPanel } from './ValueStreamPanel';
import { layoutItems } from './model';
import { DEFAULT_OPTIONS, type ValueStreamOptions } from './types';

const H = 3600;
const T0 = Date.UTC(2026, 0, 1);
const theme = createTheme();

interface Spec {
  name: string;
  kind: 'active' | 'waiting';
  process: number;
  wait: number;
  wip: number;
  limit: number | null;
}

// Review queue waits longest after work starts (19h vs Backlog's 52h, which is backlog), Dev holds 14
// items against a limit of 10.
const SPECS: Spec[] = [
  { name: 'Backlog', kind: 'waiting', process: 0, wait: 52 * H, wip: 38, limit: null },
  { name: 'Dev', kind: 'active', process: 26 * H, wait: 5 * H, wip: 14, limit: 10 },
  { name: 'Review queue', kind: 'waiting', process: 0, wait: 19 * H, wip: 9, limit: null },
  { name: 'Review', kind: 'active', process: 3 * H, wait: 0, wip: 3, limit: 4 },
];

function stagesFrame(specs = SPECS): DataFrame {
  const n = (name: string, values: Array<number | null>, unit?: string) => ({
    name,
    type: FieldType.number,
    values,
    config: unit ? { unit } : {},
  });
  return createDataFrame({
    refId: 'A',
    name: 'stages',
    fields: [
      { name: 'stage', type: FieldType.string, values: specs.map((s) => s.name) },
      { name: 'kind', type: FieldType.string, values: specs.map((s) => s.kind) },
      n(
        'items',
        specs.map(() => 40)
      ),
      n(
        'wip',
        specs.map((s) => s.wip)
      ),
      n(
        'wip_limit',
        specs.map((s) => s.limit)
      ),
      ...['mean', 'median', 'p85'].map((st) =>
        n(
          `process_${st}`,
          specs.map((s) => s.process * (st === 'p85' ? 2 : 1)),
          's'
        )
      ),
      ...['mean', 'median', 'p85'].map((st) =>
        n(
          `wait_${st}`,
          specs.map((s) => s.wait * (st === 'p85' ? 2 : 1)),
          's'
        )
      ),
    ],
  });
}

function totalsFrame(items = 40): DataFrame {
  const n = (name: string, v: number | null) => ({ name, type: FieldType.number, values: [v], config: { unit: 's' } });
  return createDataFrame({
    refId: 'A',
    name: 'totals',
    fields: [
      { name: 'value_stream', type: FieldType.string, values: ['delivery'] },
      { name: 'items', type: FieldType.number, values: [items] },
      { name: 'wip', type: FieldType.number, values: [64] },
      { name: 'flow_efficiency', type: FieldType.number, values: [0.25] },
      ...['lead', 'cycle', 'process', 'wait'].flatMap((p) =>
        ['mean', 'median', 'p85'].map((st) => n(`${p}_${st}`, 100 * H))
      ),
    ],
  });
}

function itemsFrame(cycles: number[]): DataFrame {
  return createDataFrame({
    refId: 'B',
    name: 'items',
    fields: [
      { name: 'time', type: FieldType.time, values: cycles.map((_, i) => T0 + i * H) },
      { name: 'cycle_time', type: FieldType.number, values: cycles, config: { unit: 's' } },
    ],
  });
}

function renderPanel(
  frames: DataFrame[],
  options: Partial<ValueStreamOptions> = {},
  size = { width: 1400, height: 800 }
) {
  const data = applyFieldOverrides({
    data: frames,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: 'utc',
  });
  const timeRange = { from: dateTime(T0), to: dateTime(T0 + 48 * H), raw: { from: 'now-2d', to: 'now' } };
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
  } as unknown as PanelProps<ValueStreamOptions>;
  return render(<ValueStreamPanel {...props} />);
}

describe('ValueStreamPanel', () => {
  it('draws boxes for active stages and queues between them, with every number written out', () => {
    renderPanel([stagesFrame(), totalsFrame()], { showScatter: false });
    const dev = screen.getByTestId('valuestream-box-Dev');
    expect(within(dev).getByText('1.08 days')).toBeInTheDocument(); // 26h of process time
    expect(within(dev).getByText('+ 5 hours waiting inside')).toBeInTheDocument();
    expect(within(dev).getByText('40 items done')).toBeInTheDocument();
    const queue = screen.getByTestId('valuestream-queue-Review queue');
    expect(within(queue).getByText('19 hours')).toBeInTheDocument();
    expect(within(queue).getByText('WIP 9')).toBeInTheDocument();
    expect(screen.queryByTestId('valuestream-box-Backlog')).toBeNull(); // a queue, not a box
    const totals = screen.getByTestId('valuestream-totals');
    expect(within(totals).getByText('25%')).toBeInTheDocument();
    expect(within(totals).getAllByText('4.17 days')).toHaveLength(2); // lead and process time, 100h each
  });

  it('names the bottleneck and the stage over its WIP limit in words, not only colour', () => {
    renderPanel([stagesFrame(), totalsFrame()], { showScatter: false });
    const banner = screen.getByTestId('valuestream-banner');
    expect(banner).toHaveTextContent('Bottleneck: Review queue, longest wait (median 19 hours)');
    expect(banner).toHaveTextContent('Over WIP limit: Dev 14/10');
    expect(within(screen.getByTestId('valuestream-queue-Review queue')).getByText('BOTTLENECK')).toBeInTheDocument();
    expect(screen.getByTestId('valuestream-wip-Dev')).toHaveTextContent('WIP 14 / 10 over limit');
    expect(screen.getByTestId('valuestream-wip-Review')).toHaveTextContent(/^WIP 3 \/ 4$/);
  });

  it('follows the options: stat, unit and highlight rule', () => {
    renderPanel([stagesFrame(), totalsFrame()], { showScatter: false, stat: 'p85', unit: 'h', highlight: 'wip' });
    expect(within(screen.getByTestId('valuestream-box-Dev')).getByText('52.0 h')).toBeInTheDocument(); // p85 = 2 × 26h
    expect(screen.getByTestId('valuestream-banner')).toHaveTextContent('Bottleneck: Dev, WIP 14 over its limit of 10');
  });

  it('says when nothing waits and nothing is over its limit', () => {
    const calm = SPECS.filter((s) => s.kind === 'active').map((s) => ({ ...s, wait: 0, wip: 1 }));
    renderPanel([stagesFrame(calm), totalsFrame()], { showScatter: false });
    expect(screen.getByTestId('valuestream-banner')).toHaveTextContent('No bottleneck');
  });

  it('draws a one-stage stream', () => {
    const one: Spec[] = [{ name: 'Work', kind: 'active', process: 9 * H, wait: 0, wip: 3, limit: 5 }];
    renderPanel([stagesFrame(one), totalsFrame()], { showScatter: false });
    expect(within(screen.getByTestId('valuestream-box-Work')).getByText('9 hours')).toBeInTheDocument();
  });

  it('adds the cycle-time scatter with its percentiles written in the legend', () => {
    // 10 cycle times of 1..10 hours: p50 5.5h, p85 at rank 7.65 → 8.65h, p95 at 8.55 → 9.55h.
    renderPanel([stagesFrame(), totalsFrame(), itemsFrame(Array.from({ length: 10 }, (_, i) => (i + 1) * H))]);
    const legend = screen.getByTestId('valuestream-scatter-legend');
    expect(legend).toHaveTextContent('Cycle time of 10 completed items');
    expect(legend).toHaveTextContent('50% of items done within 5.50 hour');
    expect(legend).toHaveTextContent('85% of items done within 8.65 hour');
    expect(legend).toHaveTextContent('95% of items done within 9.55 hour');
  });

  it('tells how to get the scatter when the items query is missing, and when nothing was completed', () => {
    renderPanel([stagesFrame(), totalsFrame(0)]);
    expect(screen.getByRole('note')).toHaveTextContent('No item was completed in this time range');
    renderPanel([stagesFrame(), totalsFrame()]);
    expect(screen.getAllByRole('note')[1]).toHaveTextContent('Add a flow query with metric "items"');
  });

  it('explains data it cannot draw', () => {
    renderPanel([itemsFrame([H])]);
    expect(screen.getByTestId('valuestream-message')).toHaveTextContent('metric "value_stream"');
  });

  it('asks for room when the stages do not fit', () => {
    const many: Spec[] = Array.from({ length: 12 }, (_, i) => ({
      name: `S${i}`,
      kind: 'active',
      process: H,
      wait: 0,
      wip: 0,
      limit: null,
    }));
    const need = minimumWidth(layoutItems(many.map((s) => ({ ...s, items: 0, wipLimit: null }))), 0.7);
    renderPanel(
      [stagesFrame(many), totalsFrame()],
      { showScatter: false },
      { width: Math.floor(need) - 10, height: 400 }
    );
    expect(screen.getByTestId('valuestream-message')).toHaveTextContent('12 stages need at least');
  });
});

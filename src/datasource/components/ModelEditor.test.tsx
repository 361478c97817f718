import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import {
  ModelEditor,
  defaultThreshold,
  hasPValue,
  loadModelLists,
  metricGroup,
  parseNumberText,
  withFilter,
} from './ModelEditor';

const mockGetResource = jest.fn();
const mockGet = jest.fn(async () => ({ getResource: mockGetResource }));

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: mockGet }),
}));

const RESOURCES: Record<string, unknown> = {
  'values/model/model': ['churn', 'fraud'],
  'values/model/feature': ['__prediction__', 'age', 'plan'],
  'values/model/segment': ['region'],
  'model/snapshots': [
    {
      model: 'churn',
      name: 'launch',
      from: '2024-04-01T00:00:00Z',
      to: '2024-05-01T00:00:00Z',
      description: 'training window',
    },
  ],
};

function renderEditor(query: Partial<KaizenQuery>) {
  const onChange = jest.fn();
  const utils = render(
    <ModelEditor query={{ refId: 'A', queryType: 'model', datasource: { uid: 'kz' }, ...query }} onChange={onChange} />
  );
  return { onChange, ...utils };
}

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

// The lists load asynchronously; a busy CI machine can take more than waitFor's default second.
const loaded = () => waitFor(() => expect(mockGetResource).toHaveBeenCalled(), { timeout: 5000 });

async function commit(id: string, text: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  fireEvent.change(input, { target: { value: text } });
  await act(async () => {
    fireEvent.blur(input);
  });
}

describe('model editor helpers', () => {
  it('groups metrics by the options they read', () => {
    expect(metricGroup(undefined)).toBe('drift');
    expect(metricGroup('chisquare')).toBe('drift');
    expect(metricGroup('drift_lag')).toBe('lag');
    expect(metricGroup('f1')).toBe('performance');
    expect(metricGroup('mean_confidence')).toBe('performance');
    expect(metricGroup('disparate_impact_ratio')).toBe('fairness');
    expect(metricGroup('fairness')).toBe('fairness');
    expect(metricGroup('retrain')).toBe('retrain');
  });

  it('knows which statistics are tests and their default thresholds', () => {
    expect(hasPValue('ks')).toBe(true);
    expect(hasPValue('psi')).toBe(false);
    expect(defaultThreshold(undefined)).toBe('0.2');
    expect(defaultThreshold('chisquare')).toBe('0.05');
    expect(defaultThreshold('wasserstein_normed')).toBe('0.1');
    expect(defaultThreshold('wasserstein')).toMatch(/required/);
  });

  it('sets and removes filters without touching the others', () => {
    expect(withFilter({ model_version: ['v3'] }, 'model', ['churn'])).toEqual({
      model_version: ['v3'],
      model: ['churn'],
    });
    expect(withFilter({ model: ['churn'], feature: ['age'] }, 'feature', [])).toEqual({ model: ['churn'] });
    expect(withFilter(undefined, 'model', [])).toEqual({});
  });

  it('reads typed numbers within their range', () => {
    expect(parseNumberText('', 2, 100, true)).toBeUndefined();
    expect(parseNumberText(' 20 ', 2, 100, true)).toBe(20);
    expect(parseNumberText('2.5', 2, 100, true)).toBe('invalid');
    expect(parseNumberText('1', 2, 100, true)).toBe('invalid');
    expect(parseNumberText('NaN', 0, 1)).toBe('invalid');
    expect(parseNumberText('0.05', 0.000001, 0.999999)).toBe(0.05);
  });
});

describe('ModelEditor', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  beforeEach(() => {
    mockGetResource.mockReset().mockImplementation(async (path: string) => RESOURCES[path]);
    mockGet.mockClear();
  });

  it("loads the query's data source's models, features, segments and one model's snapshots", async () => {
    const lists = await loadModelLists({ uid: 'kz' }, ['churn']);
    expect(mockGet).toHaveBeenCalledWith({ uid: 'kz' });
    expect(mockGetResource).toHaveBeenCalledWith('values/model/feature', { model: ['churn'] });
    expect(mockGetResource).toHaveBeenCalledWith('model/snapshots', { model: 'churn' });
    expect(lists.models).toEqual(['churn', 'fraud']);
    expect(lists.snapshots).toEqual([
      { value: 'launch', label: 'launch', description: '2024-04-01 → 2024-05-01 · training window' },
    ]);
    mockGetResource.mockClear();
    await loadModelLists({ uid: 'kz' }, ['churn', 'fraud']);
    expect(mockGetResource).not.toHaveBeenCalledWith('model/snapshots', expect.anything());
  });

  it('writes the picked model to the model filter', async () => {
    const { onChange } = renderEditor({ metric: 'psi', filters: { model_version: ['v3'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalledWith('values/model/model'), { timeout: 5000 });
    const input = document.getElementById('kaizen-model-models')!;
    // The option list is virtualized and jsdom measures it as empty: pick with the keyboard.
    await act(async () => {
      fireEvent.click(input);
    });
    await act(async () => {
      fireEvent.keyDown(input, { key: 'ArrowDown' });
    });
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    expect(onChange).toHaveBeenLastCalledWith({ filters: { model_version: ['v3'], model: ['churn'] } });
  });

  it('shows drift options for a drift statistic: reference, bins, threshold, series', async () => {
    renderEditor({ metric: 'psi' });
    await loaded();
    expect(document.getElementById('kaizen-model-features')).not.toBeNull();
    expect(document.getElementById('kaizen-model-bins')).not.toBeNull();
    expect(document.getElementById('kaizen-model-window')).not.toBeNull();
    expect(screen.getByText('Threshold')).toBeInTheDocument();
    expect(screen.queryByText('p-value')).toBeNull();
    expect(document.getElementById('kaizen-model-positive')).toBeNull();
  });

  it('offers the p-value series and alpha for a test, and no bins', async () => {
    const { onChange } = renderEditor({ metric: 'ks' });
    await loaded();
    expect(document.getElementById('kaizen-model-bins')).toBeNull();
    expect(screen.getByText('Alpha')).toBeInTheDocument();
    fireEvent.click(screen.getByText('p-value'));
    expect(onChange).toHaveBeenLastCalledWith({ model: { output: 'p_value' } });
  });

  it('commits thresholds and bins on blur, and refuses what is out of range', async () => {
    const { onChange } = renderEditor({ metric: 'psi', model: { bins: 10 } });
    await loaded();
    await commit('kaizen-model-threshold', '0.25');
    expect(onChange).toHaveBeenLastCalledWith({ model: { bins: 10, threshold: 0.25 } });
    onChange.mockClear();
    await commit('kaizen-model-bins', '1');
    expect(onChange).not.toHaveBeenCalled();
    expect((document.getElementById('kaizen-model-bins') as HTMLInputElement).value).toBe('10');
    await commit('kaizen-model-bins', '');
    expect(onChange).toHaveBeenLastCalledWith({ model: { bins: undefined } });
  });

  it('switches the reference to a fixed range and to a snapshot', async () => {
    const { onChange, rerender } = renderEditor({ metric: 'psi', filters: { model: ['churn'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalledWith('model/snapshots', { model: 'churn' }), {
      timeout: 5000,
    });
    fireEvent.click(screen.getByText('Fixed range'));
    expect(onChange).toHaveBeenLastCalledWith({ model: { reference: { type: 'range' } } });
    rerender(
      <ModelEditor
        query={{
          refId: 'A',
          queryType: 'model',
          datasource: { uid: 'kz' },
          metric: 'psi',
          filters: { model: ['churn'] },
          model: { reference: { type: 'range' } },
        }}
        onChange={onChange}
      />
    );
    expect(screen.getAllByText('Required')).toHaveLength(2);
    await commit('kaizen-model-ref-from', '2024-04-01T00:00:00Z');
    expect(onChange).toHaveBeenLastCalledWith({
      model: { reference: { type: 'range', from: '2024-04-01T00:00:00Z' } },
    });
    fireEvent.click(screen.getByText('Snapshot'));
    expect(onChange).toHaveBeenLastCalledWith({ model: { reference: { type: 'snapshot' } } });
  });

  it('names the snapshot a query uses even when it is not listed', async () => {
    renderEditor({
      metric: 'psi',
      filters: { model: ['fraud'] },
      model: { reference: { type: 'snapshot', snapshot: 'gone' } },
    });
    await loaded();
    expect((document.getElementById('kaizen-model-snapshot') as HTMLInputElement).value).toBe('gone');
  });

  it('asks for the positive class and segment of performance and fairness, and requires the segment for fairness', async () => {
    const { onChange } = renderEditor({ metric: 'f1' });
    await loaded();
    expect(document.getElementById('kaizen-model-features')).toBeNull();
    expect(document.getElementById('kaizen-model-window')).toBeNull();
    await commit('kaizen-model-positive', 'churn');
    expect(onChange).toHaveBeenLastCalledWith({ model: { positive: 'churn' } });
    await commit('kaizen-model-score-threshold', '0.7');
    expect(onChange).toHaveBeenLastCalledWith({ model: { scoreThreshold: 0.7 } });
    expect(screen.queryByText('Choose the segment label to compare')).toBeNull();
  });

  it('requires a segment for fairness metrics', async () => {
    renderEditor({ metric: 'demographic_parity_difference' });
    expect(await screen.findByText('Choose the segment label to compare')).toBeInTheDocument();
  });

  it('sets the retraining trigger and asks for the performance threshold once a metric is chosen', async () => {
    const { onChange } = renderEditor({ metric: 'retrain', model: { retrain: { performanceMetric: 'mae' } } });
    await loaded();
    expect(screen.getByText('above')).toBeInTheDocument(); // lower is better for MAE
    expect(screen.getByText('Required')).toBeInTheDocument();
    await commit('kaizen-model-retrain-consecutive', '2');
    expect(onChange).toHaveBeenLastCalledWith({ model: { retrain: { performanceMetric: 'mae', consecutive: 2 } } });
    await commit('kaizen-model-retrain-perf-threshold', '4.5');
    expect(onChange).toHaveBeenLastCalledWith({
      model: { retrain: { performanceMetric: 'mae', performanceThreshold: 4.5 } },
    });
    expect(document.getElementById('kaizen-model-alert-at')).toBeNull();
  });

  it('takes the alert time of the drift lag', async () => {
    const { onChange } = renderEditor({ metric: 'drift_lag' });
    await loaded();
    await commit('kaizen-model-alert-at', 'now-2d');
    expect(onChange).toHaveBeenLastCalledWith({ model: { alertAt: 'now-2d' } });
    expect(document.getElementById('kaizen-model-retrain-perf')).toBeNull();
  });

  it('says when the lists cannot be loaded', async () => {
    mockGetResource.mockRejectedValue(new Error('store unreachable'));
    renderEditor({ metric: 'psi' });
    expect(await screen.findByText('Could not list models: store unreachable')).toBeInTheDocument();
  });
});

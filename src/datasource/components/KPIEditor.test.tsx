import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { KPIEditor, loadKPIOptions } from './KPIEditor';

const mockGetResource = jest.fn();
const mockGet = jest.fn(async () => ({ getResource: mockGetResource }));

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: mockGet }),
}));

const KPIS = [
  { id: 'availability', name: 'Availability', owner: 'sre', status: 'active' },
  { id: 'tickets_backlog', name: 'tickets_backlog', owner: '', status: 'retired' },
];

function renderEditor(query: Partial<KaizenQuery>) {
  const onChange = jest.fn();
  render(
    <KPIEditor query={{ refId: 'A', queryType: 'kpi', datasource: { uid: 'kz' }, ...query }} onChange={onChange} />
  );
  return onChange;
}

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('KPIEditor', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  beforeEach(() => {
    mockGetResource.mockReset().mockResolvedValue(KPIS);
    mockGet.mockClear();
  });

  it("offers the query's data source's KPI definitions, with owner and status", async () => {
    expect(await loadKPIOptions({ uid: 'kz' })).toEqual([
      { value: 'availability', label: 'Availability (availability)', description: 'owner sre' },
      { value: 'tickets_backlog', label: 'tickets_backlog', description: 'retired' },
    ]);
    expect(mockGet).toHaveBeenCalledWith({ uid: 'kz' });
    expect(mockGetResource).toHaveBeenCalledWith('kpis');
  });

  it('writes the picked KPIs to kpi.kpis', async () => {
    const onChange = renderEditor({ metric: 'attainment' });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
    const input = document.getElementById('kaizen-kpi-kpis')!;
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
    expect(onChange).toHaveBeenLastCalledWith({ kpi: { kpis: ['availability'] } });
  });

  it('keeps a named KPI that is no longer defined visible', async () => {
    renderEditor({ metric: 'value', kpi: { kpis: ['gone'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
    expect(await screen.findByText('gone')).toBeInTheDocument();
  });

  it('asks for the stale threshold only for the stale audit', async () => {
    const onChange = renderEditor({ metric: 'stale' });
    const days = document.getElementById('kaizen-kpi-stale-days') as HTMLInputElement;
    fireEvent.change(days, { target: { value: '45' } });
    fireEvent.blur(days);
    expect(onChange).toHaveBeenLastCalledWith({ kpi: { staleDays: 45 } });
    fireEvent.change(days, { target: { value: '' } });
    fireEvent.blur(days);
    expect(onChange).toHaveBeenLastCalledWith({ kpi: { staleDays: undefined } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('hides the stale threshold for series metrics, and switches retired KPIs on', async () => {
    const onChange = renderEditor({ metric: 'value', kpi: { staleDays: 10 } });
    expect(document.getElementById('kaizen-kpi-stale-days')).toBeNull();
    fireEvent.click(document.getElementById('kaizen-kpi-include-retired')!);
    expect(onChange).toHaveBeenLastCalledWith({ kpi: { staleDays: 10, includeRetired: true } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('says when the definitions cannot be listed', async () => {
    mockGetResource.mockRejectedValue(new Error('store unreachable'));
    renderEditor({ metric: 'value' });
    expect(await screen.findByText('Could not list KPIs: store unreachable')).toBeInTheDocument();
  });
});

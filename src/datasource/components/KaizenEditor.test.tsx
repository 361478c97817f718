import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { KaizenEditor, loadEventOptions } from './KaizenEditor';

const mockGetResource = jest.fn();
const mockGet = jest.fn(async () => ({ getResource: mockGetResource }));

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: mockGet }),
}));

const EVENTS = [
  { id: 'kz-runbook', name: 'Checkout runbook', owner: 'sre', status: 'deployed', archived_at: null },
  { id: 'kz-old', name: 'kz-old', owner: '', status: 'abandoned', archived_at: '2025-05-01T00:00:00Z' },
];

function renderEditor(query: Partial<KaizenQuery>) {
  const onChange = jest.fn();
  render(
    <KaizenEditor
      query={{ refId: 'A', queryType: 'kaizen', datasource: { uid: 'kz' }, ...query }}
      onChange={onChange}
    />
  );
  return onChange;
}

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

const blurWith = (id: string, value: string) => {
  const input = document.getElementById(id) as HTMLInputElement;
  fireEvent.change(input, { target: { value } });
  fireEvent.blur(input);
};

describe('KaizenEditor', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  beforeEach(() => {
    mockGetResource.mockReset().mockResolvedValue(EVENTS);
    mockGet.mockClear();
  });

  it("offers the query's data source's events, archived ones marked", async () => {
    expect(await loadEventOptions({ uid: 'kz' })).toEqual([
      { value: 'kz-runbook', label: 'Checkout runbook (kz-runbook)', description: 'owner sre · deployed' },
      { value: 'kz-old', label: 'kz-old', description: 'abandoned · archived' },
    ]);
    expect(mockGet).toHaveBeenCalledWith({ uid: 'kz' });
    expect(mockGetResource).toHaveBeenCalledWith('kaizen/events', { archived: '1' });
  });

  it('writes the picked events to kaizen.events', async () => {
    const onChange = renderEditor({ metric: 'impact' });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
    const input = document.getElementById('kaizen-kaizen-events')!;
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
    expect(onChange).toHaveBeenLastCalledWith({ kaizen: { events: ['kz-runbook'] } });
  });

  it('reads window overrides and statistics, and drops what is cleared', async () => {
    const onChange = renderEditor({ metric: 'impact', kaizen: { events: ['kz-runbook'] } });
    blurWith('kaizen-kaizen-baseline', ' 60d ');
    expect(onChange).toHaveBeenLastCalledWith({ kaizen: { events: ['kz-runbook'], baseline: '60d' } });
    blurWith('kaizen-kaizen-alpha', '0.01');
    expect(onChange).toHaveBeenLastCalledWith({ kaizen: { events: ['kz-runbook'], alpha: 0.01 } });
    blurWith('kaizen-kaizen-min-n', 'lots');
    expect(onChange).toHaveBeenLastCalledWith({ kaizen: { events: ['kz-runbook'] } });
    blurWith('kaizen-kaizen-settling', '');
    expect(onChange).toHaveBeenLastCalledWith({ kaizen: { events: ['kz-runbook'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('offers the alert number of impact and sustainability in time series format only', async () => {
    renderEditor({ metric: 'sustainability' });
    expect((document.getElementById('kaizen-kaizen-value') as HTMLInputElement).value).toBe('Lost');
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('hides what does not apply: no alert number for tables, no windows for the backlog', async () => {
    renderEditor({ metric: 'impact', format: 'table' });
    expect(document.getElementById('kaizen-kaizen-value')).toBeNull();
    expect(document.getElementById('kaizen-kaizen-baseline')).not.toBeNull();
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('shows no windows or statistics for velocity', async () => {
    renderEditor({ metric: 'velocity' });
    expect(document.getElementById('kaizen-kaizen-baseline')).toBeNull();
    expect(document.getElementById('kaizen-kaizen-value')).toBeNull();
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
  });

  it('keeps a named event that no longer exists visible', async () => {
    renderEditor({ metric: 'impact', kaizen: { events: ['kz-gone'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
    expect(await screen.findByText('kz-gone')).toBeInTheDocument();
  });

  it('says when the events cannot be listed', async () => {
    mockGetResource.mockRejectedValue(new Error('store unreachable'));
    renderEditor({ metric: 'impact' });
    expect(await screen.findByText('Could not list kaizen events: store unreachable')).toBeInTheDocument();
  });
});

import React from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { FlowEditor, loadStreamOptions } from './FlowEditor';

const mockGetResource = jest.fn();
const mockGet = jest.fn(async () => ({ getResource: mockGetResource }));

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: mockGet }),
}));

const STREAMS = [
  {
    name: 'delivery',
    description: '',
    stages: [
      { name: 'Backlog', kind: 'waiting', wip_limit: null },
      { name: 'Dev', kind: 'active', wip_limit: 3 },
    ],
  },
  { name: 'ops', description: '', stages: [{ name: 'Work', kind: 'active', wip_limit: null }] },
];

function renderEditor(query: Partial<KaizenQuery>) {
  const onChange = jest.fn();
  render(
    <FlowEditor query={{ refId: 'A', queryType: 'flow', datasource: { uid: 'kz' }, ...query }} onChange={onChange} />
  );
  return onChange;
}

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('FlowEditor', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  beforeEach(() => {
    mockGetResource.mockReset().mockResolvedValue(STREAMS);
    mockGet.mockClear();
  });

  it("lists the data source's value streams with their stages", async () => {
    expect(await loadStreamOptions({ uid: 'kz' })).toEqual([
      { value: 'delivery', label: 'delivery', description: 'Backlog → Dev' },
      { value: 'ops', label: 'ops', description: 'Work' },
    ]);
    expect(mockGetResource).toHaveBeenCalledWith('flow/streams');
  });

  it('writes the picked stream as the value_stream filter, keeping other filters', async () => {
    const onChange = renderEditor({ metric: 'value_stream', filters: { team: ['core'] } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());
    const input = document.getElementById('kaizen-flow-stream')!;
    // The option list is virtualized and jsdom measures it as empty: type and pick with the keyboard.
    await act(async () => {
      fireEvent.click(input);
    });
    await act(async () => {
      fireEvent.change(input, { target: { value: 'ops' } });
    });
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    expect(onChange).toHaveBeenLastCalledWith({ filters: { team: ['core'], value_stream: ['ops'] } });
  });

  it('shows options only where they apply', async () => {
    let onChange = renderEditor({ metric: 'stage_time' });
    fireEvent.click(screen.getByLabelText('wait'));
    expect(onChange).toHaveBeenLastCalledWith({ flow: { part: 'wait' } });
    fireEvent.click(document.getElementById('kaizen-flow-p85')!);
    expect(onChange).toHaveBeenLastCalledWith({ stat: 'p85' });
    expect(document.getElementById('kaizen-flow-cumulative')).toBeNull();
    await waitFor(() => expect(mockGetResource).toHaveBeenCalled());

    cleanup();
    onChange = renderEditor({ metric: 'arrivals' });
    fireEvent.click(document.getElementById('kaizen-flow-cumulative')!);
    expect(onChange).toHaveBeenLastCalledWith({ flow: { cumulative: true } });
    expect(document.getElementById('kaizen-flow-p85')).toBeNull();

    cleanup();
    onChange = renderEditor({ metric: 'items' });
    const rows = document.getElementById('kaizen-flow-max-items') as HTMLInputElement;
    fireEvent.change(rows, { target: { value: '500' } });
    fireEvent.blur(rows);
    expect(onChange).toHaveBeenLastCalledWith({ flow: { maxItems: 500 } });
    await waitFor(() => expect(mockGetResource).toHaveBeenCalledTimes(3));
  });

  it('says when the streams cannot be listed', async () => {
    mockGetResource.mockRejectedValue(new Error('store unreachable'));
    renderEditor({ metric: 'lead_time' });
    expect(await screen.findByText('Could not list value streams: store unreachable')).toBeInTheDocument();
  });
});

import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { DataSource } from '../datasource';
import type { KaizenQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function fakeDatasource(values: Record<string, string[]>): DataSource {
  return { dimensionValues: jest.fn(async (d: string) => values[d] ?? []) } as unknown as DataSource;
}

function renderEditor(query: Partial<KaizenQuery>, ds = fakeDatasource({ service: ['api', 'web'] })) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(<QueryEditor query={{ refId: 'A', ...query }} datasource={ds} onChange={onChange} onRunQuery={onRunQuery} />);
  return { onChange, onRunQuery, ds };
}

describe('QueryEditor', () => {
  it('shows the stat picker for duration metrics and MTTR interval options', () => {
    renderEditor({ queryType: 'incidents', metric: 'mttr', stat: 'p90' });
    expect(document.getElementById('kaizen-stat')).not.toBeNull();
    expect(document.getElementById('kaizen-incident-start')).not.toBeNull();
    expect((document.getElementById('kaizen-stat') as HTMLInputElement).value).toBe('p90');
  });

  it('hides the stat picker for counts', () => {
    renderEditor({ queryType: 'incidents', metric: 'open' });
    expect(document.getElementById('kaizen-stat')).toBeNull();
    expect(document.getElementById('kaizen-incident-start')).toBeNull();
  });

  it('loads filter values for every incident dimension', async () => {
    const { ds } = renderEditor({ queryType: 'incidents', metric: 'count' });
    await waitFor(() => expect(ds.dimensionValues).toHaveBeenCalledTimes(5));
    expect((ds.dimensionValues as jest.Mock).mock.calls.map((c) => c[0])).toEqual(['service', 'team', 'severity', 'detected_by', 'source']);
  });

  it('switches to table format and runs the query', () => {
    const { onChange, onRunQuery } = renderEditor({ queryType: 'incidents', metric: 'count', format: 'timeseries' });
    fireEvent.click(screen.getByLabelText('Table'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ format: 'table', metric: 'count' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('fills defaults for a new query', () => {
    renderEditor({});
    expect((document.getElementById('kaizen-metric') as HTMLInputElement).value).toBe('MTTR');
    expect((document.getElementById('kaizen-bucket') as HTMLInputElement).value).toBe('auto');
  });
});

import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { DataSource } from '../datasource';
import type { KaizenQuery } from '../types';
import { AdoptionEditor } from './AdoptionEditor';
import { AnnotationsQueryEditor } from './AnnotationsEditor';
import { DeliveryEditor } from './DeliveryEditor';

describe('DeliveryEditor', () => {
  it('turns the DORA band on', () => {
    const onChange = jest.fn();
    render(<DeliveryEditor query={{ refId: 'A', queryType: 'delivery', metric: 'lead_time' }} onChange={onChange} />);
    fireEvent.click(document.getElementById('kaizen-delivery-band')!);
    expect(onChange).toHaveBeenCalledWith({ delivery: { band: true } });
  });

  it('has no band for failed deployments, and says production counts by default', () => {
    render(
      <DeliveryEditor
        query={{ refId: 'A', queryType: 'delivery', metric: 'failed_deployments' }}
        onChange={jest.fn()}
      />
    );
    expect(document.getElementById('kaizen-delivery-band')).toBeNull();
    expect(screen.getByText(/production deployments only/)).toBeInTheDocument();
  });

  it('drops the production note once an environment is chosen', () => {
    render(
      <DeliveryEditor
        query={{ refId: 'A', queryType: 'delivery', metric: 'deployments', filters: { environment: ['staging'] } }}
        onChange={jest.fn()}
      />
    );
    expect(screen.queryByText(/production deployments only/)).toBeNull();
  });
});

describe('AdoptionEditor', () => {
  it('offers the activity window for rates', () => {
    render(
      <AdoptionEditor
        query={{ refId: 'A', queryType: 'adoption', metric: 'adoption_rate', adoption: { window: '7d' } }}
        onChange={jest.fn()}
      />
    );
    expect((document.getElementById('kaizen-adoption-window') as HTMLInputElement).value).toBe('7 days');
  });

  it('bounds the retention weeks', () => {
    const onChange = jest.fn();
    render(<AdoptionEditor query={{ refId: 'A', queryType: 'adoption', metric: 'retention' }} onChange={onChange} />);
    const input = document.getElementById('kaizen-adoption-weeks')!;
    fireEvent.change(input, { target: { value: '8' } });
    expect(onChange).toHaveBeenLastCalledWith({ adoption: { weeks: 8 } });
    fireEvent.change(input, { target: { value: '99' } });
    expect(onChange).toHaveBeenLastCalledWith({ adoption: { weeks: undefined } });
  });

  it('has nothing to set for DAU', () => {
    const { container } = render(
      <AdoptionEditor query={{ refId: 'A', queryType: 'adoption', metric: 'dau' }} onChange={jest.fn()} />
    );
    expect(container).toBeEmptyDOMElement();
  });
});

describe('AnnotationsQueryEditor', () => {
  function fakeDatasource(values: Record<string, string[]>): DataSource {
    return {
      getResource: jest.fn(async (path: string) => values[path.replace('values/annotations/', '')] ?? []),
    } as unknown as DataSource;
  }

  it('loads values for every filter from the annotations value lists', async () => {
    const ds = fakeDatasource({ service: ['api', 'web'] });
    render(
      <AnnotationsQueryEditor query={{ refId: 'Anno' }} datasource={ds} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    await waitFor(() => expect(ds.getResource).toHaveBeenCalledTimes(5));
    expect((ds.getResource as jest.Mock).mock.calls.map((c) => c[0])).toEqual([
      'values/annotations/service',
      'values/annotations/team',
      'values/annotations/severity',
      'values/annotations/environment',
      'values/annotations/status',
    ]);
    expect((document.getElementById('kaizen-annotations-show') as HTMLInputElement).value).toBe(
      'Incidents and deployments'
    );
  });

  it('shows the chosen events', () => {
    const q: KaizenQuery = { refId: 'Anno', queryType: 'annotations', metric: 'deployments' };
    render(
      <AnnotationsQueryEditor query={q} datasource={fakeDatasource({})} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    expect((document.getElementById('kaizen-annotations-show') as HTMLInputElement).value).toBe('Deployments');
  });
});

import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { KaizenOptions, KaizenSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

function settings(patch: Partial<DataSourceSettings<KaizenOptions, KaizenSecureOptions>> = {}) {
  return {
    id: 1,
    uid: 'kz',
    orgId: 1,
    name: 'Kaizen Ops',
    type: 'kaizenops-metrics-datasource',
    typeName: 'Kaizen Ops metrics',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    ...patch,
  } as DataSourceSettings<KaizenOptions, KaizenSecureOptions>;
}

describe('ConfigEditor', () => {
  it('writes the store path to jsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('kaizen-store-path')!, { target: { value: '/data/k.db' } });
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { path: '/data/k.db' } }));
  });

  it('keeps the ingest token in secureJsonData, never jsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('kaizen-ingest-token')!, { target: { value: 'tok' } });
    const next = onOptionsChange.mock.calls[0][0];
    expect(next.secureJsonData).toEqual({ ingestToken: 'tok' });
    expect(JSON.stringify(next.jsonData)).not.toContain('tok');
  });

  it('shows a configured token as configured and resets it', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({ secureJsonFields: { ingestToken: true } })} onOptionsChange={onOptionsChange} />);
    fireEvent.click(screen.getByRole('button', { name: /reset/i }));
    expect(onOptionsChange.mock.calls[0][0].secureJsonFields).toEqual({ ingestToken: false });
  });

  it('stores the ingest limit in bytes', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('kaizen-max-ingest')!, { target: { value: '32' } });
    expect(onOptionsChange.mock.calls[0][0].jsonData.maxIngestBytes).toBe(32 * 1024 * 1024);
  });
});

import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { KaizenOptions, KaizenSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { positiveInt } from './PostgresSettings';

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
    render(
      <ConfigEditor options={settings({ secureJsonFields: { ingestToken: true } })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.click(screen.getByRole('button', { name: /reset/i }));
    expect(onOptionsChange.mock.calls[0][0].secureJsonFields).toEqual({ ingestToken: false });
  });

  it('stores the ingest limit in bytes', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('kaizen-max-ingest')!, { target: { value: '32' } });
    expect(onOptionsChange.mock.calls[0][0].jsonData.maxIngestBytes).toBe(32 * 1024 * 1024);
  });

  it('shows the SQLite file by default and no PostgreSQL fields', () => {
    render(<ConfigEditor options={settings()} onOptionsChange={jest.fn()} />);
    expect(screen.getByLabelText('Embedded SQLite')).toBeChecked();
    expect(document.getElementById('kaizen-store-path')).not.toBeNull();
    expect(document.getElementById('kaizen-pg-host')).toBeNull();
  });
});

type Options = DataSourceSettings<KaizenOptions, KaizenSecureOptions>;

/** Keeps the options as Grafana does between edits, and records every change. */
function Harness({ initial, changes }: { initial: Options; changes: Options[] }) {
  const [options, setOptions] = useState(initial);
  return (
    <ConfigEditor
      options={options}
      onOptionsChange={(o) => {
        changes.push(o);
        setOptions(o);
      }}
    />
  );
}

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });

describe('ConfigEditor on PostgreSQL', () => {
  it('switches the store type and shows the PostgreSQL fields instead of the file', () => {
    const changes: Options[] = [];
    render(<Harness initial={settings()} changes={changes} />);
    fireEvent.click(screen.getByLabelText('PostgreSQL'));
    expect(changes[changes.length - 1].jsonData.store).toBe('postgres');
    expect(document.getElementById('kaizen-store-path')).toBeNull();
    expect(document.getElementById('kaizen-pg-host')).not.toBeNull();
    expect(screen.getByLabelText('require')).toBeChecked(); // the default TLS mode
  });

  it('writes the connection, TLS and pool settings to jsonData with numbers as numbers', () => {
    const changes: Options[] = [];
    render(<Harness initial={settings({ jsonData: { store: 'postgres' } })} changes={changes} />);
    type('kaizen-pg-host', 'db.internal');
    type('kaizen-pg-port', '6432');
    type('kaizen-pg-database', 'ops');
    type('kaizen-pg-user', 'grafana');
    type('kaizen-pg-schema', 'kaizen');
    fireEvent.click(screen.getByLabelText('verify-full'));
    type('kaizen-pg-ca-file', '/etc/ssl/pg-ca.pem');
    type('kaizen-pg-max-open', '20');
    type('kaizen-pg-max-idle', '5');
    type('kaizen-pg-lifetime', '600');
    type('kaizen-pg-connect-timeout', '3');
    expect(changes[changes.length - 1].jsonData).toEqual({
      store: 'postgres',
      host: 'db.internal',
      port: 6432,
      database: 'ops',
      user: 'grafana',
      schema: 'kaizen',
      sslmode: 'verify-full',
      sslRootCertFile: '/etc/ssl/pg-ca.pem',
      maxOpenConns: 20,
      maxIdleConns: 5,
      connMaxLifetime: 600,
      connectTimeout: 3,
    });
    // Clearing a number goes back to the default (undefined), shown as the placeholder.
    type('kaizen-pg-port', '');
    expect(changes[changes.length - 1].jsonData.port).toBeUndefined();
    expect(document.getElementById('kaizen-pg-port')).toHaveAttribute('placeholder', '5432');
  });

  it('sends the password and the CA certificate only in secureJsonData', () => {
    const password = 'S3cret-pw!';
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const changes: Options[] = [];
    render(<Harness initial={settings({ jsonData: { store: 'postgres' } })} changes={changes} />);
    type('kaizen-pg-host', 'db');
    type('kaizen-pg-password', password);
    fireEvent.click(screen.getByLabelText('Certificate content'));
    type('kaizen-pg-ca-content', pem);
    type('kaizen-pg-user', 'grafana');
    const last = changes[changes.length - 1];
    expect(last.secureJsonData).toEqual({ password, tlsCACert: pem });
    for (const c of changes) {
      const visible = JSON.stringify({ ...c, secureJsonData: undefined });
      expect(visible).not.toContain(password);
      expect(visible).not.toContain('MIIB');
    }
    expect(document.getElementById('kaizen-pg-password')).toHaveAttribute('type', 'password');
  });

  it('shows a configured password as configured and resets it', () => {
    const changes: Options[] = [];
    render(
      <Harness
        initial={settings({
          jsonData: { store: 'postgres', sslmode: 'disable' },
          secureJsonFields: { password: true },
        })}
        changes={changes}
      />
    );
    expect(document.getElementById('kaizen-pg-password')).toHaveValue('configured');
    expect(document.getElementById('kaizen-pg-password')).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: /reset/i })); // the only secret configured

    expect(changes[0].secureJsonFields).toEqual({ password: false });
    expect(changes[0].secureJsonData).toEqual({ password: '' });
  });

  it('keeps one CA source: choosing the file drops a configured certificate', () => {
    const changes: Options[] = [];
    render(
      <Harness
        initial={settings({
          jsonData: { store: 'postgres', sslmode: 'verify-ca' },
          secureJsonFields: { tlsCACert: true },
        })}
        changes={changes}
      />
    );
    expect(screen.getByLabelText('Certificate content')).toBeChecked();
    fireEvent.click(screen.getByLabelText('File path on the Grafana host'));
    expect(changes[0].secureJsonFields).toEqual({ tlsCACert: false });
    expect(changes[0].secureJsonData).toEqual({ tlsCACert: '' });
    type('kaizen-pg-ca-file', '/etc/ca.pem');
    fireEvent.click(screen.getByLabelText('Certificate content'));
    expect(changes[changes.length - 1].jsonData.sslRootCertFile).toBeUndefined();
  });

  it('hides the CA when TLS is off', () => {
    render(
      <ConfigEditor
        options={settings({ jsonData: { store: 'postgres', sslmode: 'disable' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(document.getElementById('kaizen-pg-ca-file')).toBeNull();
    expect(screen.queryByText('CA certificate')).toBeNull();
  });
});

describe('positiveInt', () => {
  it.each([
    ['5432', 5432],
    [' 10 ', 10],
    ['', undefined],
    ['0', undefined],
    ['-3', undefined],
    ['1.5', undefined],
    ['abc', undefined],
  ])('%p -> %p', (text, want) => {
    expect(positiveInt(text)).toBe(want);
  });
});

import React from 'react';
import { render as rtlRender, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { demoStatus, emptyStatus } from './importFixtures';
import { SetupPage } from './SetupPage';
import { kindRows, nextStep } from './setupModel';
import { fakeBackend, type Call } from './testUtils';

const mockRuntime = {
  fetch: jest.fn(),
  sources: [{ uid: 'kz', name: 'Kaizen Ops' }] as Array<{ uid: string; name: string }>,
};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => mockRuntime.sources }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

const HEALTH = '/api/datasources/uid/kz/health';

const healthy = (counts: Record<string, number>) => ({
  body: {
    status: 'OK',
    message: 'SQLite /data/kaizen.db, schema version 53: …',
    details: { store: 'SQLite /data/kaizen.db', schemaVersion: 53, counts },
  },
});

function backend(route: (c: Call) => { status?: number; body: unknown } | undefined) {
  const b = fakeBackend(route);
  mockRuntime.fetch = b.fetch;
  return b;
}

// Grafana renders app pages inside its router; links need one.
const render = (ui: React.ReactElement) =>
  rtlRender(<MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>);

jest.setTimeout(30_000);

describe('SetupPage', () => {
  beforeEach(() => {
    mockRuntime.sources = [{ uid: 'kz', name: 'Kaizen Ops' }];
  });

  it('shows health, driver, schema, what is configured, and rows and last ingest per kind', async () => {
    backend((c) =>
      c.path === HEALTH ? healthy({ incidents: 1184 }) : c.path === 'kz:status' ? { body: demoStatus() } : undefined
    );
    render(<SetupPage />);
    const section = await screen.findByRole('region', { name: 'Data source Kaizen Ops' });
    expect(within(section).getByText('Store OK')).toBeInTheDocument();
    expect(screen.getByTestId('setup-stat-driver')).toHaveTextContent('PostgreSQL');
    expect(screen.getByTestId('setup-stat-schema-version')).toHaveTextContent('53');
    // 1184 + 9420 + 48210 + 259200 + 2400000 + 0 = 2718014
    expect(screen.getByTestId('setup-stat-events-stored')).toHaveTextContent('2,718,014');
    expect(within(section).getByText(/configured: the prometheus query type/)).toBeInTheDocument();
    expect(within(section).getByText(/set: senders without a Grafana role/)).toBeInTheDocument();
    expect(screen.getByTestId('setup-kind-incidents')).toHaveTextContent(
      /incidents1,1842026-01-07 22:15 UTC \(\d+ days? ago\)/
    );
    expect(screen.getByTestId('setup-kind-observations')).toHaveTextContent(
      'not tracked: 2400000 rows and no index on ingested_at'
    );
    expect(screen.getByTestId('setup-kind-postmortems')).toHaveTextContent('no data yet');
    expect(screen.queryByText('Next step')).not.toBeInTheDocument();
    expect(screen.getByText('Data source settings').closest('a')).toHaveAttribute(
      'href',
      '/connections/datasources/edit/kz'
    );
    expect(screen.getByText('Import data').closest('a')).toHaveAttribute('href', '/a/kaizenops-suite-app/import');
    expect(screen.getByText('Documentation').closest('a')).toHaveAttribute('href', '/plugins/kaizenops-suite-app');
  });

  it('tells a new user the next step when the store is empty', async () => {
    backend((c) =>
      c.path === HEALTH ? healthy({ incidents: 0 }) : c.path === 'kz:status' ? { body: emptyStatus() } : undefined
    );
    render(<SetupPage />);
    expect(await screen.findByText('Next step')).toBeInTheDocument();
    expect(
      screen.getByText(/This store is empty\. Import a file .* or load the demo data set with/)
    ).toBeInTheDocument();
    expect(screen.getByText('kaizen demo --db <store file or postgres:// URL>').tagName).toBe('STRONG');
    expect(screen.getAllByText('Import data').map((e) => e.closest('a')?.getAttribute('href'))).toEqual([
      '/a/kaizenops-suite-app/import',
      '/a/kaizenops-suite-app/import',
    ]);
    expect(screen.getByText(/not configured: events are in the embedded SQLite file/)).toBeInTheDocument();
    expect(screen.getByText(/not set: only Editors and Admins can write/)).toBeInTheDocument();
    expect(screen.getByTestId('setup-kind-incidents')).toHaveTextContent('no data yet');
  });

  it('shows an unreachable store in words and colour, with what to fix', async () => {
    backend((c) =>
      c.path === HEALTH
        ? {
            status: 400,
            body: {
              status: 'ERROR',
              message: 'PostgreSQL kaizen@db:5432/kaizen: store unreachable: connection refused',
            },
          }
        : c.path === 'kz:status'
          ? {
              status: 503,
              body: { error: 'PostgreSQL kaizen@db:5432/kaizen: reading the schema version: connection refused' },
            }
          : undefined
    );
    render(<SetupPage />);
    expect(await screen.findByText('Store error')).toBeInTheDocument();
    expect(screen.getByTestId('setup-stat-reachable')).toHaveTextContent('No');
    expect(
      screen.getByText('PostgreSQL kaizen@db:5432/kaizen: store unreachable: connection refused')
    ).toBeInTheDocument();
    expect(screen.getByText('The store does not answer')).toBeInTheDocument();
    // The driver still shows, from the health message's store description.
    expect(screen.getByTestId('setup-stat-driver')).toHaveTextContent('PostgreSQL');
  });

  it('falls back to the health check’s counts on a backend without GET status', async () => {
    backend((c) => (c.path === HEALTH ? healthy({ incidents: 7, deployments: 5 }) : undefined));
    render(<SetupPage />);
    // 7 + 5 = 12
    expect(await screen.findByTestId('setup-stat-events-stored')).toHaveTextContent('12');
    expect(
      screen.getByText(/Counts and last ingest per kind are not available: no route for GET kz:status/)
    ).toBeInTheDocument();
    expect(screen.getByTestId('setup-stat-driver')).toHaveTextContent('SQLite (embedded)');
  });

  it('says when the health check itself did not answer', async () => {
    mockRuntime.fetch = jest.fn((req: { url: string }) => {
      throw new Error(`network down: ${req.url}`);
    });
    render(<SetupPage />);
    expect(
      await screen.findByText('The health check did not answer: network down: /api/datasources/uid/kz/health')
    ).toBeInTheDocument();
  });

  it('asks to add a data source when there is none', async () => {
    mockRuntime.sources = [];
    backend(() => undefined);
    render(<SetupPage />);
    expect(await screen.findByText('No Kaizen Ops data source yet')).toBeInTheDocument();
    expect(screen.getByText('Add a Kaizen Ops metrics data source').closest('a')).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
  });
});

describe('setupModel', () => {
  const now = Date.parse('2026-01-08T01:15:03Z');

  it('writes the last ingest in UTC minutes and its age', () => {
    const rows = kindRows(demoStatus().kinds, now);
    // 2026-01-08T01:15:03 − 2026-01-07T22:15:03 = 3 h
    expect(rows[0]).toEqual({
      kind: 'incidents',
      table: 'incidents',
      count: 1184,
      state: 'fresh',
      last: '2026-01-07 22:15 UTC (3 hours ago)',
    });
    // 01:15:03 − 00:00:00 = 75 minutes = 1 hour (floor)
    expect(rows.find((r) => r.kind === 'sli')!.last).toBe('2026-01-08 00:00 UTC (1 hour ago)');
    expect(rows.find((r) => r.kind === 'observations')!.state).toBe('untracked');
    expect(rows.find((r) => r.kind === 'postmortems')).toMatchObject({ state: 'empty', last: 'no data yet' });
  });

  it('has no next step for a healthy store with data', () => {
    expect(nextStep({ uid: 'a', name: 'a', health: { ok: true, message: '' }, status: demoStatus() })).toBeUndefined();
    expect(nextStep({ uid: 'a', name: 'a', health: { ok: true, message: '' }, status: emptyStatus() })).toMatch(
      /^This store is empty/
    );
    expect(nextStep({ uid: 'a', name: 'a', health: { ok: false, message: 'x' } })).toMatch(/^Fix the store first/);
  });
});

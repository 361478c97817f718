import React from 'react';
import { fireEvent, render as rtlRender, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { CatalogPage } from './CatalogPage';
import { CATALOG, KPIS } from './fixtures';
import { fakeBackend } from './testUtils';

const mockRuntime = { fetch: jest.fn(), sources: [] as Array<{ uid: string; name: string; isDefault?: boolean }> };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => mockRuntime.sources }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

// Grafana renders app pages inside its router; links need one.
const render = (ui: React.ReactElement) =>
  rtlRender(<MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>);

function backend() {
  const b = fakeBackend((c) => {
    if (c.method === 'GET' && c.path.endsWith(':catalog')) {
      return { body: CATALOG };
    }
    if (c.method === 'GET' && c.path.endsWith(':kpis')) {
      return { body: c.path.startsWith('other:') ? [] : KPIS };
    }
    return undefined;
  });
  mockRuntime.fetch = b.fetch;
  return b;
}

describe('CatalogPage', () => {
  beforeEach(() => {
    mockRuntime.sources = [{ uid: 'kz', name: 'Kaizen Ops' }];
  });

  it('lists every built-in metric by family with formula, unit, default stat, direction and source', async () => {
    backend();
    render(<CatalogPage />);
    const builtIn = await screen.findByRole('region', { name: 'Built-in metrics' });
    expect(within(builtIn).getByText('Incidents')).toBeInTheDocument();
    expect(within(builtIn).getByText('KPIs')).toBeInTheDocument();
    const mttr = within(builtIn).getByText('Mean time to restore (MTTR)').closest('tr')!;
    expect(within(mttr).getByText('resolved_at − started_at')).toBeInTheDocument();
    expect(within(mttr).getByText('s')).toBeInTheDocument();
    expect(within(mttr).getByText('mean')).toBeInTheDocument();
    expect(within(mttr).getByText(/lower is better/)).toBeInTheDocument();
    expect(within(mttr).getByText('Google SRE workbook')).toBeInTheDocument();
    expect(within(mttr).getByText('How long customers were affected.')).toBeInTheDocument();
    // No default stat reads as a dash, not as an empty cell.
    const stale = within(builtIn).getByText('Stale KPIs (audit)').closest('tr')!;
    expect(within(stale).getAllByText('—')).toHaveLength(1);
  });

  it("lists the user's KPIs with owner, thresholds, version and status", async () => {
    backend();
    render(<CatalogPage />);
    const kpis = await screen.findByRole('region', { name: 'KPI definitions' });
    const row = within(kpis).getByText('Availability').closest('tr')!;
    expect(within(row).getByText('sre')).toBeInTheDocument();
    expect(
      within(row).getByText('Target 99.9% (higher is better). Warning at 99.5% or below. Critical at 99% or below.')
    ).toBeInTheDocument();
    expect(within(row).getByText('v1')).toBeInTheDocument();
    expect(within(row).getByText('Active')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'Availability' })).toHaveAttribute(
      'href',
      '/a/kaizenops-suite-app/kpis?edit=availability'
    );
    const downtime = within(kpis).getByText('Checkout downtime').closest('tr')!;
    expect(within(downtime).getByText('$150.00 (prices checkout incidents per minute)')).toBeInTheDocument();
    expect(within(within(kpis).getByText('Ticket backlog').closest('tr')!).getByText('Retired')).toBeInTheDocument();
  });

  it('filters the built-in metrics as the user types', async () => {
    backend();
    render(<CatalogPage />);
    const builtIn = await screen.findByRole('region', { name: 'Built-in metrics' });
    fireEvent.change(within(builtIn).getByPlaceholderText('Search metrics, formulas, sources'), {
      target: { value: 'balanced scorecard' },
    });
    expect(within(builtIn).queryByText('Mean time to restore (MTTR)')).not.toBeInTheDocument();
    expect(within(builtIn).getByText('KPI attainment')).toBeInTheDocument();
    fireEvent.change(within(builtIn).getByPlaceholderText('Search metrics, formulas, sources'), {
      target: { value: 'nothing like this' },
    });
    expect(within(builtIn).getByText('No metric matches “nothing like this”.')).toBeInTheDocument();
  });

  it('talks to the default data source first when there are several', async () => {
    mockRuntime.sources = [
      { uid: 'other', name: 'Staging' },
      { uid: 'kz', name: 'Production', isDefault: true },
    ];
    const b = backend();
    render(<CatalogPage />);
    await screen.findByRole('region', { name: 'KPI definitions' });
    expect(b.calls.map((c) => c.path)).toEqual(['kz:catalog', 'kz:kpis']);
    expect(document.getElementById('kaizen-page-datasource')).toHaveValue('Production');
  });

  // EmptyState draws a large inline SVG illustration, which jsdom takes seconds to build.
  it('says when there is no Kaizen Ops data source', () => {
    mockRuntime.sources = [];
    const b = backend();
    render(<CatalogPage />);
    expect(screen.getByText('No Kaizen Ops data source yet')).toBeInTheDocument();
    expect(b.calls).toHaveLength(0);
  }, 20000);

  it('says when the catalog cannot be loaded', async () => {
    mockRuntime.fetch = fakeBackend(() => ({ status: 500, body: { error: 'store unreachable' } })).fetch;
    render(<CatalogPage />);
    expect(await screen.findByText('Could not load the catalog')).toBeInTheDocument();
    expect(screen.getByText('store unreachable')).toBeInTheDocument();
  });
});

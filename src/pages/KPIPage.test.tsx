import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { definition, KPIS } from './fixtures';
import { KPIPage } from './KPIPage';
import { fakeBackend, type Call } from './testUtils';

const mockRuntime = { fetch: jest.fn() };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'kz', name: 'Kaizen Ops' }] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

const V2 = definition({
  version: 2,
  target: 99.95,
  effective_from: '2024-03-01T00:00:00Z',
  changed_by: 'bob',
  created_at: '2024-02-20T10:00:00Z',
});

/** The data source's KPI routes; write replies are given per test. */
function backend(write?: (c: Call) => { status?: number; body: unknown } | undefined) {
  const b = fakeBackend((c) => {
    if (c.method === 'GET' && c.path === 'kz:kpis') {
      return { body: KPIS };
    }
    if (c.method === 'GET' && c.path === 'kz:kpis/availability/versions') {
      return { body: [definition({}), V2] };
    }
    return write?.(c);
  });
  mockRuntime.fetch = b.fetch;
  return b;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <KPIPage />
    </MemoryRouter>
  );
}

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('KPIPage', () => {
  it('lists active KPIs, and retired ones on request', async () => {
    backend();
    renderAt('/kpis');
    expect(await screen.findByText('Availability')).toBeInTheDocument();
    expect(screen.getByText('Checkout downtime')).toBeInTheDocument();
    expect(screen.queryByText('Ticket backlog')).not.toBeInTheDocument();
    fireEvent.click(document.getElementById('kpi-show-retired')!);
    expect(screen.getByText('Ticket backlog')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retire tickets_backlog' })).not.toBeInTheDocument();
  });

  it('creates a KPI from the form and shows its history', async () => {
    const created = definition({ id: 'nps', name: 'NPS', unit: '', target: 40, warning: 30, critical: null });
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:kpis'
        ? { status: 201, body: { outcome: 'created', kpi: created } }
        : undefined
    );
    renderAt('/kpis');
    fireEvent.click(await screen.findByRole('button', { name: 'New KPI' }));
    type('kpi-id', 'nps');
    type('kpi-name', 'NPS');
    type('kpi-target', '40');
    type('kpi-warning', '30');
    expect(screen.getByTestId('kpi-threshold-preview')).toHaveTextContent(
      'Target 40 (higher is better). Warning at 30 or below.'
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create KPI' }));
    expect(await screen.findByText('Created nps (version 1).')).toBeInTheDocument();
    expect(writes(b.calls)).toEqual([
      {
        method: 'POST',
        path: 'kz:kpis',
        data: { id: 'nps', name: 'NPS', direction: 'higher', target: 40, warning: 30, status: 'active' },
      },
    ]);
    // The list is read again after the write.
    expect(b.calls.filter((c) => c.path === 'kz:kpis' && c.method === 'GET')).toHaveLength(2);
  });

  it('shows what the backend refused beside the field it names', async () => {
    const b = backend((c) =>
      c.method === 'POST'
        ? {
            status: 400,
            body: {
              error:
                'KPI definition: warning: 95 is not below the target 90: when higher is better, the warning threshold lies below the target',
              field: 'warning',
            },
          }
        : undefined
    );
    renderAt('/kpis?new=1');
    await screen.findByRole('button', { name: 'Create KPI' });
    type('kpi-id', 'x');
    type('kpi-name', 'X');
    type('kpi-target', '90');
    type('kpi-warning', '95');
    fireEvent.click(screen.getByRole('button', { name: 'Create KPI' }));
    const message = await screen.findByText(
      '95 is not below the target 90: when higher is better, the warning threshold lies below the target'
    );
    // The message is in the Warning field's own wrapper, not in a form-wide alert.
    let field = message.parentElement!;
    while (!field.contains(document.getElementById('kpi-warning'))) {
      field = field.parentElement!;
    }
    expect(field).not.toContainElement(document.getElementById('kpi-target'));
    expect(screen.queryByText('The KPI was not saved')).not.toBeInTheDocument();
    expect(writes(b.calls)).toHaveLength(1);
  });

  it('checks the inputs it cannot read before sending anything', async () => {
    const b = backend();
    renderAt('/kpis?new=1');
    await screen.findByRole('button', { name: 'Create KPI' });
    type('kpi-target', 'lots');
    fireEvent.click(screen.getByRole('button', { name: 'Create KPI' }));
    expect(await screen.findByText('"lots" is not a number')).toBeInTheDocument();
    expect(screen.getAllByText('Required')).toHaveLength(2);
    expect(writes(b.calls)).toHaveLength(0);
  });

  it('edits a KPI as a new version based on the one it read', async () => {
    const saved = definition({ version: 3, target: 99.99 });
    const b = backend((c) => (c.method === 'PUT' ? { body: { outcome: 'versioned', kpi: saved } } : undefined));
    renderAt('/kpis?edit=availability');
    expect(await screen.findByText('Edit Availability (saves version 3)')).toBeInTheDocument();
    expect(document.getElementById('kpi-id')).toBeDisabled();
    expect(document.getElementById('kpi-target')).toHaveValue('99.95');
    type('kpi-target', '99.99');
    type('kpi-effective-from', '2024-06-01T00:00:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Save new version' }));
    expect(
      await screen.findByText('Saved availability as version 3; earlier samples keep the version that applied to them.')
    ).toBeInTheDocument();
    const put = writes(b.calls)[0];
    expect(put.path).toBe('kz:kpis/availability');
    expect(put.data).toMatchObject({
      id: 'availability',
      target: 99.99,
      base_version: 2,
      effective_from: '2024-06-01T00:00:00Z',
      owner: 'sre',
      indicator: 'lagging',
    });
  });

  it('says so when someone else saved a version first', async () => {
    backend((c) =>
      c.method === 'PUT'
        ? {
            status: 409,
            body: {
              error: 'KPI "availability" is at version 3, not 2: it changed since you read it; reload and edit again',
            },
          }
        : undefined
    );
    renderAt('/kpis?edit=availability');
    fireEvent.click(await screen.findByRole('button', { name: 'Save new version' }));
    const alert = await screen.findByText('The KPI was not saved');
    expect(
      within(alert.closest('[role="alert"]') as HTMLElement).getByText(/changed since you read it/)
    ).toBeInTheDocument();
  });

  it('retires a KPI after confirmation', async () => {
    const retired = definition({ version: 3, status: 'retired' });
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:kpis/availability/retire'
        ? { body: { outcome: 'retired', kpi: retired } }
        : undefined
    );
    renderAt('/kpis');
    fireEvent.click(await screen.findByRole('button', { name: 'Retire availability' }));
    expect(screen.getByText(/Its samples and its versions stay/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retire' }));
    expect(await screen.findByText(/Retired availability \(version 3\)/)).toBeInTheDocument();
    expect(writes(b.calls)).toEqual([{ method: 'POST', path: 'kz:kpis/availability/retire', data: undefined }]);
  });

  it('reports a refused write, such as a Viewer creating a KPI', async () => {
    backend((c) =>
      c.method === 'POST'
        ? {
            status: 403,
            body: { error: 'writing requires the Editor role or above, or a valid X-Kaizen-Ingest-Token header' },
          }
        : undefined
    );
    renderAt('/kpis?new=1');
    await screen.findByRole('button', { name: 'Create KPI' });
    type('kpi-id', 'x');
    type('kpi-name', 'X');
    type('kpi-target', '1');
    fireEvent.click(screen.getByRole('button', { name: 'Create KPI' }));
    expect(await screen.findByText(/writing requires the Editor role/)).toBeInTheDocument();
  });

  it('shows every version, newest first, with what it changed and when it took effect', async () => {
    backend();
    renderAt('/kpis?history=availability');
    expect(await screen.findByText('Versions of availability')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('from the start')).toBeInTheDocument());
    const rows = screen.getAllByRole('row').filter((r) => /^v\d/.test(r.textContent ?? ''));
    expect(rows[0]).toHaveTextContent('v2target 99.9 → 99.952024-03-01 00:00 UTC99.95%');
    expect(rows[0]).toHaveTextContent('by bob');
    expect(rows[1]).toHaveTextContent('v1createdfrom the start99.9%');
  });
});

import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import type { SLODefinition } from './sloApi';
import { sampleAge, SLOPage } from './SLOPage';
import { fakeBackend, type Call } from './testUtils';

// Grafana's form components render slowly in jsdom on a busy machine.
jest.setTimeout(30_000);

const mockRuntime = { fetch: jest.fn() };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'kz', name: 'Kaizen Ops' }] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

const CHECKOUT: SLODefinition = {
  id: 'checkout',
  name: 'Checkout availability',
  service: 'shop',
  team: 'payments',
  description: '',
  objective: 99.9,
  window: '30d',
  sli: 'counts',
  sla: { period: 'month', tiers: [{ below: 99.9, credit: 10 }], contract_value: 12000, currency: 'EUR' },
  last_sample_at: '2026-01-01T10:00:00Z',
};
const OLD: SLODefinition = {
  id: 'legacy',
  name: 'Legacy API',
  service: 'legacy',
  team: '',
  description: '',
  objective: 99,
  calendar: 'month',
  sli: 'incidents',
  incidents: { end: 'resolved' },
  retired_at: '2025-12-01T00:00:00Z',
};

function backend(write?: (c: Call) => { status?: number; body: unknown } | undefined) {
  const b = fakeBackend((c) => {
    if (c.method === 'GET' && c.path === 'kz:slos?includeRetired=true') {
      return { body: [CHECKOUT, OLD] };
    }
    return write?.(c);
  });
  mockRuntime.fetch = b.fetch;
  return b;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <SLOPage />
    </MemoryRouter>
  );
}

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('SLOPage', () => {
  it('lists active SLOs with what they allow and their SLA; retired ones on request', async () => {
    backend();
    renderAt('/slos');
    expect(await screen.findByText('Checkout availability')).toBeInTheDocument();
    expect(screen.getByText('99.9% over 30d rolling')).toBeInTheDocument();
    expect(screen.getByText('Allows 0.1% of events to be bad: 43.2 min of full outage per 30d.')).toBeInTheDocument();
    expect(screen.getByText('Monthly: below 99.9% → 10% of 12,000 EUR')).toBeInTheDocument();
    expect(screen.queryByText('Legacy API')).not.toBeInTheDocument();
    fireEvent.click(document.getElementById('slo-show-retired')!);
    expect(screen.getByText('Legacy API')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Restore legacy' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete legacy' })).toBeInTheDocument();
  });

  it('creates an SLO from the form, showing the budget as it is typed', async () => {
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:slos'
        ? { status: 201, body: { outcome: 'created', slo: CHECKOUT } }
        : undefined
    );
    renderAt('/slos');
    fireEvent.click(await screen.findByRole('button', { name: 'New SLO' }));
    type('slo-id', 'search');
    type('slo-objective', '99.5');
    type('slo-window', '7d');
    // 0.5% of 7 d = 0.005 × 604,800 s = 3,024 s = 50.4 min
    expect(screen.getByTestId('slo-budget-preview')).toHaveTextContent(
      'Allows 0.5% of events to be bad: 50.4 min of full outage per 7d.'
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create SLO' }));
    await waitFor(() => expect(writes(b.calls)).toHaveLength(1));
    expect(writes(b.calls)[0].data).toEqual({
      id: 'search',
      name: 'search',
      service: '',
      team: '',
      description: '',
      objective: 99.5,
      sli: 'counts',
      window: '7d',
    });
    expect(await screen.findByText('Created search.')).toBeInTheDocument();
  });

  it('keeps a bad form from being sent, and shows the API refusal', async () => {
    const b = backend((c) =>
      c.method === 'PUT' ? { status: 400, body: { error: 'SLO definition: objective 100.5: at most 100' } } : undefined
    );
    renderAt('/slos?edit=checkout');
    expect(await screen.findByRole('form', { name: 'Edit checkout' })).toBeInTheDocument();
    type('slo-objective', '0.999');
    fireEvent.click(screen.getByRole('button', { name: 'Save SLO' }));
    expect(await screen.findByText('That looks like a ratio; give a percentage such as 99.9')).toBeInTheDocument();
    expect(writes(b.calls)).toHaveLength(0);
    type('slo-objective', '99.95');
    fireEvent.click(screen.getByRole('button', { name: 'Save SLO' }));
    expect(await screen.findByText('SLO definition: objective 100.5: at most 100')).toBeInTheDocument();
    expect(writes(b.calls)[0]).toMatchObject({ method: 'PUT', path: 'kz:slos/checkout' });
  });

  it('retires after confirming', async () => {
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:slos/checkout/retire'
        ? { body: { outcome: 'retired', slo: { ...CHECKOUT, retired_at: '2026-01-02T00:00:00Z' } } }
        : undefined
    );
    renderAt('/slos');
    fireEvent.click(await screen.findByRole('button', { name: 'Retire checkout' }));
    fireEvent.click(screen.getByRole('button', { name: 'Retire' }));
    await waitFor(() =>
      expect(writes(b.calls)).toEqual([{ method: 'POST', path: 'kz:slos/checkout/retire', data: undefined }])
    );
    expect(await screen.findByText(/Retired checkout/)).toBeInTheDocument();
  });
});

describe('sampleAge', () => {
  it('says whether samples still arrive', () => {
    const now = Date.parse('2026-01-01T10:45:00Z');
    expect(sampleAge(CHECKOUT, now)).toBe('45 min ago');
    expect(sampleAge({ ...CHECKOUT, last_sample_at: undefined }, now)).toBe('no samples yet');
    expect(sampleAge(OLD, now)).toBe('from incidents');
  });
});

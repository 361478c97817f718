import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { CATALOG } from './fixtures';
import { BOARD, kaizenEvent } from './kaizenFixtures';
import { KaizenPage } from './KaizenPage';
import { fakeBackend, type Call } from './testUtils';

const mockRuntime = { fetch: jest.fn() };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'kz', name: 'Kaizen Ops' }] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/** The data source's kaizen routes; write replies are given per test. */
function backend(write?: (c: Call) => { status?: number; body: unknown } | undefined) {
  const b = fakeBackend((c) => {
    if (c.method === 'GET' && c.path.startsWith('kz:kaizen/board')) {
      return { body: BOARD };
    }
    if (c.method === 'GET' && c.path === 'kz:catalog') {
      return { body: CATALOG };
    }
    if (c.method === 'GET' && c.path === 'kz:kaizen/events/kz-runbook/analysis') {
      return { body: BOARD[0] };
    }
    if (c.method === 'GET' && c.path.startsWith('kz:values/')) {
      return { body: ['checkout', 'payments'] };
    }
    return write?.(c);
  });
  mockRuntime.fetch = b.fetch;
  return b;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <KaizenPage />
    </MemoryRouter>
  );
}

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
// After a write the page re-renders the form, the notice and the reloaded list: give it time.
const SLOW = { timeout: 5000 };

/** Picks a combobox option by typing part of its label (jsdom measures the virtual list as empty). */
async function pick(id: string, text: string) {
  const input = document.getElementById(id)!;
  await act(async () => {
    fireEvent.click(input);
  });
  await act(async () => {
    fireEvent.change(input, { target: { value: text } });
  });
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' });
  });
}

// The form has many inputs: on a busy 2-core machine a full create takes several seconds.
jest.setTimeout(30_000);

describe('KaizenPage', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  it('lists every event with whether it worked and whether it holds, in words', async () => {
    backend();
    renderAt('/kaizen');
    const row = (await screen.findByText('Checkout runbook')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Improved')).toBeInTheDocument();
    expect(within(row).getByText('−50 % (1 hour → 30 mins), p < 0.0001')).toBeInTheDocument();
    expect(within(row).getByText('30d sustained')).toBeInTheDocument();
    expect(within(row).getByText('60d eroding')).toBeInTheDocument();
    expect(within(row).getByText('90d due 2025-05-30')).toBeInTheDocument();
    const canary = screen.getByText('Canary deployments for payments').closest('tr') as HTMLElement;
    expect(within(canary).getByText('Worsened')).toBeInTheDocument();
    expect(within(canary).getByText('+60 % (10% → 16%), p = 0.01')).toBeInTheDocument();
    expect(within(canary).getByText('60d lost')).toBeInTheDocument();
    // Too little data says how much more is needed; an event not deployed has no verdict.
    const pager = screen.getByText('Pager rotation of two').closest('tr') as HTMLElement;
    expect(within(pager).getByText('Not enough data')).toBeInTheDocument();
    expect(within(pager).getByText('Needs 3 more after it for a verdict.')).toBeInTheDocument();
    const chaos = screen.getByText('Chaos game days').closest('tr') as HTMLElement;
    expect(within(chaos).getByText('Not deployed')).toBeInTheDocument();
  });

  it('creates an event whose target is picked from the catalog', async () => {
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:kaizen/events'
        ? { status: 201, body: { outcome: 'created', event: kaizenEvent({ id: 'kz-new', revision: 1 }) } }
        : undefined
    );
    renderAt('/kaizen?new=1');
    await screen.findByRole('button', { name: 'Create event' });
    type('kaizen-id', 'kz-new');
    type('kaizen-name', 'Faster rollbacks');
    await pick('kaizen-target', 'Mean time to restore');
    // MTTR's catalog default stat is taken, and the query it will store is shown.
    expect(await screen.findByTestId('kaizen-target-preview')).toHaveTextContent(
      '{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}'
    );
    type('kaizen-expected-change', '25');
    type('kaizen-review-days', '14, 28');
    fireEvent.click(screen.getByRole('button', { name: 'Create event' }));
    expect(await screen.findByText('Created kz-new.', undefined, SLOW)).toBeInTheDocument();
    expect(writes(b.calls)).toEqual([
      {
        method: 'POST',
        path: 'kz:kaizen/events',
        data: {
          id: 'kz-new',
          name: 'Faster rollbacks',
          target: { queryType: 'incidents', metric: 'mttr', stat: 'mean', bucket: '1d' },
          status: 'proposed',
          expected_change_pct: 25,
          review_days: [14, 28],
          baseline_days: 30,
          after_days: 30,
          settling_days: 0,
        },
      },
    ]);
  });

  it('shows what the backend refused beside the field it names', async () => {
    const b = backend((c) =>
      c.method === 'POST'
        ? {
            status: 400,
            body: {
              error:
                'kaizen event: deployed_at: is required when status is deployed: it is when the change went live, where the before and after windows meet',
              field: 'deployed_at',
            },
          }
        : undefined
    );
    renderAt('/kaizen?new=1');
    await screen.findByRole('button', { name: 'Create event' });
    type('kaizen-id', 'x');
    type('kaizen-name', 'X');
    await pick('kaizen-target', 'Mean time to restore');
    fireEvent.click(screen.getByLabelText('Deployed'));
    fireEvent.click(screen.getByRole('button', { name: 'Create event' }));
    const message = await screen.findByText(/^is required when status is deployed/, undefined, SLOW);
    let field = message.parentElement!;
    while (!field.contains(document.getElementById('kaizen-deployed-at'))) {
      field = field.parentElement!;
    }
    expect(field).not.toContainElement(document.getElementById('kaizen-proposed-at'));
    expect(screen.queryByText('The event was not saved')).not.toBeInTheDocument();
    expect(writes(b.calls)).toHaveLength(1);
  });

  it('checks what it cannot read before sending anything', async () => {
    const b = backend();
    renderAt('/kaizen?new=1');
    await screen.findByRole('button', { name: 'Create event' });
    type('kaizen-baseline-days', 'a month');
    type('kaizen-review-days', '30, sixty');
    fireEvent.click(screen.getByRole('button', { name: 'Create event' }));
    expect(await screen.findByText('"a month" is not a number')).toBeInTheDocument();
    expect(
      screen.getByText('Whole numbers of days after the deployment, such as 30, 60, 90 (or none)')
    ).toBeInTheDocument();
    expect(screen.getByText('Pick the metric the event should move')).toBeInTheDocument();
    expect(screen.getAllByText('Required')).toHaveLength(2);
    expect(writes(b.calls)).toHaveLength(0);
  });

  it('edits an event from the revision it read, keeping target options the form does not show', async () => {
    const stored = kaizenEvent({ target: { ...BOARD[0].event.target, incident: { start: 'detected' } } });
    const board = [{ ...BOARD[0], event: stored }];
    const b = fakeBackend((c) => {
      if (c.method === 'GET' && c.path.startsWith('kz:kaizen/board')) {
        return { body: board };
      }
      if (c.method === 'GET' && c.path === 'kz:catalog') {
        return { body: CATALOG };
      }
      if (c.method === 'GET' && c.path.startsWith('kz:values/')) {
        return { body: ['checkout'] };
      }
      if (c.method === 'GET' && c.path === 'kz:kaizen/events/kz-runbook/analysis') {
        return { body: board[0] };
      }
      return c.method === 'PUT' ? { body: { outcome: 'updated', event: kaizenEvent({ revision: 3 }) } } : undefined;
    });
    mockRuntime.fetch = b.fetch;
    renderAt('/kaizen?edit=kz-runbook');
    expect(await screen.findByText('Edit Checkout runbook')).toBeInTheDocument();
    expect(document.getElementById('kaizen-id')).toBeDisabled();
    expect(document.getElementById('kaizen-deployed-at')).toHaveValue('2025-03-01T00:00:00Z');
    type('kaizen-settling-days', '3');
    fireEvent.click(screen.getByRole('button', { name: 'Save event' }));
    expect(await screen.findByText('Saved kz-runbook (revision 3).', undefined, SLOW)).toBeInTheDocument();
    const put = writes(b.calls)[0];
    expect(put.path).toBe('kz:kaizen/events/kz-runbook');
    expect(put.data).toMatchObject({
      id: 'kz-runbook',
      base_revision: 2,
      settling_days: 3,
      deployed_at: '2025-03-01T00:00:00Z',
      status: 'deployed',
      target: {
        queryType: 'incidents',
        metric: 'mttr',
        stat: 'median',
        bucket: '1d',
        filters: { service: ['checkout'] },
        incident: { start: 'detected' },
      },
    });
  });

  it('archives an event after confirmation', async () => {
    const b = backend((c) =>
      c.method === 'POST' && c.path === 'kz:kaizen/events/kz-canary/archive'
        ? {
            body: { outcome: 'archived', event: kaizenEvent({ id: 'kz-canary', archived_at: '2025-06-01T00:00:00Z' }) },
          }
        : undefined
    );
    renderAt('/kaizen');
    fireEvent.click(await screen.findByRole('button', { name: 'Archive kz-canary' }));
    expect(screen.getByText(/Everything about it is kept/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(await screen.findByText(/Archived kz-canary/, undefined, SLOW)).toBeInTheDocument();
    expect(writes(b.calls)).toEqual([{ method: 'POST', path: 'kz:kaizen/events/kz-canary/archive', data: undefined }]);
    await waitFor(() => expect(b.calls.filter((c) => c.path.startsWith('kz:kaizen/board'))).toHaveLength(2));
  });

  it('shows archived events on request, to restore or delete for good', async () => {
    const archived = { ...BOARD[3], event: kaizenEvent({ ...BOARD[3].event, archived_at: '2025-06-01T00:00:00Z' }) };
    const b = fakeBackend((c) => {
      if (c.method === 'GET' && c.path === 'kz:kaizen/board') {
        return { body: BOARD.slice(0, 3) };
      }
      if (c.method === 'GET' && c.path === 'kz:kaizen/board?archived=1') {
        return { body: [...BOARD.slice(0, 3), archived] };
      }
      return c.method === 'DELETE' ? { body: { outcome: 'deleted', event: archived.event } } : undefined;
    });
    mockRuntime.fetch = b.fetch;
    renderAt('/kaizen');
    await screen.findByText('Checkout runbook');
    expect(screen.queryByText('Chaos game days')).not.toBeInTheDocument();
    fireEvent.click(document.getElementById('kaizen-show-archived')!);
    const row = (await screen.findByText('Chaos game days')).closest('tr') as HTMLElement;
    expect(within(row).getByText(/archived/)).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Restore kz-chaos' })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Edit kz-chaos' })).not.toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'Delete kz-chaos' }));
    expect(screen.getByText(/are removed from the store/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted kz-chaos for good.', undefined, SLOW)).toBeInTheDocument();
    expect(writes(b.calls)).toEqual([{ method: 'DELETE', path: 'kz:kaizen/events/kz-chaos', data: undefined }]);
  });

  it("opens an event's analysis: both windows, the interval, the test, the reviews", async () => {
    backend();
    renderAt('/kaizen?event=kz-runbook');
    const detail = await screen.findByRole('region', { name: 'Analysis of kz-runbook' });
    expect(within(detail).getByText('Median before')).toBeInTheDocument();
    expect(within(detail).getByText('1 hour')).toBeInTheDocument();
    expect(within(detail).getByText('30 points from 2025-01-30')).toBeInTheDocument();
    expect(within(detail).getByText('Met')).toBeInTheDocument();
    expect(within(detail).getByText(/Sustained shift: 9 or more points in a row/)).toBeInTheDocument();
    expect(within(detail).getByText('longest run on the worse side: 4')).toBeInTheDocument();
    expect(within(detail).getByText('due 2025-05-30')).toBeInTheDocument();
  });
});

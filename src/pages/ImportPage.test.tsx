import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { ImportPage } from './ImportPage';
import { emptyStatus, RESULT_WITH_REJECTIONS } from './importFixtures';
import { fakeBackend, type Call } from './testUtils';

const mockRuntime = { fetch: jest.fn() };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockRuntime.fetch }),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'kz', name: 'Kaizen Ops' }] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

/** GET status answers; the upload's reply is given per test. */
function backend(upload?: (c: Call) => { status?: number; body: unknown } | undefined, status = emptyStatus()) {
  const b = fakeBackend((c) => {
    if (c.method === 'GET' && c.path === 'kz:status') {
      return { body: status };
    }
    return upload?.(c);
  });
  mockRuntime.fetch = b.fetch;
  return b;
}

function renderPage() {
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <ImportPage />
    </MemoryRouter>
  );
}

const CSV = [
  'id,service,started_at,resolved_at',
  'INC-1,api,2024-05-01T10:00:00Z,2024-05-01T11:00:00Z',
  'INC-2,api,yesterday,',
  '"INC-3","web, eu",2024-05-02T10:00:00Z,2024-05-02T10:30:00Z',
].join('\n');

/** Picks a kind by typing its name (jsdom measures the combobox's virtual list as empty). */
async function pickKind(name: string) {
  await waitFor(() => expect(document.getElementById('import-kind')).not.toBeNull());
  const input = document.getElementById('import-kind')!;
  await act(async () => {
    fireEvent.click(input);
  });
  await act(async () => {
    fireEvent.change(input, { target: { value: name } });
  });
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' });
  });
}

/** Drops a file on the dropzone and waits until it has been read (or refused). */
async function dropFile(file: File) {
  const input = document.getElementById('import-file') as HTMLInputElement;
  await act(async () => {
    fireEvent.change(input, { target: { files: [file] } });
  });
  await waitFor(() => expect(uploadButton()).not.toHaveTextContent('Reading the file'));
}

// The option list's scroll indicators watch with IntersectionObserver, which jsdom lacks.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

const uploads = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const uploadButton = () => document.getElementById('import-upload') as HTMLButtonElement;

// Each test renders the whole form; on a busy 2-core machine that takes seconds.
jest.setTimeout(30_000);

describe('ImportPage', () => {
  beforeAll(() => {
    Object.assign(window, { IntersectionObserver: NoIntersectionObserver });
  });

  it('uploads a CSV with its Content-Type and reports every record stored', async () => {
    const b = backend((c) =>
      c.method === 'POST' ? { body: { kind: 'incidents', stored: 3, rejected: [] } } : undefined
    );
    renderPage();
    await pickKind('incidents');
    // The kind's fields as the server validates them.
    expect(screen.getByTestId('import-kind-fields')).toHaveTextContent('Key source + id');
    expect(screen.getByTestId('import-kind-fields')).toHaveTextContent('started_at (required, RFC 3339 time)');
    await dropFile(new File([CSV], 'incidents.csv', { type: 'text/csv' }));

    // Preview: 3 records, the quoted comma kept inside its field.
    const preview = await screen.findByTestId('import-preview');
    expect(preview).toHaveTextContent('3 records in the file.');
    expect(within(preview).getByText('web, eu')).toBeInTheDocument();
    expect(screen.getByText('From the extension: CSV. Change it if the file says otherwise.')).toBeInTheDocument();

    fireEvent.click(uploadButton());
    const report = await screen.findByTestId('import-report');
    expect(report).toHaveTextContent('3 incidents records stored from incidents.csv; none rejected.');
    expect(within(report).getByText('All records stored')).toBeInTheDocument();
    expect(screen.getByTestId('import-count-stored')).toHaveTextContent('3');
    expect(within(report).queryByText('Download as CSV')).not.toBeInTheDocument();

    expect(uploads(b.calls)).toEqual([{ method: 'POST', path: 'kz:ingest/incidents?format=csv', data: CSV }]);
    const req = mockRuntime.fetch.mock.calls.find((c) => c[0].method === 'POST')![0];
    expect(req.headers).toEqual({ 'Content-Type': 'text/csv' });
  });

  it('lists rejected records with position, line, field and reason, downloadable as CSV', async () => {
    backend((c) => (c.method === 'POST' ? { body: RESULT_WITH_REJECTIONS } : undefined));
    renderPage();
    await pickKind('incidents');
    await dropFile(new File([CSV], 'may.csv'));
    fireEvent.click(uploadButton());
    const report = await screen.findByTestId('import-report');
    // 3 stored, 1 superseded, 2 rejected.
    expect(report).toHaveTextContent(
      '3 incidents records stored from may.csv; 1 replaced by a later record with the same key in the file; 2 rejected.'
    );
    expect(within(report).getByText('Stored with rejections')).toBeInTheDocument();
    expect(screen.getByTestId('import-count-rejected')).toHaveTextContent('2');
    expect(screen.getByTestId('import-count-replaced-in-file')).toHaveTextContent('1');
    const rows = report.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(Array.from(rows[0].querySelectorAll('td')).map((c) => c.textContent)).toEqual([
      '2',
      '3',
      'INC-2',
      'started_at',
      'started_at "yesterday" is not an RFC 3339 time with a zone',
    ]);
    expect(within(report).getByText(/sevrity: not stored/)).toBeInTheDocument();

    const link = within(report).getByText('Download as CSV').closest('a')!;
    expect(link).toHaveAttribute('download', 'may-rejected.csv');
    const csv = decodeURIComponent(link.getAttribute('href')!.replace('data:text/csv;charset=utf-8,', ''));
    expect(csv).toBe(
      'position,line,id,field,reason\n' +
        '2,3,INC-2,started_at,"started_at ""yesterday"" is not an RFC 3339 time with a zone"\n' +
        '5,6,INC-5,resolved_at,"resolved_at is before started_at, ""x"""\n'
    );
  });

  it('says in words that a Viewer cannot import (403)', async () => {
    backend((c) =>
      c.method === 'POST'
        ? {
            status: 403,
            body: { error: 'writing requires the Editor role or above, or a valid X-Kaizen-Ingest-Token header' },
          }
        : undefined
    );
    renderPage();
    await pickKind('incidents');
    await dropFile(new File([CSV], 'incidents.csv'));
    fireEvent.click(uploadButton());
    expect(
      await screen.findByText(
        /Importing needs the Editor role or above: a Viewer can query Kaizen Ops but not write to it/
      )
    ).toBeInTheDocument();
    expect(screen.getByText(/Nothing was stored. \(writing requires the Editor role/)).toBeInTheDocument();
    expect(screen.queryByTestId('import-report')).not.toBeInTheDocument();
  });

  it('shows the server’s 413 when the body is over its limit', async () => {
    backend((c) =>
      c.method === 'POST'
        ? {
            status: 413,
            body: {
              error:
                'payload is more than the 16777216 bytes allowed (jsonData.maxIngestBytes); split it, or use `kaizen import` for backfills; nothing was stored',
            },
          }
        : undefined
    );
    renderPage();
    await pickKind('incidents');
    await dropFile(new File([CSV], 'incidents.csv'));
    fireEvent.click(uploadButton());
    expect(
      await screen.findByText(/The file is larger than this data source accepts in one upload/)
    ).toBeInTheDocument();
    expect(screen.getByText(/payload is more than the 16777216 bytes allowed/)).toBeInTheDocument();
  });

  it('refuses a file over the server’s limit before sending anything', async () => {
    // GET status says 1 KiB; the file is 2,000 bytes.
    const b = backend(undefined, emptyStatus({ maxIngestBytes: 1024 }));
    renderPage();
    await pickKind('incidents');
    await dropFile(new File(['x'.repeat(2000)], 'big.ndjson'));
    expect(
      await screen.findByText(/big.ndjson is 2 KiB, more than the 1 KiB this data source accepts in one upload/)
    ).toBeInTheDocument();
    expect(uploadButton()).toBeDisabled();
    expect(uploads(b.calls)).toHaveLength(0);
  });

  it('says a network error leaves nothing known stored and re-sending is safe', async () => {
    // A fetch that fails without an HTTP status, as a dropped connection does.
    const { fetch } = fakeBackend((c) => (c.path === 'kz:status' ? { body: emptyStatus() } : undefined));
    mockRuntime.fetch = jest.fn((req) => {
      if (req.method === 'POST') {
        throw new Error('Failed to fetch');
      }
      return fetch(req);
    });
    renderPage();
    await pickKind('incidents');
    await dropFile(new File([CSV], 'incidents.csv'));
    fireEvent.click(uploadButton());
    expect(
      await screen.findByText(
        'The upload did not reach the data source (Failed to fetch). Nothing is known to be stored; sending the file again is safe, because records are replaced by key, never duplicated.'
      )
    ).toBeInTheDocument();
  });

  it('takes the format from the extension, lets the user change it, and sends the chosen one', async () => {
    const b = backend((c) =>
      c.method === 'POST' ? { body: { kind: 'incidents', stored: 2, rejected: [] } } : undefined
    );
    const ndjson =
      '{"id":"INC-1","started_at":"2024-05-01T10:00:00Z"}\n{"id":"INC-2","started_at":"2024-05-01T11:00:00Z"}\n';
    renderPage();
    await pickKind('incidents');
    await dropFile(new File([ndjson], 'export.txt'));
    expect(await screen.findByText('The extension does not say: pick the format the file is in.')).toBeInTheDocument();
    expect(uploadButton()).toBeDisabled();
    // As JSON the two lines are not one document: the preview says so and hints at NDJSON.
    fireEvent.click(screen.getByLabelText('JSON'));
    expect(await screen.findByText(/one object per line is NDJSON: pick that format/)).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('NDJSON'));
    expect(screen.getByTestId('import-preview')).toHaveTextContent('2 records in the file.');
    fireEvent.click(uploadButton());
    await screen.findByTestId('import-report');
    expect(uploads(b.calls)[0].path).toBe('kz:ingest/incidents?format=ndjson');
    const req = mockRuntime.fetch.mock.calls.find((c) => c[0].method === 'POST')![0];
    expect(req.headers).toEqual({ 'Content-Type': 'application/x-ndjson' });
  });

  it('warns before the upload when the CSV header lacks a required column, and sends the source', async () => {
    const b = backend((c) =>
      c.method === 'POST'
        ? { status: 400, body: { error: 'CSV header has no started_at column; nothing was stored' } }
        : undefined
    );
    renderPage();
    await pickKind('incidents');
    await dropFile(new File(['id,service\nINC-1,api\n'], 'incidents.csv'));
    expect(
      await screen.findByText('The CSV header has no started_at column: the server refuses the whole file.')
    ).toBeInTheDocument();
    fireEvent.change(document.getElementById('import-source')!, { target: { value: 'pagerduty' } });
    fireEvent.click(uploadButton());
    expect(
      await screen.findByText(
        'The data source refused the file: CSV header has no started_at column; nothing was stored'
      )
    ).toBeInTheDocument();
    expect(uploads(b.calls)[0].path).toBe('kz:ingest/incidents?format=csv&source=pagerduty');
  });

  it('falls back to GET kinds and the documented 16 MiB limit on a backend without GET status', async () => {
    const b = fakeBackend((c) => (c.path === 'kz:kinds' ? { body: ['deployments', 'incidents'] } : undefined));
    mockRuntime.fetch = b.fetch;
    renderPage();
    await pickKind('deployments');
    expect(screen.getByTestId('import-kind-fields')).toHaveTextContent(
      'This data source does not list the fields of its kinds (an older version). Field reference: docs/delivery.md.'
    );
    expect(
      screen.getByText(
        'CSV, NDJSON or JSON, at most 16 MiB per upload (the documented default: this data source did not say)'
      )
    ).toBeInTheDocument();
  });

  it('shows why the kinds could not be read', async () => {
    mockRuntime.fetch = fakeBackend((c) =>
      c.path === 'kz:status'
        ? { status: 503, body: { error: 'SQLite /data/kaizen.db: counting events: disk I/O error' } }
        : undefined
    ).fetch;
    renderPage();
    expect(await screen.findByText('SQLite /data/kaizen.db: counting events: disk I/O error')).toBeInTheDocument();
  });
});

describe('readText', () => {
  it('reads a file through FileReader when Blob.text is missing', async () => {
    const { readText } = await import('./ImportPage');
    const blob = new Blob(['a,b\n1,2\n']);
    Object.defineProperty(blob, 'text', { value: undefined });
    await waitFor(async () => expect(await readText(blob)).toBe('a,b\n1,2\n'));
  });
});

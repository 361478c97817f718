// The Import page's pure parts: the format of a file, a preview of its first records,
// the size check against the server's limit, and the validation report as words and CSV.

export type ImportFormat = 'csv' | 'ndjson' | 'json';

export const IMPORT_FORMATS: Array<{ value: ImportFormat; label: string; description: string }> = [
  { value: 'csv', label: 'CSV', description: 'A header row naming the fields, then one record per line' },
  { value: 'ndjson', label: 'NDJSON', description: 'One JSON object per line (.ndjson, .jsonl)' },
  { value: 'json', label: 'JSON', description: 'An array of objects, or one object' },
];

/** The Content-Type pkg/ingest.ParseFormat reads for each format. */
export const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  json: 'application/json',
};

/** pkg/models.DefaultMaxIngestBytes: the body limit when the server does not say (16 MiB). */
export const DEFAULT_MAX_INGEST_BYTES = 16 * 1024 * 1024;

/** Records shown in the preview. */
export const PREVIEW_ROWS = 10;

/** The format a file name implies, or undefined when its extension says nothing. */
export function formatFromName(name: string): ImportFormat | undefined {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  switch (ext) {
    case 'csv':
      return 'csv';
    case 'ndjson':
    case 'jsonl':
      return 'ndjson';
    case 'json':
      return 'json';
  }
  return undefined;
}

/** Bytes in the unit people read them in: 512 B, 1.5 KiB, 16 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toFixed(1))} ${units[u]}`;
}

/** Why a file may not be uploaded as is, before anything is sent; undefined when it may. */
export function sizeProblem(name: string, size: number, limit: number): string | undefined {
  if (size === 0) {
    return `${name} is empty: there is nothing to import.`;
  }
  if (size > limit) {
    return (
      `${name} is ${formatBytes(size)}, more than the ${formatBytes(limit)} this data source accepts in one upload ` +
      '(jsonData.maxIngestBytes). Split the file into smaller ones, or load it with `kaizen import`, which has no size limit. Nothing was sent.'
    );
  }
  return undefined;
}

/** The first records of a file as a table, and what is wrong with the file when that shows already. */
export interface Preview {
  columns: string[];
  rows: string[][];
  /** Records in the file (lines for CSV and NDJSON, array length for JSON), when known. */
  total?: number;
  /** A problem that makes the server refuse the whole file (the upload is still allowed: the server has the last word). */
  problem?: string;
  /** Required fields of the kind that no previewed record carries. */
  missing: string[];
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
    }
    row = [];
  };
  while (i < text.length && rows.length < maxRows) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      endRow();
    } else {
      field += c;
    }
    i++;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) {
    endRow();
  }
  return rows;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) {
    return '';
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function objectsPreview(records: unknown[], total: number | undefined, required: string[]): Preview {
  const columns: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  for (const r of records.slice(0, PREVIEW_ROWS)) {
    const obj = r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
    rows.push(obj);
    for (const k of Object.keys(obj)) {
      if (!columns.includes(k)) {
        columns.push(k);
      }
    }
  }
  const missing = required.filter(
    (f) => rows.length > 0 && rows.every((r) => r[f] === undefined || r[f] === null || r[f] === '')
  );
  return { columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))), total, missing };
}

/**
 * The first records of a file for the preview. `required` lists the kind's required
 * fields, so a column the server will miss shows before the upload.
 */
export function preview(text: string, format: ImportFormat, required: string[] = []): Preview {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    return { columns: [], rows: [], total: 0, missing: [], problem: 'The file holds no records.' };
  }
  if (format === 'csv') {
    const all = parseCsv(body);
    const [header = [], ...records] = all;
    const columns = header.map((h) => h.trim());
    const missing = required.filter((f) => !columns.includes(f));
    return {
      columns,
      rows: records.slice(0, PREVIEW_ROWS),
      total: records.length,
      missing,
      problem:
        missing.length > 0
          ? `The CSV header has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}: the server refuses the whole file.`
          : undefined,
    };
  }
  if (format === 'ndjson') {
    const lines = body.split(/\r?\n/);
    const records: unknown[] = [];
    let total = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') {
        continue;
      }
      total++;
      if (records.length < PREVIEW_ROWS) {
        try {
          records.push(JSON.parse(lines[i]));
        } catch {
          const p = objectsPreview(records, total, required);
          return {
            ...p,
            total: undefined,
            problem: `Line ${i + 1} is not a JSON object: the server rejects that record.`,
          };
        }
      }
    }
    return objectsPreview(records, total, required);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const hint =
      body.trimStart().startsWith('{') && body.includes('\n{')
        ? ' (one object per line is NDJSON: pick that format)'
        : '';
    return {
      columns: [],
      rows: [],
      missing: [],
      problem: `The file is not valid JSON${hint}: ${(e as Error).message}. The server refuses the whole file.`,
    };
  }
  if (Array.isArray(doc)) {
    return objectsPreview(doc, doc.length, required);
  }
  if (doc && typeof doc === 'object') {
    return objectsPreview([doc], 1, required);
  }
  return { columns: [], rows: [], missing: [], problem: 'The JSON is neither an array of records nor one record.' };
}

/** Mirrors pkg/ingest.Rejected. */
export interface RejectedRecord {
  position: number;
  line?: number;
  id?: string;
  field?: string;
  reason: string;
}

/** Mirrors pkg/ingest.Result: what POST ingest/<kind> answers. */
export interface IngestResult {
  kind: string;
  stored: number;
  superseded?: number;
  rejected: RejectedRecord[];
  ignored_fields?: string[];
}

/** The report's headline, in words. */
export function resultSentence(r: IngestResult, fileName: string): string {
  const rejected = r.rejected.filter((x) => x.position > 0).length;
  const more = r.rejected.some((x) => x.position === 0) ? ' or more' : '';
  const parts = [
    `${r.stored.toLocaleString('en-US')} ${r.kind} record${r.stored === 1 ? '' : 's'} stored from ${fileName}`,
  ];
  if (r.superseded) {
    parts.push(`${r.superseded.toLocaleString('en-US')} replaced by a later record with the same key in the file`);
  }
  parts.push(rejected === 0 ? 'none rejected' : `${rejected.toLocaleString('en-US')}${more} rejected`);
  return parts.join('; ') + '.';
}

function csvField(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rejected records as CSV, for the download. */
export function rejectedCsv(rows: RejectedRecord[]): string {
  const lines = ['position,line,id,field,reason'];
  for (const r of rows) {
    lines.push([r.position || '', r.line || '', r.id, r.field, r.reason].map((v) => csvField(v)).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The rejected records CSV as a link target, so the download needs no object URL. */
export function rejectedCsvHref(rows: RejectedRecord[]): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(rejectedCsv(rows))}`;
}

/** An upload that failed, in words a user can act on. */
export function uploadErrorText(status: number, message: string): string {
  switch (status) {
    case 401:
    case 403:
      return `Importing needs the Editor role or above: a Viewer can query Kaizen Ops but not write to it. Ask a Grafana admin for the Editor role, or send the file with an ingest token (see the ingestion docs). Nothing was stored. (${message})`;
    case 413:
      return `The file is larger than this data source accepts in one upload. Split it, or use \`kaizen import\`. Nothing was stored. (${message})`;
    case 0:
      return `The upload did not reach the data source (${message}). Nothing is known to be stored; sending the file again is safe, because records are replaced by key, never duplicated.`;
  }
  if (status >= 500) {
    return `The data source could not store the file (one upload is one transaction): ${message}`;
  }
  return `The data source refused the file: ${message}`;
}

/** What each ingest kind holds, and the doc that describes its fields (docs/<topic>.md). */
export const KIND_INFO: Record<string, { description: string; doc: string }> = {
  incidents: {
    description: 'Incidents: started, detected, acknowledged, mitigated and resolved times (MTTD, MTTA, MTTR)',
    doc: 'README.md',
  },
  deployments: {
    description: 'Deployments per service and environment, with commit time and status (DORA)',
    doc: 'docs/delivery.md',
  },
  alert_events: {
    description: 'Alertmanager notifications, one per alert and status (alert quality)',
    doc: 'docs/improvement.md',
  },
  postmortems: {
    description: 'Postmortems of incidents: created and published times, themes',
    doc: 'docs/improvement.md',
  },
  action_items: {
    description: 'Postmortem action items: owner, due and done times (follow-through)',
    doc: 'docs/improvement.md',
  },
  work_items: {
    description: 'Work items of a value stream: created and done times (lead time, throughput)',
    doc: 'docs/flow.md',
  },
  transitions: {
    description: 'Work-item stage transitions: stage, active or waiting, entered time (flow)',
    doc: 'docs/flow.md',
  },
  sli: { description: 'SLI samples: good and total events of an SLO per interval', doc: 'docs/slo.md' },
  observations: {
    description: 'Model observations: feature values and predictions (drift, performance)',
    doc: 'docs/model.md',
  },
  outcomes: { description: 'Model outcomes: the true label of a prediction, often days later', doc: 'docs/model.md' },
  usage: {
    description: 'Usage events: user, team, tool and feature at a time (DAU/WAU/MAU, adoption)',
    doc: 'docs/adoption.md',
  },
  headcount: {
    description: 'Eligible headcount per team, effective from a date (adoption rate)',
    doc: 'docs/adoption.md',
  },
  'kpi-samples': { description: 'KPI samples: a KPI’s value at a time', doc: 'docs/kpi.md' },
};

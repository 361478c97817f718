import {
  formatBytes,
  formatFromName,
  parseCsv,
  preview,
  rejectedCsv,
  resultSentence,
  sizeProblem,
  uploadErrorText,
} from './importModel';

describe('formatFromName', () => {
  it.each([
    ['incidents.csv', 'csv'],
    ['INCIDENTS.CSV', 'csv'],
    ['events.ndjson', 'ndjson'],
    ['events.jsonl', 'ndjson'],
    ['deploys.json', 'json'],
    ['export.txt', undefined],
    ['noextension', undefined],
  ])('%s → %s', (name, want) => {
    expect(formatFromName(name)).toBe(want);
  });
});

describe('formatBytes and sizeProblem', () => {
  it('writes sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    // 1536 / 1024 = 1.5
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
    // 20.5 MiB = 21495808 bytes
    expect(formatBytes(21495808)).toBe('20.5 MiB');
  });

  it('refuses an empty file and one over the limit, names both sizes, and accepts the limit itself', () => {
    expect(sizeProblem('a.csv', 0, 100)).toBe('a.csv is empty: there is nothing to import.');
    expect(sizeProblem('a.csv', 21495808, 16 * 1024 * 1024)).toMatch(
      /^a\.csv is 20\.5 MiB, more than the 16 MiB this data source accepts in one upload \(jsonData\.maxIngestBytes\)\./
    );
    expect(sizeProblem('a.csv', 100, 100)).toBeUndefined();
  });
});

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a missing final newline', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n1,\n\n2,3')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', ''],
      ['2', '3'],
    ]);
  });

  it('keeps a newline inside quotes in its field', () => {
    expect(parseCsv('t\n"two\nlines"\n')).toEqual([['t'], ['two\nlines']]);
  });
});

describe('preview', () => {
  it('counts CSV records and names required columns the header lacks', () => {
    const p = preview('\uFEFFid,service\nINC-1,api\nINC-2,web\n', 'csv', ['id', 'started_at']);
    expect(p.columns).toEqual(['id', 'service']);
    expect(p.total).toBe(2);
    expect(p.missing).toEqual(['started_at']);
    expect(p.problem).toBe('The CSV header has no started_at column: the server refuses the whole file.');
  });

  it('shows at most 10 records of a long file but counts them all', () => {
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ id: `I-${i}`, labels: { a: 'b' } }));
    const p = preview(lines.join('\n'), 'ndjson', ['id']);
    expect(p.rows).toHaveLength(10);
    expect(p.total).toBe(25);
    // Objects are shown as JSON text.
    expect(p.rows[0]).toEqual(['I-0', '{"a":"b"}']);
    expect(p.missing).toEqual([]);
  });

  it('names the NDJSON line that is not JSON', () => {
    const p = preview('{"id":"a"}\n\n{oops\n', 'ndjson');
    expect(p.problem).toBe('Line 3 is not a JSON object: the server rejects that record.');
    expect(p.rows).toEqual([['a']]);
  });

  it('reads a JSON array or one object, and flags required fields no previewed record carries', () => {
    expect(preview('[{"id":"a"},{"id":"b","x":1}]', 'json', ['id', 'started_at'])).toEqual({
      columns: ['id', 'x'],
      rows: [
        ['a', ''],
        ['b', '1'],
      ],
      total: 2,
      missing: ['started_at'],
    });
    expect(preview('{"id":"a"}', 'json').total).toBe(1);
    expect(preview('42', 'json').problem).toBe('The JSON is neither an array of records nor one record.');
    expect(preview('   ', 'json').problem).toBe('The file holds no records.');
  });
});

describe('report', () => {
  const rejected = [
    { position: 2, line: 3, id: 'A', field: 'at', reason: 'at is "late", or early' },
    { position: 0, reason: 'further rejected records are not listed' },
  ];

  it('says what was stored and rejected, and that more were rejected than listed', () => {
    expect(resultSentence({ kind: 'usage', stored: 1, rejected: [] }, 'u.csv')).toBe(
      '1 usage record stored from u.csv; none rejected.'
    );
    expect(resultSentence({ kind: 'usage', stored: 1200, superseded: 2, rejected }, 'u.csv')).toBe(
      '1,200 usage records stored from u.csv; 2 replaced by a later record with the same key in the file; 1 or more rejected.'
    );
  });

  it('writes rejections as CSV with quotes where a field needs them', () => {
    expect(rejectedCsv(rejected)).toBe(
      'position,line,id,field,reason\n2,3,A,at,"at is ""late"", or early"\n,,,,further rejected records are not listed\n'
    );
  });

  it('puts each failure in words a user can act on', () => {
    expect(uploadErrorText(403, 'x')).toMatch(/^Importing needs the Editor role or above/);
    expect(uploadErrorText(413, 'x')).toMatch(/^The file is larger than this data source accepts/);
    expect(uploadErrorText(0, 'offline')).toMatch(/^The upload did not reach the data source \(offline\)/);
    expect(uploadErrorText(500, 'disk full')).toBe(
      'The data source could not store the file (one upload is one transaction): disk full'
    );
    expect(uploadErrorText(415, 'unknown format "xml"')).toBe('The data source refused the file: unknown format "xml"');
  });
});

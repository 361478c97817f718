import React, { useEffect, useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, EmptyState, LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';

import { DataSourceChooser, useKaizenDataSource } from './DataSourceChooser';
import { ImportFormView, type PickedFile } from './ImportForm';
import { ImportReport } from './ImportReport';
import { uploadFile } from './importApi';
import {
  DEFAULT_MAX_INGEST_BYTES,
  formatFromName,
  preview,
  sizeProblem,
  uploadErrorText,
  type ImportFormat,
  type IngestResult,
} from './importModel';
import { ApiError } from './kpiApi';
import { fetchKinds, fetchStatus, type KindStatus } from './setupApi';

/** Data import: upload a CSV, NDJSON or JSON file of one kind and read the validation report. */
export function ImportPage() {
  const { sources, uid, setUid } = useKaizenDataSource();
  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <DataSourceChooser sources={sources} uid={uid} onChange={setUid} />
        {sources.length === 0 && (
          <EmptyState variant="call-to-action" message="No Kaizen Ops data source yet">
            <TextLink href="/connections/datasources/new">Add a Kaizen Ops metrics data source</TextLink>
          </EmptyState>
        )}
        {uid && <ImportManager key={uid} uid={uid} />}
      </Stack>
    </PluginPage>
  );
}

interface Kinds {
  kinds: KindStatus[];
  limit: number;
  limitKnown: boolean;
}

/** GET status; a backend without it still lists kinds (GET kinds) under the documented limit. */
async function loadKinds(uid: string): Promise<Kinds> {
  try {
    const s = await fetchStatus(uid);
    return {
      kinds: s.kinds,
      limit: s.maxIngestBytes || DEFAULT_MAX_INGEST_BYTES,
      limitKnown: Boolean(s.maxIngestBytes),
    };
  } catch (e: unknown) {
    if (!(e instanceof ApiError) || e.status !== 404) {
      throw e;
    }
    const names = await fetchKinds(uid);
    return {
      kinds: names.map((kind) => ({ kind, table: kind, key: [], fields: [], count: 0 })),
      limit: DEFAULT_MAX_INGEST_BYTES,
      limitKnown: false,
    };
  }
}

/** A File's text; FileReader where Blob.text is missing (older browsers, jsdom). */
export function readText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') {
    return file.text();
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('reading the file failed'));
    reader.readAsText(file);
  });
}

interface Upload {
  file: PickedFile;
  text?: string;
  problem?: string;
}

function ImportManager({ uid }: { uid: string }) {
  const [kinds, setKinds] = useState<Kinds | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [upload, setUpload] = useState<Upload | undefined>();
  const [format, setFormat] = useState<ImportFormat | undefined>();
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ result: IngestResult; fileName: string } | undefined>();
  const [uploadError, setUploadError] = useState<string | undefined>();

  useEffect(() => {
    loadKinds(uid).then(setKinds, (e: Error) => setLoadError(e.message));
  }, [uid]);

  const text = upload?.text;
  const required = useMemo(
    () =>
      kinds?.kinds
        .find((k) => k.kind === kind)
        ?.fields.filter((f) => f.required)
        .map((f) => f.name) ?? [],
    [kinds, kind]
  );
  // Parsed once per file, format and kind, not on every keystroke in the form.
  const shown = useMemo(
    () => (text !== undefined && format ? preview(text, format, required) : undefined),
    [text, format, required]
  );

  if (loadError) {
    return <Alert title="Could not read the data source's ingest kinds">{loadError}</Alert>;
  }
  if (!kinds) {
    return <LoadingPlaceholder text="Reading ingest kinds" />;
  }

  const onFile = async (file: File) => {
    const picked: PickedFile = { name: file.name, size: file.size, guessed: formatFromName(file.name) };
    setResult(undefined);
    setUploadError(undefined);
    setFormat(picked.guessed);
    // Refused before reading: a file over the limit is never read into memory or sent.
    const problem = sizeProblem(file.name, file.size, kinds.limit);
    if (problem) {
      setUpload({ file: picked, problem });
      return;
    }
    setUpload({ file: picked });
    try {
      setUpload({ file: picked, text: await readText(file) });
    } catch (e: unknown) {
      setUpload({ file: picked, problem: `Could not read ${file.name}: ${(e as Error).message}` });
    }
  };

  const onUpload = async () => {
    if (!kind || !upload?.text || !format) {
      return;
    }
    setBusy(true);
    setUploadError(undefined);
    setResult(undefined);
    try {
      const res = await uploadFile(uid, kind, format, upload.text, source.trim() || undefined);
      setResult({ result: res, fileName: upload.file.name });
    } catch (e: unknown) {
      const err = e instanceof ApiError ? e : new ApiError(String(e), 0);
      setUploadError(uploadErrorText(err.status, err.message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Text color="secondary">
        Records are validated one by one: valid ones are stored (a record with a key already stored replaces it), the
        others are listed below with the field at fault. Backfills larger than one upload: the{' '}
        <strong>kaizen import</strong> command.
      </Text>
      <ImportFormView
        kinds={kinds.kinds}
        kind={kind}
        onKind={(k) => {
          setKind(k);
          setResult(undefined);
        }}
        limit={kinds.limit}
        limitKnown={kinds.limitKnown}
        file={upload?.file}
        onFile={onFile}
        format={format}
        onFormat={(f) => {
          setFormat(f);
          setResult(undefined);
        }}
        source={source}
        onSource={setSource}
        problem={upload?.problem}
        preview={shown}
        busy={busy}
        reading={upload !== undefined && !upload.problem && upload.text === undefined}
        onUpload={onUpload}
      />
      {uploadError && (
        <Alert severity="error" title="Upload failed">
          {uploadError}
        </Alert>
      )}
      {result && <ImportReport result={result.result} fileName={result.fileName} />}
    </Stack>
  );
}

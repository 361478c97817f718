import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Combobox,
  Field,
  FileDropzone,
  Icon,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import { ImportPreview } from './ImportPreview';
import { formatBytes, IMPORT_FORMATS, KIND_INFO, type ImportFormat, type Preview } from './importModel';
import type { KindStatus } from './setupApi';

/** The file picked for import: its name and size, and the format it will be sent as. */
export interface PickedFile {
  name: string;
  size: number;
  /** The format the extension implies; undefined when the extension says nothing. */
  guessed?: ImportFormat;
}

export interface ImportFormProps {
  kinds: KindStatus[];
  kind?: string;
  onKind: (kind: string) => void;
  limit: number;
  /** Whether the limit came from the server (GET status) or is the documented default. */
  limitKnown: boolean;
  file?: PickedFile;
  onFile: (file: File) => void;
  format?: ImportFormat;
  onFormat: (format: ImportFormat) => void;
  source: string;
  onSource: (source: string) => void;
  /** Why the file cannot be sent (too large, empty). */
  problem?: string;
  preview?: Preview;
  busy: boolean;
  /** The file is being read for its preview. */
  reading?: boolean;
  onUpload: () => void;
}

/** Kind, file, format and source, the preview of the first records, and the upload button. */
export function ImportFormView(p: ImportFormProps) {
  const styles = useStyles2(getStyles);
  const kind = p.kinds.find((k) => k.kind === p.kind);
  const canUpload = Boolean(kind && p.file && p.format && !p.problem && !p.busy && !p.reading);
  return (
    <Stack direction="column" gap={2}>
      <Field label="Kind" description="What the file holds: each kind has its own fields and key">
        <Combobox<string>
          id="import-kind"
          width={40}
          placeholder="Pick a kind"
          options={p.kinds.map((k) => ({ value: k.kind, label: k.kind, description: KIND_INFO[k.kind]?.description }))}
          value={p.kind ?? null}
          onChange={(v) => v && p.onKind(v.value)}
        />
      </Field>
      {kind && <KindFields kind={kind} />}
      <Field
        label="File"
        description={`CSV, NDJSON or JSON, at most ${formatBytes(p.limit)} per upload${p.limitKnown ? '' : ' (the documented default: this data source did not say)'}`}
      >
        <FileDropzone
          id="import-file"
          options={{ multiple: false, onDrop: (files: File[]) => files[0] && p.onFile(files[0]) }}
          fileListRenderer={() => null}
        >
          <div className={styles.drop}>
            <Icon name="upload" size="xl" />
            {p.file ? (
              <Text>
                {p.file.name} · {formatBytes(p.file.size)} — drop another file or click to replace it
              </Text>
            ) : (
              <Text>Drop a .csv, .ndjson or .json file here, or click to pick one</Text>
            )}
          </div>
        </FileDropzone>
      </Field>
      {p.file && (
        <Field
          label="Format"
          description={
            p.file.guessed
              ? `From the extension: ${p.file.guessed.toUpperCase()}. Change it if the file says otherwise.`
              : 'The extension does not say: pick the format the file is in.'
          }
        >
          <RadioButtonGroup<ImportFormat>
            id="import-format"
            options={IMPORT_FORMATS}
            value={p.format}
            onChange={p.onFormat}
          />
        </Field>
      )}
      <Field
        label="Source (optional)"
        description="Fills the source field of records that have none (part of the key: the same id from two sources is two records). Default: api"
      >
        <Input
          id="import-source"
          width={40}
          value={p.source}
          placeholder="api"
          onChange={(e) => p.onSource(e.currentTarget.value)}
        />
      </Field>
      {p.problem && (
        <Alert severity="error" title="This file cannot be uploaded">
          {p.problem}
        </Alert>
      )}
      {p.preview && <ImportPreview preview={p.preview} />}
      <Stack direction="row" gap={2} alignItems="center">
        <Button
          id="import-upload"
          icon={p.busy || p.reading ? 'spinner' : 'upload'}
          disabled={!canUpload}
          onClick={p.onUpload}
        >
          {p.busy ? 'Uploading…' : p.reading ? 'Reading the file…' : 'Upload and validate'}
        </Button>
        {!kind && <Text color="secondary">Pick a kind first.</Text>}
        {kind && !p.file && <Text color="secondary">Pick a file.</Text>}
        {kind && p.file && !p.format && <Text color="secondary">Pick the format.</Text>}
      </Stack>
    </Stack>
  );
}

/** The kind's fields as the server validates them, so a user can check the file's columns. */
function KindFields({ kind }: { kind: KindStatus }) {
  const styles = useStyles2(getStyles);
  const info = KIND_INFO[kind.kind];
  return (
    <div className={styles.kind} data-testid="import-kind-fields">
      {info && <Text element="p">{info.description}.</Text>}
      <Text element="p" color="secondary" variant="bodySmall">
        {kind.key.length > 0
          ? `Key ${kind.key.join(' + ')}: re-sending a record with the same key replaces it.`
          : 'This data source does not list the fields of its kinds (an older version).'}
        {info ? ` Field reference: ${info.doc}.` : ''}
      </Text>
      <div className={styles.fields}>
        {kind.fields.map((f) => (
          <span key={f.name} className={f.required ? styles.required : styles.optional}>
            <span className={styles.mono}>{f.name}</span> {fieldNote(f)}
          </span>
        ))}
      </div>
    </div>
  );
}

function fieldNote(f: KindStatus['fields'][number]): string {
  const parts: string[] = [f.required ? 'required' : 'optional'];
  if (f.type === 'time') {
    parts.push('RFC 3339 time');
  } else if (f.type === 'enum' && f.enum) {
    parts.push(f.enum.join(' | '));
  } else if (f.type !== 'string') {
    parts.push(f.type);
  }
  if (f.default) {
    parts.push(`default ${f.default}`);
  }
  return `(${parts.join(', ')})`;
}

const getStyles = (theme: GrafanaTheme2) => ({
  drop: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(3),
    minHeight: theme.spacing(10),
  }),
  kind: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1.5, 2),
    maxWidth: theme.spacing(160),
    p: { margin: 0, marginBottom: theme.spacing(0.5) },
  }),
  fields: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 2), marginTop: theme.spacing(1) }),
  required: css({ fontWeight: theme.typography.fontWeightMedium }),
  // A generic monospace: field names read as identifiers without loading a web font.
  mono: css({ fontFamily: 'monospace', fontSize: '0.95em' }),
  optional: css({ color: theme.colors.text.secondary }),
});

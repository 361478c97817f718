import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, InteractiveTable, LinkButton, Stack, Text, useStyles2, type Column } from '@grafana/ui';

import { rejectedCsvHref, resultSentence, type IngestResult, type RejectedRecord } from './importModel';

/** The validation report: counts in large numerals, and every rejected record with its reason. */
export function ImportReport({ result, fileName }: { result: IngestResult; fileName: string }) {
  const styles = useStyles2(getStyles);
  const listed = result.rejected.filter((r) => r.position > 0);
  const truncated = result.rejected.some((r) => r.position === 0);
  const clean = listed.length === 0;
  const columns: Array<Column<RejectedRecord>> = [
    { id: 'position', header: 'Record', cell: ({ row: { original: r } }) => r.position },
    { id: 'line', header: 'Line', cell: ({ row: { original: r } }) => r.line ?? '—' },
    { id: 'id', header: 'Id', cell: ({ row: { original: r } }) => r.id ?? '' },
    {
      id: 'field',
      header: 'Field',
      cell: ({ row: { original: r } }) => (r.field ? <span className={styles.mono}>{r.field}</span> : '—'),
    },
    { id: 'reason', header: 'Reason', cell: ({ row: { original: r } }) => r.reason },
  ];
  return (
    <section className={styles.report} data-testid="import-report" aria-label="Validation report">
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={2} alignItems="center">
          <Text element="h3">Validation report</Text>
          {clean ? (
            <Badge color="green" icon="check" text="All records stored" />
          ) : result.stored > 0 ? (
            <Badge color="orange" icon="exclamation-triangle" text="Stored with rejections" />
          ) : (
            <Badge color="red" icon="times" text="Nothing stored" />
          )}
        </Stack>
        <Text>{resultSentence(result, fileName)}</Text>
        <div className={styles.stats}>
          <Count label="Stored" sub="new or replaced by key" value={result.stored} />
          <Count label="Replaced in file" sub="same key later in the file" value={result.superseded ?? 0} />
          <Count label="Rejected" sub="not stored" value={listed.length} more={truncated} danger={listed.length > 0} />
        </div>
        {result.ignored_fields && result.ignored_fields.length > 0 && (
          <Alert severity="info" title="Fields the kind does not have were ignored">
            {result.ignored_fields.join(', ')}: not stored. Check their spelling if you meant a field of {result.kind}.
          </Alert>
        )}
        {!clean && (
          <>
            <Stack direction="row" gap={2} alignItems="center">
              <Text element="h4">Rejected records</Text>
              <LinkButton
                icon="download-alt"
                variant="secondary"
                size="sm"
                href={rejectedCsvHref(result.rejected)}
                download={`${fileName.replace(/\.[^.]*$/, '')}-rejected.csv`}
              >
                Download as CSV
              </LinkButton>
            </Stack>
            {truncated && (
              <Text color="secondary">
                Only the first {listed.length.toLocaleString('en-US')} rejections are listed; fix these and upload again
                to see the rest. Stored records are replaced by key, so re-sending the file is safe.
              </Text>
            )}
            <InteractiveTable columns={columns} data={listed} getRowId={(r) => String(r.position)} pageSize={50} />
          </>
        )}
      </Stack>
    </section>
  );
}

function Count({
  label,
  sub,
  value,
  more,
  danger,
}: {
  label: string;
  sub: string;
  value: number;
  more?: boolean;
  danger?: boolean;
}) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stat} data-testid={`import-count-${label.toLowerCase().replace(/ /g, '-')}`}>
      <Text color="secondary">{label}</Text>
      <div className={danger ? styles.danger : styles.value}>
        {value.toLocaleString('en-US')}
        {more ? '+' : ''}
      </div>
      <Text color="secondary" variant="bodySmall">
        {sub}
      </Text>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const value = {
    fontSize: theme.typography.h1.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: 1.2,
  };
  return {
    report: css({
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(2),
    }),
    stats: css({
      display: 'grid',
      gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
      gap: theme.spacing(2),
    }),
    stat: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
    value: css(value),
    danger: css({ ...value, color: theme.colors.error.text }),
    // A generic monospace: field names read as identifiers without loading a web font.
    mono: css({ fontFamily: 'monospace', fontSize: '0.95em' }),
  };
};

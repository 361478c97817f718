import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Text, useStyles2 } from '@grafana/ui';

import { PREVIEW_ROWS, type Preview } from './importModel';

/** The first records of the file as the server will read them, with what is already wrong. */
export function ImportPreview({ preview }: { preview: Preview }) {
  const styles = useStyles2(getStyles);
  const shown = preview.rows.length;
  return (
    <div data-testid="import-preview">
      <Text element="h3">Preview</Text>
      <Text element="p" color="secondary">
        {preview.total === undefined
          ? `The first ${shown} record${shown === 1 ? '' : 's'}.`
          : `${preview.total.toLocaleString('en-US')} record${preview.total === 1 ? '' : 's'} in the file${
              preview.total > shown ? `; the first ${Math.min(shown, PREVIEW_ROWS)} below` : ''
            }.`}
      </Text>
      {preview.problem && (
        <Alert severity="warning" title="The server will refuse this">
          {preview.problem}
        </Alert>
      )}
      {!preview.problem && preview.missing.length > 0 && (
        <Alert severity="warning" title="Required fields missing in the first records">
          No previewed record has {preview.missing.join(', ')}: the server rejects records without them.
        </Alert>
      )}
      {preview.columns.length > 0 && (
        <div className={styles.scroll}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>#</th>
                {preview.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  {preview.columns.map((c, j) => (
                    <td key={c}>{r[j] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto', maxWidth: '100%' }),
  table: css({
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      border: `1px solid ${theme.colors.border.weak}`,
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      whiteSpace: 'nowrap',
      maxWidth: theme.spacing(40),
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    },
    th: { background: theme.colors.background.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});

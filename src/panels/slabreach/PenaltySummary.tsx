// SLA penalties: what is owed per currency in large type, then the periods that owe it, largest
// first, each with its compliance and credit tier; a period still running says "so far".
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { formatMoney, formatPercent } from './format';
import { penaltyTotals, type PenaltyRow, type SLORow } from './model';

interface Props {
  penalties: PenaltyRow[];
  rows: SLORow[];
  width: number;
  height: number;
  scale: number;
}

export function PenaltySummary({ penalties, rows, width, height, scale }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const font = Math.round(13 * scale);
  const totals = penaltyTotals(penalties);
  const owing = penalties.filter((p) => p.penalty > 0).sort((a, b) => b.penalty - a.penalty);
  const names = new Map(rows.map((r) => [r.key, r.service || r.name]));
  const lineHeight = font * 1.5;
  const listRoom = Math.max(0, Math.floor((height - font * 5.5) / lineHeight));
  const shown = owing.slice(0, listRoom);
  return (
    <div className={styles.box} style={{ width, height, fontSize: font }} data-testid="slabreach-penalties">
      <div className={styles.title}>SLA penalties</div>
      {penalties.length === 0 ? (
        <div className={styles.muted}>No SLA in the data.</div>
      ) : totals.length === 0 ? (
        <div className={styles.total} style={{ color: theme.colors.success.main }}>
          Nothing owed <span className={styles.muted}>({penalties.length} periods)</span>
        </div>
      ) : (
        totals.map((t) => (
          <div key={t.currency} className={styles.total} style={{ color: theme.colors.error.main }}>
            <span className={styles.amount} style={{ fontSize: font * 2.2 }}>
              {formatMoney(t.total, t.currency)}
            </span>{' '}
            <span className={styles.muted}>
              owed over {t.periods} period{t.periods === 1 ? '' : 's'}
            </span>
          </div>
        ))
      )}
      {shown.map((p) => (
        <div key={`${p.key} ${p.period}`} className={styles.line} style={{ height: lineHeight }}>
          <span className={styles.name}>
            {names.get(p.key) ?? p.key} {p.period}
          </span>
          <span className={styles.muted}>
            {formatPercent(p.compliance, 2)}
            {p.credit ? ` → ${p.credit}% credit` : ''}
          </span>
          <b>
            {formatMoney(p.penalty, p.currency)}
            {p.complete ? '' : ' so far'}
          </b>
        </div>
      ))}
      {owing.length > shown.length && (
        <div className={styles.muted}>+ {owing.length - shown.length} more periods owing</div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ overflow: 'hidden', display: 'flex', flexDirection: 'column', gap: '0.2em' }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, lineHeight: 2.4 }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
  total: css({ fontWeight: theme.typography.fontWeightBold, whiteSpace: 'nowrap' }),
  amount: css({ fontVariantNumeric: 'tabular-nums' }),
  line: css({
    display: 'flex',
    alignItems: 'center',
    gap: '0.6em',
    whiteSpace: 'nowrap',
    '& b': { marginLeft: 'auto', fontVariantNumeric: 'tabular-nums' },
  }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }),
});

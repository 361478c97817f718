import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Icon, InteractiveTable, Stack, Text, useStyles2, type Column } from '@grafana/ui';

import type { BoardRow, ReviewRow } from './kaizenApi';
import {
  changeSentence,
  day,
  formatP,
  formatPercent,
  formatValue,
  neededSentence,
  stateLook,
  verdictLook,
} from './kaizenModel';

/** One event's analysis: did it work (the two windows compared), and does it hold (its reviews). */
export function KaizenDetail({ row }: { row: BoardRow }) {
  const styles = useStyles2(getStyles);
  const e = row.event;
  const verdict = verdictLook(row);
  return (
    <section aria-label={`Analysis of ${e.id}`} className={styles.detail}>
      <Stack direction="column" gap={2}>
        <Stack alignItems="center" gap={2} wrap="wrap">
          <Text element="h2" variant="h3">
            {e.name}
          </Text>
          <Badge text={verdict.text} color={verdict.color} icon={verdict.icon} />
        </Stack>
        {row.target && (
          <Text color="secondary">
            {row.target} · <Icon name={e.better === 'lower' ? 'arrow-down' : 'arrow-up'} /> {e.better} is better
          </Text>
        )}
        {e.hypothesis && <Text italic>{e.hypothesis}</Text>}
        {row.error && <Text color="error">{row.error}</Text>}
        {!row.measured && !row.error && (
          <Text color="secondary">Not deployed yet: its impact is measured around deployed_at once it is set.</Text>
        )}
        {row.measured && row.windows && (
          <>
            <div className={styles.stats}>
              <Stat
                label="Median before"
                value={formatValue(row.before?.median, row.unit)}
                sub={`${row.before?.n ?? 0} points from ${day(row.windows.baseline_from)}`}
              />
              <Stat
                label="Median after"
                value={formatValue(row.after?.median, row.unit)}
                sub={`${row.after?.n ?? 0} points to ${day(row.windows.after_to)}${row.after_complete ? '' : ' (window still open)'}`}
              />
              <Stat label="Change" value={formatPercent(row.relative_change)} sub={formatValue(row.change, row.unit)} />
              <Stat
                label="95% interval of the change"
                value={row.ci95 ? `${formatValue(row.ci95[0], row.unit)} … ${formatValue(row.ci95[1], row.unit)}` : '—'}
                sub="bootstrap of the median difference"
              />
              <Stat
                label="Mann-Whitney U"
                value={formatP(row.p_value)}
                sub={`two-sided, alpha ${row.options?.alpha ?? 0.05}`}
              />
              <Stat
                label="Hypothesis"
                value={row.hypothesis_met === null ? '—' : row.hypothesis_met ? 'Met' : 'Not met'}
                sub={`${e.expected_direction}${e.expected_change_pct !== null ? ` by ${e.expected_change_pct} %` : ''}`}
              />
            </div>
            {row.verdict === 'insufficient-data' && <Text color="warning">{neededSentence(row.needed)}</Text>}
            {row.verdict !== 'insufficient-data' && (
              <Text color="secondary">
                {changeSentence(row)}. Deployed {day(e.deployed_at)}
                {e.settling_days > 0 ? `, ${e.settling_days} days of settling left out` : ''}.
              </Text>
            )}
            {row.phases && (
              <Text color="secondary">
                Control limits before: CL {formatValue(row.phases.before.center, row.unit)}, UCL{' '}
                {formatValue(row.phases.before.ucl, row.unit)}, LCL {formatValue(row.phases.before.lcl, row.unit)};
                after: CL {formatValue(row.phases.after.center, row.unit)}, UCL{' '}
                {formatValue(row.phases.after.ucl, row.unit)}, LCL {formatValue(row.phases.after.lcl, row.unit)}.{' '}
                {row.sustained_shift
                  ? 'Sustained shift: 9 or more points in a row on the better side of the old centre line.'
                  : 'No sustained shift (Nelson rule 2) yet.'}
              </Text>
            )}
          </>
        )}
        {row.reviews && row.reviews.length > 0 && <ReviewsTable reviews={row.reviews} unit={row.unit} />}
      </Stack>
    </section>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stat}>
      <Text color="secondary" variant="bodySmall">
        {label}
      </Text>
      <div className={styles.value}>{value}</div>
      <Text color="secondary" variant="bodySmall">
        {sub}
      </Text>
    </div>
  );
}

function ReviewsTable({ reviews, unit }: { reviews: ReviewRow[]; unit?: string }) {
  const columns: Array<Column<ReviewRow>> = [
    { id: 'days', header: 'Review', cell: ({ row: { original: r } }) => `${r.days} days (${day(r.date)})` },
    {
      id: 'state',
      header: 'Gain',
      cell: ({ row: { original: r } }) => {
        const look = stateLook(r.state);
        return <Badge text={look.text} color={look.color} icon={look.icon} />;
      },
    },
    { id: 'window', header: 'Window', cell: ({ row: { original: r } }) => `${day(r.from)} → ${day(r.date)}` },
    {
      id: 'median',
      header: 'Median',
      cell: ({ row: { original: r } }) => (r.n === null ? '—' : `${formatValue(r.median, unit)} (${r.n} points)`),
    },
    { id: 'change', header: 'Change vs before', cell: ({ row: { original: r } }) => formatValue(r.change, unit) },
    { id: 'p', header: 'Test', cell: ({ row: { original: r } }) => formatP(r.p_value) },
    {
      id: 'note',
      header: 'Note',
      cell: ({ row: { original: r } }) =>
        r.state === 'pending'
          ? `due ${day(r.date)}`
          : r.needed
            ? `needs ${r.needed} more points`
            : r.worse_run
              ? `longest run on the worse side: ${r.worse_run}`
              : '',
    },
  ];
  return <InteractiveTable columns={columns} data={reviews} getRowId={(r) => String(r.days)} />;
}

const getStyles = (theme: GrafanaTheme2) => ({
  detail: css({
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
  value: css({ fontSize: theme.typography.h3.fontSize, fontWeight: theme.typography.fontWeightMedium }),
});

// The chart's verdict in large type for a wall display: in control or not (icon, color and word),
// points, violations, and which rules fired.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { phaseHeadline, type PhaseSpan } from './phases';
import { summaryText, type ChartSummary } from './summary';

interface Props {
  summary: ChartSummary;
  /** Series name, shown when the panel repeats one chart per series. */
  title?: string;
  chartLabel: string;
  /** Numeral size in px; labels are smaller. */
  fontSize: number;
  /** The newest kaizen phase with a verdict: its name and verdict in words. */
  phase?: PhaseSpan;
}

export function SummaryRow({ summary, title, chartLabel, fontSize, phase }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const color = summary.inControl ? theme.colors.success.text : theme.colors.error.text;
  const label = { fontSize: Math.max(12, Math.round(fontSize * 0.55)) };
  return (
    <div
      className={styles.row}
      style={{ fontSize, height: Math.round(fontSize * 1.8) }}
      aria-label={summaryText(summary)}
      data-testid="controlchart-summary"
    >
      {title && (
        <span className={styles.title} title={title}>
          {title}
        </span>
      )}
      <span className={styles.status} style={{ color }}>
        <Icon
          name={summary.inControl ? 'check-circle' : 'exclamation-triangle'}
          style={{ width: fontSize, height: fontSize }}
        />
        {summary.status}
      </span>
      <span className={styles.stat}>
        <strong>{summary.points}</strong>
        <span style={label}>points</span>
      </span>
      <span className={styles.stat} style={{ color: summary.violations > 0 ? color : undefined }}>
        <strong>{summary.violations}</strong>
        <span style={label}>
          {summary.violations === 1 ? 'violation' : 'violations'}
          {summary.violations > 0 && ` on ${summary.flagged} point${summary.flagged === 1 ? '' : 's'}`}
        </span>
      </span>
      {phase && <PhaseVerdict phase={phase} labelSize={label.fontSize} />}
      <span className={styles.meta} style={label}>
        {chartLabel}
        {summary.notes && ` · ${summary.notes}`}
      </span>
    </div>
  );
}

/** "Checkout runbook ✔ Improved" with the verdict sentence in smaller type. */
function PhaseVerdict({ phase, labelSize }: { phase: PhaseSpan; labelSize: number }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const head = phaseHeadline(phase);
  return (
    <span className={styles.phase} data-testid="controlchart-phase">
      <span className={styles.phaseName} style={{ fontSize: labelSize }}>
        {head.title}
      </span>
      <strong style={{ color: theme.visualization.getColorByName(head.color ?? 'text') }}>{head.verdict}</strong>
      {phase.text && (
        <span className={styles.meta} style={{ fontSize: labelSize }}>
          {phase.text.replace(/^[^:]*: /, '')}
        </span>
      )}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  phase: css({ display: 'inline-flex', alignItems: 'baseline', gap: '0.35em', minWidth: 0, overflow: 'hidden' }),
  phaseName: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis' }),
  row: css({
    display: 'flex',
    alignItems: 'center',
    gap: '0.9em',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    color: theme.colors.text.primary,
    flexShrink: 0,
  }),
  title: css({
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: '4em',
    flexShrink: 1,
  }),
  status: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: '0.35em',
    fontWeight: theme.typography.fontWeightBold,
  }),
  stat: css({
    display: 'inline-flex',
    alignItems: 'baseline',
    gap: '0.3em',
    strong: { fontWeight: theme.typography.fontWeightBold },
  }),
  meta: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis', flexShrink: 1 }),
});

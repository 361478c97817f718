// Legend that states everything on the chart in text: series, limits with values, and each rule's
// marker shape with its count (readable on a wall, no hover needed). The panel wraps it in
// VizLayout.Legend: VizLayout reads `placement` from the legend element's own props.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, LegendDisplayMode, useStyles2, useTheme2, VizLegend, type VizLegendItem } from '@grafana/ui';

import { RULE_STYLE } from './chartConfig';
import type { Violation } from './limits';

interface Props {
  items: VizLegendItem[];
  violations: Violation[];
}

export function ChartLegend({ items, violations }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const counts = violations.reduce<Record<string, number>>(
    (acc, v) => ({ ...acc, [v.rule]: (acc[v.rule] ?? 0) + 1 }),
    {}
  );
  return (
    <div className={styles.row}>
      <VizLegend placement="bottom" displayMode={LegendDisplayMode.List} items={items} readonly />
      <span className={styles.rule}>
        <Icon name={violations.length ? 'exclamation-triangle' : 'check-circle'} />
        {violations.length} signals
      </span>
      {Object.entries(RULE_STYLE).map(([rule, s]) => (
        <span key={rule} className={styles.rule}>
          <svg width="14" height="14" viewBox="-8 -8 16 16" aria-hidden>
            {s.shape === 'triangle' ? (
              <path d="M0 -7 L7 5.6 L-7 5.6 Z" fill={theme.visualization.getColorByName(s.color)} />
            ) : (
              <rect x="-5.6" y="-5.6" width="11.2" height="11.2" fill={theme.visualization.getColorByName(s.color)} />
            )}
          </svg>
          {s.label}: {counts[rule] ?? 0}
        </span>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(2) }),
  rule: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});

// Everything on the chart in words, no hover needed: the series, CL/UCL/LCL with values, zones and
// baseline, and each rule checked with its marker and count. Wrapped in VizLayout.Legend by the chart.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { ChartModel } from './chart';
import { markerPath } from './overlays';
import { isRuleId, RULES } from './rules';

interface Props {
  model: ChartModel;
  seriesName: string;
  seriesColor: string;
  format: (v: number) => string;
  showZones: boolean;
  /** Text size in px. */
  fontSize: number;
}

export function ChartLegend({ model, seriesName, seriesColor, format, showZones, fontSize }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const red = theme.visualization.getColorByName('red');
  const last = (xs: number[]) => xs[xs.length - 1];
  const limit = (xs: number[]) => (model.constantLimits ? format(last(xs)) : `${format(last(xs))} (varies)`);
  const line = (color: string, dash?: string) => (
    <svg width={fontSize * 1.6} height={fontSize} viewBox="0 0 24 12" aria-hidden>
      <line x1="0" y1="6" x2="24" y2="6" stroke={color} strokeWidth="3" strokeDasharray={dash} />
    </svg>
  );
  return (
    <div className={styles.legend} style={{ fontSize }} data-testid="controlchart-legend">
      <span className={styles.item}>
        {line(seriesColor)}
        {seriesName}
      </span>
      <span className={styles.item}>
        {line(theme.colors.text.primary)}CL {limit(model.center)}
      </span>
      <span className={styles.item}>
        {line(red, '6 4')}UCL {limit(model.ucl)}
      </span>
      <span className={styles.item}>
        {line(red, '6 4')}LCL {limit(model.lcl)}
      </span>
      {showZones && model.zones && (
        <span className={styles.item}>
          <span className={styles.zones} style={{ width: fontSize * 1.4, height: fontSize }} aria-hidden>
            {['orange', 'yellow', 'green', 'yellow', 'orange'].map((c, i) => (
              <span key={i} style={{ background: theme.visualization.getColorByName(c), opacity: 0.45 }} />
            ))}
          </span>
          1σ / 2σ / 3σ zones
        </span>
      )}
      <span className={styles.item}>Limits from {model.limitsFrom}</span>
      {model.phases && model.phases.length > 0 && (
        <span className={styles.item} data-testid="legend-phases">
          <svg width={fontSize * 0.6} height={fontSize} viewBox="0 0 6 12" aria-hidden>
            <line x1="3" y1="0" x2="3" y2="12" stroke={theme.colors.text.primary} strokeWidth="2" />
          </svg>
          {model.phases.length === 1
            ? 'Kaizen event: a new phase'
            : `${model.phases.length} kaizen events: a new phase at each`}
          {model.phases.some((p) => p.end > p.time) && ' (shaded: settling period, left out of the limits)'}
        </span>
      )}
      {model.phases
        ?.filter((p) => p.note)
        .map((p) => (
          <span key={`${p.time} ${p.label}`} className={styles.item}>
            {p.label}: {p.note}
          </span>
        ))}
      {model.counts.map(({ rule, count }) => {
        const info = isRuleId(rule) ? RULES[rule] : undefined;
        const color = theme.visualization.getColorByName(info?.color ?? 'red');
        const r = 7;
        return (
          <span key={rule} className={styles.item} data-testid={`rule-${rule}`}>
            <svg width={fontSize * 1.1} height={fontSize * 1.1} viewBox="-9 -9 18 18" aria-hidden>
              <path
                d={markerPath(info?.shape ?? 'circle', r)}
                fill={info?.hollow ? 'none' : color}
                stroke={color}
                strokeWidth={info?.hollow ? 2.5 : 0}
              />
            </svg>
            <span>
              {info ? `${info.name} · ${info.description}` : rule}: <strong>{count}</strong>
            </span>
          </span>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    padding: theme.spacing(0.5, 0, 0, 0),
    color: theme.colors.text.primary,
    lineHeight: 1.3,
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75), whiteSpace: 'nowrap' }),
  zones: css({ display: 'inline-flex', flexDirection: 'column', '& > span': { flex: 1 } }),
});

// Error budget burn-down of one SLO over its current window: the budget left against the ideal even
// burn, with the numbers that matter written out above the plot (left now, where the ideal line is).
import React, { useMemo, useRef } from 'react';
import type { AlignedData } from 'uplot';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { UPlotChart, useStyles2, useTheme2 } from '@grafana/ui';

import { buildBurndownConfig } from './burndownConfig';
import { formatBudget } from './format';
import type { BurndownSeries, SLORow } from './model';
import { statusStyle } from './status';

interface Props {
  row: SLORow;
  series?: BurndownSeries;
  width: number;
  height: number;
  timeZone: TimeZone;
  /** Type scale of the panel (1 in a dashboard, up to 3 on a wall). */
  scale: number;
}

/** The last point with a budget value, and the ideal at the same time. */
export function latestPoint(s: BurndownSeries): { remaining: number; ideal: number | null } | null {
  for (let i = s.times.length - 1; i >= 0; i--) {
    const r = s.remaining[i];
    if (r !== null && r !== undefined) {
      return { remaining: r, ideal: s.ideal[i] ?? null };
    }
  }
  return null;
}

export function BurnDownChart({ row, series, width, height, timeZone, scale }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const st = statusStyle(theme, row.status);
  const headerFont = Math.round(14 * scale);
  const headerHeight = Math.round(headerFont * 2.6);
  const axisFontSize = Math.round(12 * Math.min(scale, 2.2));

  const points = series ? series.times.length : 0;
  const min = useMemo(() => {
    let m = 0;
    for (const v of series?.remaining ?? []) {
      if (v !== null && Number.isFinite(v)) {
        m = Math.min(m, v);
      }
    }
    return m;
  }, [series]);
  /* eslint-disable react-hooks/refs -- uPlot's range callback reads the newest minimum at draw time */
  const minRef = useRef(min);
  minRef.current = min;
  const timesRef = useRef<[number, number]>([0, 1]);
  timesRef.current = series && points > 1 ? [series.times[0], series.times[points - 1]] : [0, 1];
  const config = useMemo(
    () =>
      buildBurndownConfig({
        theme,
        timeZone,
        color: st.color,
        axisFontSize,
        getMin: () => minRef.current,
        getTimes: () => timesRef.current,
      }),
    [theme, timeZone, st.color, axisFontSize]
  );
  /* eslint-enable react-hooks/refs */

  const now = series ? latestPoint(series) : null;
  const title = row.service && row.service !== row.name ? `${row.name} · ${row.service}` : row.name;
  return (
    <div className={styles.box} style={{ width, height }} data-testid="slabreach-burndown">
      <div className={styles.header} style={{ height: headerHeight, fontSize: headerFont }}>
        <span className={styles.title}>
          Error budget burn-down <span className={styles.muted}>· {title}</span>
          {row.window && <span className={styles.muted}> · {row.window}</span>}
        </span>
        {now && (
          <span className={styles.now}>
            <b style={{ color: st.color, fontSize: '1.5em' }}>{formatBudget(now.remaining)}</b> left
            {/* a rolling window's ideal always ends at 0: only a period still running has one worth reading */}
            {now.ideal !== null && now.ideal > 0 && (
              <span className={styles.muted}> · ideal {formatBudget(now.ideal)}</span>
            )}
          </span>
        )}
      </div>
      {points < 2 ? (
        <div className={styles.empty} style={{ height: height - headerHeight, fontSize: headerFont }}>
          No burn-down in the data for this SLO (a slo query with metric status or burndown gives one).
        </div>
      ) : (
        <UPlotChart
          config={config}
          data={[series!.times, series!.remaining, series!.ideal] as AlignedData}
          width={width}
          height={height - headerHeight}
        />
      )}
      <div className={styles.legend} style={{ fontSize: Math.round(12 * scale) }}>
        <span>
          <i className={styles.swatch} style={{ borderTopColor: st.color }} /> budget remaining
        </span>
        <span>
          <i className={styles.swatch} style={{ borderTop: `2px dashed ${theme.colors.text.secondary}` }} /> ideal even
          burn
        </span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ position: 'relative', overflow: 'hidden' }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    paddingRight: theme.spacing(2),
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
  now: css({ flex: 'none', '& b': { fontVariantNumeric: 'tabular-nums' } }),
  empty: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', color: theme.colors.text.secondary }),
  legend: css({
    position: 'absolute',
    right: theme.spacing(1),
    top: '3.2em',
    display: 'flex',
    gap: theme.spacing(2),
    color: theme.colors.text.secondary,
    background: theme.colors.background.primary,
    padding: theme.spacing(0, 1),
  }),
  swatch: css({ display: 'inline-block', width: '1.6em', height: 0, borderTop: '3px solid', verticalAlign: 'middle' }),
});

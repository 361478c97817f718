// The control chart panel: finds the series in the data (any data source), and draws one chart per
// series (or the one picked), stacked or in a grid; says so in words when the data does not fit.
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ControlChart } from './ControlChart';
import { PanelMessage } from './PanelMessage';
import { collectPhases } from './phases';
import { findSeries } from './series';
import type { ControlChartOptions } from './types';

/** Below this a chart with its summary and legend stops being readable. */
export const MIN_CHART_HEIGHT = 220;
const MIN_CHART_WIDTH = 480;

/** Columns and rows for n charts, and how many fit. */
export function chartGrid(n: number, width: number, height: number): { columns: number; rows: number; shown: number } {
  const maxColumns = Math.max(1, Math.floor(width / MIN_CHART_WIDTH));
  const maxRows = Math.max(1, Math.floor(height / MIN_CHART_HEIGHT));
  // Prefer one column (time axes line up) unless the charts would get too flat.
  let columns = 1;
  while (columns < maxColumns && Math.ceil(n / columns) > maxRows) {
    columns++;
  }
  const rows = Math.min(maxRows, Math.ceil(n / columns));
  return { columns, rows, shown: Math.min(n, columns * rows) };
}

export function ControlChartPanel({
  data,
  options,
  width,
  height,
  timeRange,
  timeZone,
}: PanelProps<ControlChartOptions>) {
  const styles = useStyles2(getStyles);
  const found = useMemo(() => findSeries(data.series, options), [data.series, options]);
  // Kaizen events split every chart into phases: from a phase frame among the series, or annotations.
  const phases = useMemo(() => collectPhases(data.series, data.annotations), [data.series, data.annotations]);

  if (found.message) {
    return <PanelMessage text={found.message} width={width} height={height} />;
  }
  const n = found.series.length;
  const grid = chartGrid(n, width, height);
  const noteHeight = grid.shown < n ? 24 : 0;
  const gap = 8;
  const cellWidth = Math.floor((width - gap * (grid.columns - 1)) / grid.columns);
  const cellHeight = Math.floor((height - noteHeight - gap * (grid.rows - 1)) / grid.rows);
  return (
    <div className={styles.panel} style={{ width, height }}>
      {grid.shown < n && (
        <div className={styles.note} style={{ height: noteHeight }} role="status">
          Showing {grid.shown} of {n} series; pick one under Series → Field, or narrow the query.
        </div>
      )}
      <div className={styles.grid} style={{ gridTemplateColumns: `repeat(${grid.columns}, ${cellWidth}px)`, gap }}>
        {found.series.slice(0, grid.shown).map((s) => (
          <ControlChart
            key={s.key}
            series={s}
            phases={phases}
            options={options}
            width={cellWidth}
            height={cellHeight}
            timeRange={timeRange}
            timeZone={timeZone}
            showTitle={n > 1}
          />
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  grid: css({ display: 'grid' }),
  note: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize, flexShrink: 0 }),
});

// Cycle-time scatter: one point per completed item (x: when it was done, y: its cycle time) with the
// 50th, 85th and 95th percentile lines written out at the right edge and in the legend.
import React, { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { AlignedData } from 'uplot';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import {
  AxisPlacement,
  DrawStyle,
  PointVisibility,
  ScaleDirection,
  ScaleOrientation,
  UPLOT_AXIS_FONT_SIZE,
  UPlotChart,
  UPlotConfigBuilder,
  useStyles2,
  useTheme2,
  VizLayout,
} from '@grafana/ui';

import type { ScatterModel } from './model';

interface Props {
  scatter: ScatterModel;
  width: number;
  height: number;
  timeRange: TimeRange;
  timeZone: TimeZone;
  format: (seconds: number | null) => string;
  scale: number;
}

export const PERCENTILES: Array<{ key: 'p50' | 'p85' | 'p95'; label: string; dash: number[] }> = [
  { key: 'p50', label: '50%', dash: [] },
  { key: 'p85', label: '85%', dash: [10, 5] },
  { key: 'p95', label: '95%', dash: [3, 4] },
];

export function CycleScatter({ scatter, width, height, timeRange, timeZone, format, scale }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const axisFont = Math.round(UPLOT_AXIS_FONT_SIZE * Math.min(scale, 2.4));
  const labelFont = Math.round(13 * Math.min(scale, 2.4));
  const lineColor = theme.colors.text.primary;
  const labels = PERCENTILES.map((p) => `${p.label} ${format(scatter[p.key])}`);
  const gutter = Math.ceil(Math.max(...labels.map((l) => l.length)) * labelFont * 0.6 + labelFont);

  // uPlot's hooks read the newest percentiles and time range through refs at draw time, so new data
  // reaches the plot by setData without re-creating it (docs/harness.md, "uPlot in a plugin").
  const state = useRef({ scatter, format });
  state.current = { scatter, format };
  const range = useRef(timeRange);
  range.current = timeRange;
  const config = useMemo(() => {
    const b = new ScaledBuilder(timeZone);
    b.axisFont = axisFont > UPLOT_AXIS_FONT_SIZE ? `${axisFont}px ${theme.typography.fontFamily}` : undefined;
    b.addScale({
      scaleKey: 'x',
      isTime: true,
      orientation: ScaleOrientation.Horizontal,
      direction: ScaleDirection.Right,
      range: () => [range.current.from.valueOf(), range.current.to.valueOf()],
    });
    b.addAxis({
      scaleKey: 'x',
      isTime: true,
      placement: AxisPlacement.Bottom,
      timeZone,
      theme,
      size: b.axisFont ? Math.ceil(axisFont * 1.6 + 9) : undefined,
      space: b.axisFont ? axisFont * 8 : undefined,
    });
    b.addScale({
      scaleKey: 'cycle',
      orientation: ScaleOrientation.Vertical,
      direction: ScaleDirection.Up,
      range: (_u, _min, dataMax) => [0, Math.max(dataMax ?? 0, state.current.scatter.p95) * 1.08 || 1],
    });
    b.addAxis({
      scaleKey: 'cycle',
      placement: AxisPlacement.Left,
      theme,
      formatValue: (v) => state.current.format(Number(v)),
      size: b.axisFont ? Math.ceil(axisFont * 7) : undefined,
      space: b.axisFont ? axisFont * 3 : undefined,
    });
    const pointColor = theme.visualization.getColorByName('blue');
    b.addSeries({
      scaleKey: 'cycle',
      theme,
      drawStyle: DrawStyle.Points,
      showPoints: PointVisibility.Always,
      pointSize: Math.max(4, Math.round(4 * Math.min(scale, 2.4))),
      pointColor,
      lineColor: pointColor,
      lineWidth: 0,
      fillOpacity: 0,
    });
    b.setPadding([axisFont, gutter, 0, 0]);
    b.addHook('draw', (u: uPlot) =>
      drawPercentiles(u, state.current.scatter, state.current.format, lineColor, labelFont)
    );
    return b;
    // Structure, theme and sizes rebuild the config; values reach the hooks through the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, timeZone, axisFont, gutter, labelFont, scale]);

  const data: AlignedData = [scatter.times, scatter.cycle];
  return (
    <div style={{ width, height }} data-testid="valuestream-scatter">
      <VizLayout
        width={width}
        height={height}
        legend={
          <VizLayout.Legend placement="bottom">
            <div className={styles.legend} style={{ fontSize: labelFont }} data-testid="valuestream-scatter-legend">
              <span>
                <span className={styles.dot} style={{ background: theme.visualization.getColorByName('blue') }} />
                Cycle time of {scatter.cycle.length.toLocaleString('en-US')} completed items
              </span>
              {PERCENTILES.map((p, i) => (
                <span key={p.key}>
                  <svg width={labelFont * 2} height={labelFont * 0.6} aria-hidden>
                    <line
                      x1={0}
                      x2={labelFont * 2}
                      y1={labelFont * 0.3}
                      y2={labelFont * 0.3}
                      stroke={lineColor}
                      strokeWidth={2}
                      strokeDasharray={p.dash.join(' ')}
                    />
                  </svg>
                  {p.label} of items done within {format(scatter[p.key])}
                </span>
              ))}
            </div>
          </VizLayout.Legend>
        }
      >
        {(w, h) => <UPlotChart config={config} data={data} width={w} height={h} />}
      </VizLayout>
    </div>
  );
}

/** Horizontal percentile lines across the plot with their values at the right edge (canvas pixels). */
function drawPercentiles(
  u: uPlot,
  s: ScatterModel,
  format: (seconds: number | null) => string,
  color: string,
  fontPx: number
) {
  const { ctx, bbox } = u;
  const dpr = window.devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.5 * dpr;
  ctx.font = `${Math.round(fontPx * dpr)}px Inter, Helvetica, Arial, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left'; // uPlot leaves the last axis's alignment on the context
  for (const p of PERCENTILES) {
    const v = s[p.key];
    if (!Number.isFinite(v)) {
      continue;
    }
    const y = Math.round(u.valToPos(v, 'cycle', true));
    ctx.setLineDash(p.dash.map((d) => d * dpr));
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillText(`${p.label} ${format(v)}`, bbox.left + bbox.width + 6 * dpr, y);
  }
  ctx.restore();
}

/** UPlotAxisBuilder fixes axis text at 12 px; walls get the font on the finished config. */
class ScaledBuilder extends UPlotConfigBuilder {
  axisFont?: string;

  getConfig() {
    const config = super.getConfig();
    if (this.axisFont) {
      for (const axis of config.axes ?? []) {
        axis.font = this.axisFont;
      }
    }
    return config;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: '0.4em 1.4em',
    alignItems: 'center',
    color: theme.colors.text.primary,
    padding: theme.spacing(0.5, 0, 0, 0),
    span: { display: 'inline-flex', alignItems: 'center', gap: '0.4em' },
  }),
  dot: css({ display: 'inline-block', width: '0.7em', height: '0.7em', borderRadius: '50%' }),
});

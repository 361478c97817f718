// uPlot config of the error budget burn-down, on @grafana/ui's UPlotConfigBuilder: budget remaining
// (solid, the SLO's status color) against the ideal even burn (dashed), a zero line where the budget
// runs out, and axis text scaled for wall displays.
import type uPlot from 'uplot';
import type { GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import {
  AxisPlacement,
  DrawStyle,
  LineInterpolation,
  PointVisibility,
  ScaleDirection,
  ScaleOrientation,
  UPLOT_AXIS_FONT_SIZE,
  UPlotConfigBuilder,
} from '@grafana/ui';

/**
 * UPlotAxisBuilder fixes axis text at 12 px; on a wall the font is set on the finished config
 * (the control chart panel does the same).
 */
class ScaledConfigBuilder extends UPlotConfigBuilder {
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

export interface BurndownConfigArgs {
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  color: string;
  axisFontSize: number;
  /** Lowest budget remaining drawn (the y range stretches below 0 when overspent). */
  getMin: () => number;
  /** First and last time of the burn-down: Grafana's time scales do not range themselves. */
  getTimes: () => [number, number];
}

export const percentTick = (v: number) => `${Math.round(v * 100)}%`;

export function buildBurndownConfig(a: BurndownConfigArgs): UPlotConfigBuilder {
  const { theme } = a;
  const b = new ScaledConfigBuilder(a.timeZone);
  const big = a.axisFontSize > UPLOT_AXIS_FONT_SIZE;
  if (big) {
    b.axisFont = `${a.axisFontSize}px ${theme.typography.fontFamily}`;
  }
  b.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => a.getTimes(),
  });
  b.addAxis({
    scaleKey: 'x',
    isTime: true,
    placement: AxisPlacement.Bottom,
    timeZone: a.timeZone,
    theme,
    size: big ? Math.ceil(a.axisFontSize * 1.6 + 9) : undefined,
    space: big ? a.axisFontSize * 8 : undefined,
  });
  b.addScale({
    scaleKey: 'budget',
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    range: () => [Math.min(0, a.getMin()), 1.05],
  });
  b.addAxis({
    scaleKey: 'budget',
    placement: AxisPlacement.Left,
    theme,
    formatValue: percentTick,
    size: big ? Math.ceil(5 * a.axisFontSize * 0.62 + 14) : undefined,
    space: big ? a.axisFontSize * 3 : undefined,
  });
  b.addSeries({
    scaleKey: 'budget',
    theme,
    drawStyle: DrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: a.color,
    lineWidth: big ? 4 : 2,
    fillOpacity: 12,
    showPoints: PointVisibility.Never,
    spanNulls: false,
  });
  b.addSeries({
    scaleKey: 'budget',
    theme,
    drawStyle: DrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: theme.colors.text.secondary,
    lineWidth: big ? 3 : 1.5,
    lineStyle: { fill: 'dash', dash: [10, 6] },
    fillOpacity: 0,
    showPoints: PointVisibility.Never,
    spanNulls: true,
  });
  // room on the right for the last time label, which uPlot centres on the plot's edge
  b.setPadding([a.axisFontSize * 0.75, a.axisFontSize * 2, 0, 0]);
  b.addHook('draw', drawZeroLine(theme, a.axisFontSize));
  return b;
}

const px = (cssPx: number) => Math.round(cssPx * (window.devicePixelRatio || 1));

/** "Budget spent" line at 0, labelled, so an overspent curve reads without the axis. */
function drawZeroLine(theme: GrafanaTheme2, fontSize: number) {
  const red = theme.colors.error.main;
  return (u: uPlot) => {
    const { ctx, bbox } = u;
    const y = Math.round(u.valToPos(0, 'budget', true));
    ctx.save();
    ctx.strokeStyle = red;
    ctx.lineWidth = px(1.5);
    ctx.setLineDash([px(4), px(4)]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.fillStyle = red;
    ctx.font = `${theme.typography.fontWeightMedium} ${px(fontSize)}px ${theme.typography.fontFamily}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    // at the left: the ideal line ends at the right, on this same line
    ctx.fillText('budget spent', bbox.left + px(6), y - px(3));
    ctx.restore();
  };
}

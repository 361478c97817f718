// The uPlot config of one control chart, built with @grafana/ui's UPlotConfigBuilder (Grafana's
// axes, scales and colors) plus the overlay hooks. Memoized by the chart: values reach the hooks
// through getState, so a refresh with new data needs no new config.
import { getFieldSeriesColor, type DecimalCount, type Field, type GrafanaTheme2, type TimeRange } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
// Enums via @grafana/ui's re-exports: @grafana/ui is provided by Grafana, @grafana/schema would be bundled.
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

import type { ChartModel } from './chart';
import { drawBaseline, drawLimitLines, drawMarkers, drawZones, type OverlayState } from './overlays';
import { drawPhaseBoundaries, drawPhaseShading } from './phaseOverlays';

export interface ConfigArgs {
  value: Field;
  /** Formats a plotted value (the field's display, or percent for a p chart). */
  format: (v: number, decimals?: DecimalCount) => string;
  /** False when the plotted values are in another unit than the field (p chart proportions). */
  plotsFieldUnit: boolean;
  /** Index of the value field in its frame, so PlotLegend-style lookups find it. */
  frameIndex: number;
  valueIndex: number;
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  getTimeRange: () => TimeRange;
  getState: () => OverlayState;
  /** Axis text size in CSS px (12 in a dashboard; larger on a wall). */
  axisFontSize: number;
  hasLower: boolean;
  /** Width (CSS px) of the gutter right of the plot for the limit labels. */
  labelGutter: number;
  /** Height (CSS px) of the band above the plot for kaizen phase labels; 0 without phases. */
  phaseBand?: number;
}

/** y range that keeps the limits in view with a margin, whatever the points do. */
export function yRange(model: ChartModel): { min: number; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of [model.ucl, model.lcl, model.lower ?? []]) {
    for (const v of xs) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    return { min: 0, max: 1 };
  }
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  return { min: lo - pad, max: hi + pad };
}

export function buildConfig(a: ConfigArgs): UPlotConfigBuilder {
  const { theme, value } = a;
  const yKey = value.config.unit ?? 'y';
  const format = a.format;
  const b = new ScaledConfigBuilder(a.timeZone);

  b.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => {
      const r = a.getTimeRange();
      return [r.from.valueOf(), r.to.valueOf()];
    },
  });
  const big = a.axisFontSize > UPLOT_AXIS_FONT_SIZE;
  if (big) {
    b.axisFont = `${a.axisFontSize}px ${theme.typography.fontFamily}`;
  }
  b.addAxis({
    scaleKey: 'x',
    isTime: true,
    placement: AxisPlacement.Bottom,
    timeZone: a.timeZone,
    theme,
    // Larger text needs room: fixed sizes from the font instead of Grafana's 12 px measurements.
    size: big ? Math.ceil(a.axisFontSize * 1.6 + 9) : undefined,
    space: big ? a.axisFontSize * 8 : undefined,
  });

  // The limits stay in view with a margin, whatever the points do; read at draw time, so new
  // data moves the range without a new config. Field min/max still win.
  b.addScale({
    scaleKey: yKey,
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    range: (_u, dataMin, dataMax) => {
      const soft = yRange(a.getState().model);
      const pad = (Math.max(dataMax ?? soft.max, soft.max) - Math.min(dataMin ?? soft.min, soft.min)) * 0.02;
      const lo = value.config.min ?? Math.min(soft.min, (dataMin ?? soft.min) - pad);
      const hi = value.config.max ?? Math.max(soft.max, (dataMax ?? soft.max) + pad);
      return [lo, hi];
    },
  });
  b.addAxis({
    scaleKey: yKey,
    placement: AxisPlacement.Left,
    theme,
    formatValue: format,
    // a p chart plots proportions: the count field's decimals would filter out every tick but 0
    decimals: a.plotsFieldUnit ? value.config.decimals : undefined,
    size: big ? yAxisSize(a, format) : undefined,
    space: big ? a.axisFontSize * 3 : undefined,
  });

  const color = getFieldSeriesColor(value, theme).color;
  b.addSeries({
    scaleKey: yKey,
    theme,
    drawStyle: DrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: color,
    lineWidth: big ? 3 : 2,
    fillOpacity: 0,
    showPoints: PointVisibility.Auto,
    pointSize: big ? 7 : 5,
    pointColor: color,
    spanNulls: true,
    dataFrameFieldIndex: { frameIndex: a.frameIndex, fieldIndex: a.valueIndex },
  });
  if (a.hasLower) {
    // cusum: C- drawn downwards against the LCL, in the same color, dashed
    b.addSeries({
      scaleKey: yKey,
      theme,
      drawStyle: DrawStyle.Line,
      lineInterpolation: LineInterpolation.Linear,
      lineColor: color,
      lineWidth: big ? 3 : 2,
      lineStyle: { fill: 'dash', dash: [8, 4] },
      fillOpacity: 0,
      showPoints: PointVisibility.Never,
      spanNulls: true,
    });
  }

  b.setPadding([Math.max(a.axisFontSize * 0.75, a.phaseBand ?? 0), a.labelGutter, 0, 0]);
  b.addHook('drawClear', drawZones(theme, yKey, a.getState));
  b.addHook('drawClear', drawBaseline(theme, a.getState));
  b.addHook('drawClear', drawPhaseShading(theme, a.getState));
  b.addHook('draw', drawLimitLines(theme, yKey, a.getState));
  b.addHook('draw', drawMarkers(theme, yKey, a.getState));
  b.addHook('draw', drawPhaseBoundaries(theme, a.getState));

  return b;
}

/**
 * UPlotAxisBuilder fixes axis text at 12 px. For wall displays the font is set on the finished
 * config instead, when UPlotChart asks for it (after plugins such as tooltips have added theirs).
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

/** Room for the widest y tick label at the wall font size. */
function yAxisSize(a: ConfigArgs, format: (v: number) => string): number {
  const { min, max } = yRange(a.getState().model);
  const longest = Math.max(format(min).length, format(max).length, format((min + max) / 2).length);
  return Math.ceil(longest * a.axisFontSize * 0.62 + 14);
}

// Builds the uPlot config for the demo control chart with @grafana/ui's UPlotConfigBuilder: the same
// axes, scales, fonts and colors as Grafana's own time series, plus our overlay hooks.
import {
  formattedValueToString,
  getFieldSeriesColor,
  type DataFrame,
  type DecimalCount,
  type Field,
  type GrafanaTheme2,
  type TimeRange,
  type TimeZone,
} from '@grafana/data';
// Enums via @grafana/ui's re-exports: @grafana/ui is provided by Grafana, @grafana/schema would be bundled.
import {
  AxisPlacement,
  DrawStyle,
  LineInterpolation,
  PointVisibility,
  ScaleDirection,
  ScaleOrientation,
  UPlotConfigBuilder,
} from '@grafana/ui';

import type { Limits, Violation } from './limits';
import { drawBaseline, drawLimitLines, drawMarkers, drawZones, type MarkerShape } from './overlays';

export const RULE_STYLE: Record<Violation['rule'], { label: string; shape: MarkerShape; color: string }> = {
  beyond3s: { label: 'Beyond 3σ', shape: 'triangle', color: 'red' },
  run8: { label: '8 in a row on one side', shape: 'square', color: 'orange' },
};

/** What the hooks read at draw time; kept in a ref so new data needs no new config. */
export interface OverlayState {
  limits: Limits;
  violations: Violation[];
  baseline: [number, number] | null;
}

interface Args {
  frame: DataFrame;
  timeField: Field;
  valueField: Field;
  valueFieldIndex: number;
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  getTimeRange: () => TimeRange;
  showZones: boolean;
  getState: () => OverlayState;
}

export function buildChartConfig(a: Args): UPlotConfigBuilder {
  const { theme, valueField } = a;
  const yKey = valueField.config.unit ?? 'y';
  const format = (v: number, decimals?: DecimalCount) => formattedValueToString(valueField.display!(v, decimals));
  const b = new UPlotConfigBuilder(a.timeZone);

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
  b.addAxis({ scaleKey: 'x', isTime: true, placement: AxisPlacement.Bottom, timeZone: a.timeZone, theme });

  // Soft limits keep UCL/LCL on screen even when every point lies well inside them.
  const { limits } = a.getState();
  b.addScale({
    scaleKey: yKey,
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    softMin: limits.lcl - limits.sigma * 0.5,
    softMax: limits.ucl + limits.sigma * 0.5,
    min: valueField.config.min,
    max: valueField.config.max,
  });
  b.addAxis({
    scaleKey: yKey,
    placement: AxisPlacement.Left,
    theme,
    formatValue: format,
    decimals: valueField.config.decimals,
  });

  b.addSeries({
    scaleKey: yKey,
    theme,
    drawStyle: DrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: getFieldSeriesColor(valueField, theme).color,
    lineWidth: 2,
    fillOpacity: 0,
    showPoints: PointVisibility.Never,
    pointSize: 5,
    spanNulls: false,
    // Lets PlotLegend find the field (name, color, calcs) behind this series.
    dataFrameFieldIndex: { frameIndex: 0, fieldIndex: a.valueFieldIndex },
  });

  const state = a.getState;
  if (a.showZones) {
    b.addHook(
      'drawClear',
      drawZones(theme, yKey, () => state().limits)
    );
  }
  b.addHook(
    'drawClear',
    drawBaseline(theme, () => state().baseline)
  );
  b.addHook(
    'draw',
    drawLimitLines(
      theme,
      yKey,
      () => state().limits,
      (v) => format(v)
    )
  );
  const style = Object.fromEntries(
    Object.entries(RULE_STYLE).map(([rule, s]) => [
      rule,
      { shape: s.shape, color: theme.visualization.getColorByName(s.color) },
    ])
  ) as Record<Violation['rule'], { shape: MarkerShape; color: string }>;
  b.addHook(
    'draw',
    drawMarkers(theme, yKey, () => state().violations, style)
  );
  return b;
}

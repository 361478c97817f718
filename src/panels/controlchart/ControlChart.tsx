// One control chart: summary, the uPlot chart with its overlays, and the legend.
import React, { useMemo, useRef } from 'react';
import type { AlignedData } from 'uplot';
import { css } from '@emotion/css';
import {
  formattedValueToString,
  getDisplayProcessor,
  getFieldSeriesColor,
  type DecimalCount,
  type DisplayProcessor,
  type Field,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { TooltipPlugin2, UPlotChart, useStyles2, useTheme2, VizLayout } from '@grafana/ui';

import { CHART_LABELS } from './chart';
import { ChartLegend } from './ChartLegend';
import { buildConfig } from './config';
import { PanelMessage } from './PanelMessage';
import { limitLabelFont, limitLabels, type OverlayState } from './overlays';
import { phaseBandHeight } from './phaseOverlays';
import { buildChartWithPhases, latestVerdict } from './phasedChart';
import type { Phase } from './phases';
import { ruleLabel } from './rules';
import type { SeriesInput } from './series';
import { displayScale, summarize } from './summary';
import { SummaryRow } from './SummaryRow';
import type { ControlChartOptions } from './types';
import type { ChartType } from '../../lib/spc';

interface Props {
  series: SeriesInput;
  /** Kaizen phases in the panel's data or annotations; the chart starts a new phase at each. */
  phases?: Phase[];
  options: ControlChartOptions;
  width: number;
  height: number;
  timeRange: TimeRange;
  timeZone: TimeZone;
  /** Name the series in the summary (several charts in the panel). */
  showTitle: boolean;
}

export function ControlChart({
  series,
  phases = NO_PHASES,
  options,
  width,
  height,
  timeRange,
  timeZone,
  showTitle,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const outcome = useMemo(() => buildChartWithPhases(series, options, phases), [series, options, phases]);
  const scale = displayScale(width, height);
  const value = series.value;
  const display = useMemo(
    () => plottedDisplay(value, outcome.model?.chart, theme),
    [value, outcome.model?.chart, theme]
  );
  const format = (v: number, decimals?: DecimalCount) => formattedValueToString(display(v, decimals));

  const hasLower = Boolean(outcome.model?.lower);
  const failed = outcome.model === undefined;
  const chartName = outcome.model?.chart;
  const axisFontSize = Math.round(12 * Math.min(scale, 2.2));
  // Room for "UCL 213 ms" right of the plot; a longer label later rebuilds the config.
  const labelChars = outcome.model ? Math.max(...limitLabels(outcome.model, format).map((l) => l.length)) : 0;
  const labelGutter = Math.ceil(labelChars * limitLabelFont(scale) * 0.62 + limitLabelFont(scale));
  // Phase labels sit in a band above the plot, so they never cover points or limits.
  const phaseBand = outcome.model?.phases?.length ? phaseBandHeight(scale) : 0;

  /* eslint-disable react-hooks/refs --
   * uPlot's hooks read the newest chart and time range through refs at draw time, so new data
   * reaches the plot by setData without re-creating it (docs/harness.md, "uPlot in a plugin"). */
  const stateRef = useRef<OverlayState | null>(null);
  stateRef.current = outcome.model ? { model: outcome.model, showZones: options.showZones, scale, format } : null;
  const rangeRef = useRef(timeRange);
  rangeRef.current = timeRange;
  const config = useMemo(
    () =>
      failed
        ? null
        : buildConfig({
            value,
            format,
            plotsFieldUnit: display === value.display && chartName !== 'p',
            frameIndex: series.frameIndex,
            valueIndex: series.valueIndex,
            theme,
            timeZone,
            getTimeRange: () => rangeRef.current,
            getState: () => stateRef.current!,
            axisFontSize,
            hasLower,
            labelGutter,
            phaseBand,
          }),
    // Structure, theme and sizes rebuild the config; new values and limits reach the hooks and the
    // y range through the ref. A chart that could not be computed has no config until it can.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [value.config, display, chartName, theme, timeZone, axisFontSize, hasLower, labelGutter, phaseBand, failed]
  );
  /* eslint-enable react-hooks/refs */

  if (!outcome.model || !config) {
    return <PanelMessage text={outcome.error!} width={width} height={height} />;
  }
  const model = outcome.model;
  const summary = summarize(model);
  const numeral = Math.round(18 * scale);
  const summaryHeight = options.showSummary ? Math.round(numeral * 1.8) + 4 : 0;
  const chartLabel =
    model.source === 'frame'
      ? `${CHART_LABELS[model.chart as ChartType] ?? model.chart} chart from the data source`
      : `${CHART_LABELS[model.chart as ChartType] ?? model.chart} chart`;
  const data: AlignedData = hasLower ? [model.times, model.values, model.lower!] : [model.times, model.values];
  const seriesColor = getFieldSeriesColor(value, theme).color;
  const legendFont = Math.round(14 * Math.min(scale, 2.2));

  return (
    <div style={{ width, height }} data-testid="controlchart">
      {options.showSummary && (
        <SummaryRow
          summary={summary}
          title={showTitle ? series.name : undefined}
          chartLabel={chartLabel}
          fontSize={numeral}
          phase={latestVerdict(model)}
        />
      )}
      <VizLayout
        width={width}
        height={height - summaryHeight}
        legend={
          options.showLegend ? (
            <VizLayout.Legend placement="bottom" maxHeight="40%">
              <ChartLegend
                model={model}
                seriesName={series.name}
                seriesColor={seriesColor}
                format={format}
                showZones={options.showZones}
                fontSize={legendFont}
              />
            </VizLayout.Legend>
          ) : null
        }
      >
        {(w, h) => (
          <UPlotChart config={config} data={data} width={w} height={h}>
            <TooltipPlugin2
              config={config}
              hoverMode={1 /* TooltipHoverMode.xAll: a const enum @grafana/ui does not export */}
              render={(u, idxs) => {
                const i = idxs[1] ?? idxs[0];
                if (i == null) {
                  return null;
                }
                const rules = model.violations.filter((v) => v.index === i).map((v) => ruleLabel(v.rule));
                return (
                  <div className={styles.tooltip}>
                    <div>
                      <strong>{format(model.values[i])}</strong> · {series.name}
                    </div>
                    <div>
                      CL {format(model.center[i])} · UCL {format(model.ucl[i])} · LCL {format(model.lcl[i])}
                    </div>
                    {rules.map((r) => (
                      <div key={r} className={styles.violation}>
                        {r}
                      </div>
                    ))}
                  </div>
                );
              }}
            />
          </UPlotChart>
        )}
      </VizLayout>
    </div>
  );
}

const NO_PHASES: Phase[] = [];

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({ padding: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  violation: css({ color: theme.colors.error.text }),
});

/**
 * A p chart plots proportions whatever the field counts, so its values read as percentages unless
 * the field already says percent; every other chart plots in the field's own unit.
 */
export function plottedDisplay(value: Field, chart: string | undefined, theme: GrafanaTheme2): DisplayProcessor {
  const unit = value.config.unit;
  if (chart === 'p' && unit !== 'percentunit' && unit !== 'percent') {
    return getDisplayProcessor({ field: { ...value, config: { ...value.config, unit: 'percentunit' } }, theme });
  }
  return value.display ?? getDisplayProcessor({ field: value, theme });
}

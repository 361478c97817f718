// Demo panel for the harness: a control chart drawn with @grafana/ui's uPlot primitives
// (UPlotConfigBuilder + UPlotChart + VizLayout + TooltipPlugin2). The control chart panel starts from here.
import React, { useMemo, useRef } from 'react';
import type { AlignedData } from 'uplot';
import {
  FieldType,
  formattedValueToString,
  getFieldDisplayName,
  getFieldSeriesColor,
  type PanelProps,
} from '@grafana/data';
import { TooltipPlugin2, UPlotChart, useTheme2, VizLayout, type VizLegendItem } from '@grafana/ui';

import { buildChartConfig, type OverlayState } from './chartConfig';
import { ChartLegend } from './ChartLegend';
import { findViolations, xmrLimits } from './limits';
import type { DemoOptions } from './types';

export function DemoChartPanel({ data, width, height, options, timeZone, timeRange }: PanelProps<DemoOptions>) {
  const theme = useTheme2();
  const frame = data.series.find((f) => f.fields.some((x) => x.type === FieldType.time));
  const timeField = frame?.fields.find((x) => x.type === FieldType.time);
  const valueFieldIndex = frame?.fields.findIndex((x) => x.type === FieldType.number) ?? -1;
  const valueField = frame?.fields[valueFieldIndex];

  // Recomputed per data; hooks read it through the ref, so the uPlot config survives a refresh.
  const state = useMemo<OverlayState | null>(() => {
    if (!timeField || !valueField || valueField.values.length < 2) {
      return null;
    }
    const n = Math.max(2, Math.floor(valueField.values.length * options.baselineFraction));
    const limits = xmrLimits(valueField.values, n);
    return {
      limits,
      violations: findViolations(valueField.values, limits),
      baseline: [timeField.values[0], timeField.values[n - 1]],
    };
  }, [timeField, valueField, options.baselineFraction]);
  const stateRef = useRef(state);
  stateRef.current = state;
  const rangeRef = useRef(timeRange);
  rangeRef.current = timeRange;

  const config = useMemo(
    () =>
      frame && timeField && valueField && stateRef.current
        ? buildChartConfig({
            frame,
            timeField,
            valueField,
            valueFieldIndex,
            theme,
            timeZone,
            getTimeRange: () => rangeRef.current,
            showZones: options.showZones,
            getState: () => stateRef.current!,
          })
        : null,
    // Structure, theme and options rebuild the config; values alone do not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [frame?.fields.length, valueField?.config, theme, timeZone, options.showZones]
  );

  if (!frame || !timeField || !valueField || !state || !config) {
    return <div style={{ padding: theme.spacing(2) }}>Needs a frame with a time field and a number field.</div>;
  }

  const plotData: AlignedData = [timeField.values, valueField.values];
  const fmt = (v: number) => formattedValueToString(valueField.display!(v));
  const red = theme.visualization.getColorByName('red');
  const legendItems: VizLegendItem[] = [
    {
      label: getFieldDisplayName(valueField, frame, data.series),
      color: getFieldSeriesColor(valueField, theme).color,
      yAxis: 1,
    },
    { label: `CL ${fmt(state.limits.cl)}`, color: theme.colors.text.primary, yAxis: 1 },
    { label: `UCL ${fmt(state.limits.ucl)}`, color: red, yAxis: 1, lineStyle: { fill: 'dash' } },
    { label: `LCL ${fmt(state.limits.lcl)}`, color: red, yAxis: 1, lineStyle: { fill: 'dash' } },
  ];

  return (
    <VizLayout
      width={width}
      height={height}
      legend={
        options.showLegend ? (
          <VizLayout.Legend placement="bottom">
            <ChartLegend items={legendItems} violations={state.violations} />
          </VizLayout.Legend>
        ) : null
      }
    >
      {(vizWidth, vizHeight) => (
        <UPlotChart config={config} data={plotData} width={vizWidth} height={vizHeight}>
          <TooltipPlugin2
            config={config}
            hoverMode={1 /* TooltipHoverMode.xAll: a const enum @grafana/ui does not export */}
            render={(u, idxs) => {
              const i = idxs[1] ?? idxs[0];
              return i == null ? null : <div style={{ padding: theme.spacing(1) }}>{fmt(valueField.values[i])}</div>;
            }}
          />
        </UPlotChart>
      )}
    </VizLayout>
  );
}

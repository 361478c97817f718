// Harness-only stand-ins for Grafana's core stat and bar gauge panels, which live in Grafana's
// own source (public/app/plugins/panel) and cannot be mounted from npm packages. They draw with the
// same @grafana/ui components those panels use (BigValue, BarGauge, VizRepeater) from the same
// getFieldDisplayValues result, for the options a wall dashboard sets; sparklines, links and
// percent change are left out.
import React from 'react';
import {
  getFieldDisplayValues,
  PanelPlugin,
  VizOrientation,
  type FieldDisplay,
  type PanelProps,
  type ReduceDataOptions,
} from '@grafana/data';
import {
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  useTheme2,
  VizRepeater,
} from '@grafana/ui';

interface TextOptions {
  titleSize?: number;
  valueSize?: number;
}

export interface StatOptions {
  reduceOptions: ReduceDataOptions;
  colorMode: BigValueColorMode;
  graphMode: BigValueGraphMode;
  justifyMode: BigValueJustifyMode;
  textMode: BigValueTextMode;
  orientation: VizOrientation;
  wideLayout: boolean;
  text?: TextOptions;
}

export interface BarGaugeOptions {
  reduceOptions: ReduceDataOptions;
  displayMode: BarGaugeDisplayMode;
  orientation: VizOrientation;
  showUnfilled: boolean;
  valueMode?: 'color' | 'text' | 'hidden';
  namePlacement?: 'auto' | 'top' | 'left' | 'hidden';
  minVizHeight?: number;
  minVizWidth?: number;
  maxVizHeight?: number;
  text?: TextOptions;
}

const defaultReduce: ReduceDataOptions = { calcs: ['lastNotNull'], values: false, fields: '' };

function useDisplayValues<T extends { reduceOptions: ReduceDataOptions }>(props: PanelProps<T>): FieldDisplay[] {
  const theme = useTheme2();
  return getFieldDisplayValues({
    data: props.data.series,
    reduceOptions: props.options.reduceOptions ?? defaultReduce,
    fieldConfig: props.fieldConfig,
    replaceVariables: props.replaceVariables,
    theme,
    timeZone: props.timeZone,
  });
}

function StatPanel(props: PanelProps<StatOptions>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  const { options, width, height } = props;
  return (
    <VizRepeater<FieldDisplay>
      source={props.data}
      getValues={() => values}
      renderCounter={props.renderCounter}
      width={width}
      height={height}
      itemSpacing={3}
      autoGrid={true}
      orientation={options.orientation ?? VizOrientation.Auto}
      renderValue={({ value, width: w, height: h, count }) => (
        <BigValue
          theme={theme}
          value={value.display}
          width={w}
          height={h}
          count={count}
          colorMode={options.colorMode ?? BigValueColorMode.Value}
          graphMode={BigValueGraphMode.None}
          justifyMode={options.justifyMode}
          textMode={options.textMode}
          text={options.text}
          disableWideLayout={!options.wideLayout}
        />
      )}
    />
  );
}

function BarGaugePanel(props: PanelProps<BarGaugeOptions>) {
  const theme = useTheme2();
  const values = useDisplayValues(props);
  const { options, width, height } = props;
  const orientation = options.orientation ?? VizOrientation.Horizontal;
  return (
    <VizRepeater<FieldDisplay>
      source={props.data}
      getValues={() => values}
      renderCounter={props.renderCounter}
      width={width}
      height={height}
      itemSpacing={8}
      orientation={orientation}
      minVizHeight={options.minVizHeight}
      minVizWidth={options.minVizWidth}
      maxVizHeight={options.maxVizHeight}
      renderValue={({ value, width: w, height: h }) => (
        <BarGauge
          theme={theme}
          value={value.display}
          field={value.field}
          width={w}
          height={h}
          orientation={orientation}
          displayMode={options.displayMode ?? BarGaugeDisplayMode.Basic}
          showUnfilled={options.showUnfilled}
          valueDisplayMode={options.valueMode as never}
          namePlacement={options.namePlacement as never}
          text={options.text}
          isOverflow={false}
        />
      )}
    />
  );
}

/** The stat panel's stand-in: `module: () => Promise.resolve({ plugin: statPlugin })`. */
export const statPlugin = new PanelPlugin<StatOptions>(StatPanel).useFieldConfig();
/** The bar gauge panel's stand-in. */
export const barGaugePlugin = new PanelPlugin<BarGaugeOptions>(BarGaugePanel).useFieldConfig();

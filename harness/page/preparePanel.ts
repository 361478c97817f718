// Does what Grafana does between a query result and a panel's props: option defaults from the
// plugin, field config defaults merged with the saved config, and applyFieldOverrides so every field
// has its display processor (units, decimals, thresholds, mappings, color).
import { cloneDeep, mergeWith } from 'lodash';
import {
  applyFieldOverrides,
  dateTime,
  LoadingState,
  type DataFrame,
  type FieldConfigSource,
  type GrafanaTheme2,
  type InterpolateFunction,
  type PanelData,
  type PanelPlugin,
  type TimeRange,
} from '@grafana/data';

import type { Fixture, PanelFixture } from '../lib/fixture';

export const TIME_ZONE = 'utc';
const DEFAULT_RANGE = { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' };

export interface PreparedPanel {
  fixture: PanelFixture;
  plugin: PanelPlugin;
  options: Record<string, unknown>;
  fieldConfig: FieldConfigSource;
  data: PanelData;
}

/** Saved values win over defaults; arrays replace rather than merge, as Grafana does. */
function mergeSaved<T>(defaults: T, saved: unknown): T {
  return mergeWith(cloneDeep(defaults), saved ?? {}, (_a: unknown, b: unknown) => (Array.isArray(b) ? b : undefined));
}

export function fixtureTimeRange(f: Fixture): TimeRange {
  const r = f.timeRange ?? DEFAULT_RANGE;
  const from = dateTime(r.from);
  const to = dateTime(r.to);
  return { from, to, raw: { from: r.from, to: r.to } };
}

/** $name, ${name}, ${name:fmt} and [[name]]; unknown names stay as written, like Grafana. */
export function makeReplaceVariables(vars: Record<string, string>, range: TimeRange): InterpolateFunction {
  const all: Record<string, string> = {
    __from: String(range.from.valueOf()),
    __to: String(range.to.valueOf()),
    ...vars,
  };
  return (text: string) =>
    text.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (m, a, b, c) => all[a ?? b ?? c] ?? m);
}

export async function preparePanel(
  p: PanelFixture,
  frames: DataFrame[],
  range: TimeRange,
  theme: GrafanaTheme2,
  replaceVariables: InterpolateFunction
): Promise<PreparedPanel> {
  const { plugin } = await p.module();
  const options = mergeSaved(plugin.defaults as Record<string, unknown>, p.options);
  const defaults = plugin.fieldConfigDefaults;
  const fieldConfig: FieldConfigSource = {
    defaults: mergeSaved(defaults.defaults, p.fieldConfig?.defaults),
    overrides: p.fieldConfig?.overrides ?? defaults.overrides,
  };
  const series = applyFieldOverrides({
    data: frames,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: TIME_ZONE,
  });
  return {
    fixture: p,
    plugin,
    options,
    fieldConfig,
    data: { state: LoadingState.Done, series, timeRange: range, annotations: [] },
  };
}

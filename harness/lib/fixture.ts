// The fixture registry API. A panel author adds one file, harness/fixtures/<panel>.ts, whose default
// export is `defineFixtures(...)`; the harness build discovers every file in that folder.
import type { DataFrame, FieldConfigSource, PanelPlugin, TimeRange } from '@grafana/data';

/** What a fixture's data function receives. */
export interface DataContext {
  /** The fixture's absolute time range (UTC). */
  timeRange: TimeRange;
  /** Set by `npm run bench:render`; a fixture with `bench: true` must return about this many points. */
  points?: number;
}

type DeepPartial<T> = T extends Array<infer _U> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A panel module as `src/panels/<name>/module.ts` exports it. */
export interface PanelModule<TOptions, TFieldConfig extends object> {
  plugin: PanelPlugin<TOptions, TFieldConfig>;
}

export interface PanelFixture<TOptions = any, TFieldConfig extends object = any> {
  /** Shown in the panel header, as in a dashboard. Empty: no header. */
  title?: string;
  description?: string;
  /** Lazy import of the panel module: `() => import('../../src/panels/controlchart/module')`. */
  module: () => Promise<PanelModule<TOptions, TFieldConfig>>;
  /** Merged over the plugin's option defaults (arrays replace, as in a saved dashboard). */
  options?: DeepPartial<TOptions>;
  /** Merged over the plugin's field config defaults, then applied with applyFieldOverrides. */
  fieldConfig?: {
    defaults?: DeepPartial<FieldConfigSource<DeepPartial<TFieldConfig>>['defaults']>;
    overrides?: FieldConfigSource['overrides'];
  };
  /** DataFrames as a query would return them (toDataFrame/createDataFrame). */
  data: (ctx: DataContext) => DataFrame[];
  /** 'canvas' (default): ready once every <canvas> in the panel has pixels. 'mounted': for panels without canvas. */
  ready?: 'canvas' | 'mounted';
  transparent?: boolean;
}

export interface Fixture {
  /** Unique, [a-z0-9-]; used in URLs and screenshot file names. */
  name: string;
  /** One panel fills the viewport; several form a grid (a wall display). */
  panels: PanelFixture[];
  /** Grid columns; default ceil(sqrt(panels)). */
  columns?: number;
  /** Absolute ISO times; default 2026-01-01 to 2026-01-08 UTC, so screenshots are stable. */
  timeRange?: { from: string; to: string };
  /** Dashboard variables that `replaceVariables` interpolates ($name, ${name}). */
  variables?: Record<string, string>;
  /** The fixture's data honours `ctx.points`, so `bench:render` can use it. */
  bench?: boolean;
  /** Default true; false keeps it out of `npm run screenshots` (e.g. a bench-only fixture). */
  screenshots?: boolean;
}

/** Infers the options type from the module, so a fixture's `options` are type-checked. */
export function panel<TOptions, TFieldConfig extends object>(
  p: PanelFixture<TOptions, TFieldConfig>
): PanelFixture<TOptions, TFieldConfig> {
  return p;
}

export function defineFixtures(...fixtures: Fixture[]): Fixture[] {
  return fixtures;
}

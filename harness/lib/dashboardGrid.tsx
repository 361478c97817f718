// A dashboard's panels laid out by their gridPos (24 columns), as one harness panel: the fixture
// page lays panels out in a uniform grid, a wall dashboard needs tiles, wide panels and tall ones.
// Rows are stretched to fill the height, as Grafana's kiosk mode with autofitpanels does on a wall.
// Each child goes through the page's own preparePanel and PanelHost, so it gets the props, field
// overrides and readiness tracking any fixture panel gets.
import React, { useEffect, useState } from 'react';
import {
  PanelPlugin,
  type DataFrame,
  type Field,
  type InterpolateFunction,
  type PanelProps,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

import { PanelErrorBoundary, PanelHost } from '../page/PanelHost';
import { preparePanel, type PreparedPanel } from '../page/preparePanel';
import type { PanelFixture } from './fixture';

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GridChild {
  fixture: PanelFixture;
  gridPos: GridPos;
  frames: DataFrame[];
  /** The panel's own range (a panel time override such as timeFrom: 30d); default the dashboard's. */
  timeRange?: TimeRange;
}

const COLUMNS = 24;

/**
 * Resolves ${__field.labels.x}, ${__field.name} and ${__series.name} as Grafana's template service
 * does (from the field in scopedVars.__dataContext), then the dashboard's variables.
 */
export function withFieldVariables(replace: InterpolateFunction): InterpolateFunction {
  return (text: string, scopedVars?: ScopedVars, format?: string | Function) => {
    const ctx = scopedVars?.__dataContext?.value as { field?: Field; frame?: DataFrame } | undefined;
    const roots: Record<string, unknown> = {
      __field: scopedVars?.__field?.value ?? (ctx?.field && { name: ctx.field.name, labels: ctx.field.labels ?? {} }),
      __series: scopedVars?.__series?.value ?? (ctx?.frame && { name: ctx.frame.name }),
    };
    const scoped = text.replace(/\$\{(__field|__series)((?:\.\w+)+)\}/g, (m, name: string, path: string) => {
      let v: unknown = roots[name];
      for (const key of path.slice(1).split('.')) {
        v = v == null ? undefined : (v as Record<string, unknown>)[key];
      }
      return v == null ? m : String(v);
    });
    return replace(scoped, scopedVars, format);
  };
}

/** Pixel boxes of the children: 24 columns across the width, rows stretched to fill the height. */
export function layoutGrid(children: GridPos[], width: number, height: number, gap: number) {
  const rows = Math.max(1, ...children.map((g) => g.y + g.h));
  const colW = (width - gap) / COLUMNS;
  const rowH = (height - gap) / rows;
  return children.map((g) => ({
    left: Math.round(g.x * colW + gap),
    top: Math.round(g.y * rowH + gap),
    width: Math.round(g.w * colW - gap),
    height: Math.round(g.h * rowH - gap),
  }));
}

export function dashboardGridPlugin(children: GridChild[]): PanelPlugin {
  function DashboardGrid({ width, height, timeRange, replaceVariables, eventBus }: PanelProps) {
    const theme = useTheme2();
    const [prepared, setPrepared] = useState<PreparedPanel[]>();
    const replace = withFieldVariables(replaceVariables);
    useEffect(() => {
      let live = true;
      Promise.all(
        children.map((c) => preparePanel(c.fixture, c.frames, c.timeRange ?? timeRange, theme, replace))
      ).then(
        (p) => live && setPrepared(p),
        (e) => console.error(`dashboard grid: ${e?.stack ?? e}`)
      );
      return () => {
        live = false;
      };
    }, [timeRange, theme]); // eslint-disable-line react-hooks/exhaustive-deps
    if (!prepared) {
      return null;
    }
    const boxes = layoutGrid(
      children.map((c) => c.gridPos),
      width,
      height,
      theme.spacing.gridSize
    );
    return (
      <div style={{ position: 'relative', width, height }}>
        {prepared.map((p, i) => (
          <div key={i} style={{ position: 'absolute', ...boxes[i], width: undefined, height: undefined }}>
            <PanelErrorBoundary>
              <PanelHost
                index={i + 1}
                panel={p}
                width={boxes[i].width}
                height={boxes[i].height}
                eventBus={eventBus}
                replaceVariables={replace}
              />
            </PanelErrorBoundary>
          </div>
        ))}
      </div>
    );
  }
  return new PanelPlugin(DashboardGrid).setNoPadding();
}

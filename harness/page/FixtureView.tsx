// A fixture on screen: one panel filling the viewport, or a grid with the dashboard's 8px gaps.
import React from 'react';
import type { EventBus, GrafanaTheme2, InterpolateFunction } from '@grafana/data';

import { PanelErrorBoundary, PanelHost } from './PanelHost';
import type { PreparedPanel } from './preparePanel';

interface Props {
  panels: PreparedPanel[];
  columns?: number;
  width: number;
  height: number;
  theme: GrafanaTheme2;
  eventBus: EventBus;
  replaceVariables: InterpolateFunction;
}

export function gridCells(count: number, columns: number | undefined, width: number, height: number, gap: number) {
  const cols = Math.max(1, columns ?? Math.ceil(Math.sqrt(count)));
  const rows = Math.ceil(count / cols);
  return {
    cols,
    cellWidth: Math.floor((width - gap * (cols + 1)) / cols),
    cellHeight: Math.floor((height - gap * (rows + 1)) / rows),
  };
}

export function FixtureView({ panels, columns, width, height, theme, eventBus, replaceVariables }: Props) {
  const gap = theme.spacing.gridSize;
  const { cols, cellWidth, cellHeight } = gridCells(panels.length, columns, width, height, gap);
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: `repeat(${cols}, ${cellWidth}px)`,
        gap,
        padding: gap,
      }}
    >
      {panels.map((p, i) => (
        <PanelErrorBoundary key={i}>
          <PanelHost
            index={i}
            panel={p}
            width={cellWidth}
            height={cellHeight}
            eventBus={eventBus}
            replaceVariables={replaceVariables}
          />
        </PanelErrorBoundary>
      ))}
    </div>
  );
}

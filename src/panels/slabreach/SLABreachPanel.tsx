// The SLA breach panel: counts by status, the per-service status grid, the error budget burn-down and
// burn rates of one SLO (the most urgent, the one named in the options, or the tile last clicked),
// the breach timeline and the SLA penalties. Says in words what is missing when the data does not fit.
import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { BreachTimeline } from './BreachTimeline';
import { BurnDownChart } from './BurnDownChart';
import { BurnRateBars } from './BurnRateBars';
import { formatMoney } from './format';
import {
  countStatuses,
  gridHeightAt,
  NO_SLOS,
  penaltyTotals,
  pickFocus,
  prepareRows,
  readFrames,
  type SLORow,
  type Status,
} from './model';
import { PanelMessage } from './PanelMessage';
import { PenaltySummary } from './PenaltySummary';
import { statusStyle } from './status';
import { StatusGrid } from './StatusGrid';
import type { SLABreachOptions } from './types';

/** Type scale from the panel's size: 1 in a dashboard panel, up to 3 on a 4K wall. */
export function panelScale(width: number, height: number): number {
  return Math.max(0.8, Math.min(3, Math.min(width / 1300, height / 760)));
}

const GAP = 8;

export interface Layout {
  summary: number;
  grid: number;
  detail: number;
  lower: number;
}

/**
 * Splits the height between the views shown: the counts strip, the grid (what its tiles need at a
 * readable scale, between 30% and 55% when details follow; what the timeline and penalties leave
 * when they follow alone), the burn-down and burn-rate row, and the timeline and penalty row.
 */
export function splitHeight(
  height: number,
  width: number,
  tiles: number,
  scale: number,
  show: { summary: boolean; grid: boolean; detail: boolean; lower: boolean },
  lowerNeed = Infinity
): Layout {
  const summary = show.summary ? Math.round(40 * scale) : 0;
  let rest = height - summary - (show.summary ? GAP : 0);
  const sections = [show.grid, show.detail, show.lower].filter(Boolean).length;
  rest -= GAP * Math.max(0, sections - 1);
  if (sections === 0) {
    return { summary, grid: 0, detail: 0, lower: 0 };
  }
  let grid = 0;
  if (show.grid && sections === 1) {
    grid = rest;
  } else if (show.grid && !show.detail) {
    // grid and timeline/penalties only (a wall): the lower row takes what its lines need (at most
    // half), the tiles the rest, so they grow instead of leaving the panel half empty
    grid = rest - Math.round(Math.min(rest * 0.5, lowerNeed));
  } else if (show.grid) {
    grid = Math.max(rest * 0.3, Math.min(rest * 0.55, gridHeightAt(tiles, width, Math.min(scale, 1.6))));
  }
  const below = rest - grid;
  let detail = 0;
  let lower = 0;
  if (show.detail && show.lower) {
    // the timeline and penalties take what their lines need (at most half); the charts the rest
    lower = Math.round(Math.min(below * 0.48, Math.max(below * 0.25, lowerNeed)));
    detail = below - lower;
  } else if (show.detail) {
    detail = below;
  } else if (show.lower) {
    lower = below;
  }
  return { summary, grid: Math.floor(grid), detail: Math.floor(detail), lower: Math.floor(lower) };
}

export function SLABreachPanel({
  data,
  options,
  width,
  height,
  timeRange,
  timeZone,
  replaceVariables,
}: PanelProps<SLABreachOptions>) {
  const styles = useStyles2(getStyles);
  const result = useMemo(() => readFrames(data.series), [data.series]);
  const rows = useMemo(() => (result.model ? prepareRows(result.model.rows, options) : []), [result.model, options]);
  const [selected, setSelected] = useState<string | undefined>();

  if (!result.model) {
    return <PanelMessage text={result.message} width={width} height={height} />;
  }
  const model = result.model;
  if (rows.length === 0 && model.breaches.length === 0 && model.penalties.length === 0) {
    return <PanelMessage text={NO_SLOS} width={width} height={height} />;
  }
  const scale = panelScale(width, height);
  const focus = pickFocus(rows, selected ?? replaceVariables(options.focus));
  const showDetail = Boolean(focus) && (options.showBurndown || options.showBurnRates);
  const showPenalties = options.showPenalties && model.penalties.length > 0;
  const showLower = options.showTimeline || showPenalties;
  const layout = splitHeight(
    height,
    width,
    rows.length,
    scale,
    { summary: options.showSummary, grid: options.showGrid && rows.length > 0, detail: showDetail, lower: showLower },
    lowerHeightNeeded(model, scale, options.showTimeline, showPenalties)
  );
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const burndownWidth = options.showBurnRates ? Math.round((width - GAP) * 0.6) : width;
  const burnWidth = options.showBurndown ? width - burndownWidth - GAP : width;
  const timelineWidth = showPenalties ? Math.round((width - GAP) * 0.68) : width;
  const penaltyWidth = options.showTimeline ? width - timelineWidth - GAP : width;

  return (
    <div className={styles.panel} style={{ width, height, gap: GAP }}>
      {options.showSummary && <SummaryStrip rows={rows} model={model} height={layout.summary} scale={scale} />}
      {layout.grid > 0 && (
        <StatusGrid
          rows={rows}
          width={width}
          height={layout.grid}
          label={options.tileLabel}
          focusKey={showDetail ? focus?.key : undefined}
          onSelect={setSelected}
        />
      )}
      {showDetail && focus && layout.detail > 0 && (
        <div className={styles.row} style={{ height: layout.detail, gap: GAP }}>
          {options.showBurndown && (
            <BurnDownChart
              row={focus}
              series={model.burndowns.get(focus.key)}
              width={burndownWidth}
              height={layout.detail}
              timeZone={timeZone}
              scale={scale}
            />
          )}
          {options.showBurnRates && (
            <BurnRateBars
              row={focus}
              rates={model.burnRates.filter((r) => r.key === focus.key)}
              width={burnWidth}
              height={layout.detail}
              scale={scale}
            />
          )}
        </div>
      )}
      {showLower && layout.lower > 0 && (
        <div className={styles.row} style={{ height: layout.lower, gap: GAP }}>
          {options.showTimeline && (
            <BreachTimeline
              breaches={model.breaches}
              rows={rows}
              from={from}
              to={to}
              width={timelineWidth}
              height={layout.lower}
              scale={scale}
              timeZone={timeZone}
            />
          )}
          {showPenalties && (
            <PenaltySummary
              penalties={model.penalties}
              rows={rows}
              width={penaltyWidth}
              height={layout.lower}
              scale={scale}
            />
          )}
        </div>
      )}
    </div>
  );
}

/** Height the timeline (its lanes) and the penalty list need, in px. */
export function lowerHeightNeeded(
  model: NonNullable<ReturnType<typeof readFrames>['model']>,
  scale: number,
  timeline: boolean,
  penalties: boolean
): number {
  const font = 13 * scale;
  const lanes = new Set(model.breaches.map((b) => b.key)).size;
  const t = timeline ? font * (2.4 + 1.8 + 1.9 * Math.max(1, lanes)) : 0;
  const owing = model.penalties.filter((p) => p.penalty > 0).length;
  const p = penalties ? font * (5.5 + 1.5 * owing) : 0;
  return Math.max(t, p) + 4;
}

const ORDER: Status[] = ['breached', 'at_risk', 'compliant', 'no_data'];

/** Counts by status (color, icon and word), and what the SLAs owe, in one line of large type. */
function SummaryStrip({
  rows,
  model,
  height,
  scale,
}: {
  rows: SLORow[];
  model: NonNullable<ReturnType<typeof readFrames>['model']>;
  height: number;
  scale: number;
}) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const counts = countStatuses(rows);
  const font = Math.round(17 * scale);
  const owed = penaltyTotals(model.penalties);
  return (
    <div className={styles.summary} style={{ height, fontSize: font }} data-testid="slabreach-summary">
      {ORDER.filter((s) => s !== 'no_data' || counts.no_data > 0).map((s) => {
        const st = statusStyle(theme, s);
        return (
          <span key={s} className={styles.count} data-testid={`slabreach-count-${s}`}>
            <Icon name={st.icon} style={{ color: st.color, width: font * 1.2, height: font * 1.2 }} />
            <b style={{ color: counts[s] > 0 ? st.color : undefined }}>{counts[s]}</b> {st.label.toLowerCase()}
          </span>
        );
      })}
      {owed.length > 0 && (
        <span className={styles.owed} style={{ color: theme.colors.error.main }}>
          {owed.map((o) => formatMoney(o.total, o.currency)).join(' + ')}{' '}
          <span className={styles.muted}>SLA penalties</span>
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  row: css({ display: 'flex', flex: 'none' }),
  summary: css({
    display: 'flex',
    alignItems: 'center',
    gap: '1.4em',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    flex: 'none',
  }),
  count: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: '0.35em',
    '& b': { fontVariantNumeric: 'tabular-nums' },
  }),
  owed: css({ marginLeft: 'auto', fontWeight: theme.typography.fontWeightBold }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
});

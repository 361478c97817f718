/** The summary of stage and item times the map shows; the query carries all three. */
export type MapStat = 'median' | 'mean' | 'p85';

/** How durations are written: auto (the field's unit, seconds scaled by Grafana), or a fixed unit. */
export type DurationUnit = 'auto' | 'm' | 'h' | 'd';

/**
 * What marks a stage as the bottleneck: the longest wait, WIP over its limit, both (the longest
 * wait is the bottleneck, stages over their limit are flagged too), or nothing.
 */
export type HighlightRule = 'both' | 'wait' | 'wip' | 'none';

export interface ValueStreamOptions {
  stat: MapStat;
  unit: DurationUnit;
  /** Decimals of durations; undefined lets the unit decide. */
  decimals?: number;
  highlight: HighlightRule;
  showRibbon: boolean;
  /** Cycle-time scatter with p50/p85/p95 lines, from a flow query with metric items. */
  showScatter: boolean;
}

export const DEFAULT_OPTIONS: ValueStreamOptions = {
  stat: 'median',
  unit: 'auto',
  highlight: 'both',
  showRibbon: true,
  showScatter: true,
};

export const STAT_LABELS: Record<MapStat, string> = { median: 'median', mean: 'mean', p85: '85th percentile' };

/** Short forms for captions inside the boxes. */
export const STAT_SHORT: Record<MapStat, string> = { median: 'median', mean: 'mean', p85: 'p85' };

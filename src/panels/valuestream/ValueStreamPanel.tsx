// The value stream panel: a bottleneck banner, the stages left to right (process boxes, queues with
// their wait), the timeline ribbon with the measured totals, and the cycle-time scatter when the data
// has completed items. Says in words what is missing when the data does not fit.
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { CycleScatter } from './CycleScatter';
import {
  bottleneckText,
  buildModel,
  findBottleneck,
  formatDuration,
  layoutItems,
  ribbonSegments,
  type LayoutItem,
} from './model';
import { PanelMessage } from './PanelMessage';
import { Ribbon, Totals } from './Ribbon';
import { StageRow } from './StageRow';
import { STAT_LABELS, STAT_SHORT, type ValueStreamOptions } from './types';

/** Type scale from the space the map has: 1 in a dashboard panel, up to 3 on a 4K wall. */
export function mapScale(width: number, height: number): number {
  return Math.max(0.7, Math.min(3, Math.min(width / 1250, height / 430)));
}

/** Narrowest a box and a queue can be at scale 1 and still show a duration. */
const MIN_BOX = 96;
const MIN_QUEUE = 72;
const MIN_ARROW = 28;

export function minimumWidth(items: LayoutItem[], scale: number): number {
  return items.reduce(
    (w, it) => w + (it.type === 'box' ? MIN_BOX : it.type === 'queue' ? MIN_QUEUE : MIN_ARROW) * scale + 6 * scale,
    0
  );
}

/**
 * Type scale of the stage row: as large as the boxes allow (a box must fit "1.08 days" in its
 * numeral, about 190 px at scale 1, and its seven lines, about 185 px), never far above the panel's.
 */
export function rowScale(items: LayoutItem[], width: number, rowHeight: number, base: number): number {
  const boxes = items.filter((i) => i.type === 'box').length;
  const queues = items.filter((i) => i.type === 'queue').length;
  const arrows = items.length - boxes - queues;
  const free = width - (arrows * MIN_ARROW + items.length * 6) * base;
  const unit = free / Math.max(1, 3 * boxes + 2 * queues);
  const byWidth = boxes > 0 ? (3 * unit) / 190 : (2 * unit) / 130;
  return Math.max(0.7, Math.min(4, byWidth, rowHeight / 185, base * 1.8));
}

export function ValueStreamPanel({
  data,
  options,
  width,
  height,
  timeRange,
  timeZone,
}: PanelProps<ValueStreamOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const result = useMemo(() => buildModel(data.series, options.stat), [data.series, options.stat]);
  if (!result.model) {
    return <PanelMessage text={result.message} width={width} height={height} />;
  }
  const model = result.model;
  const statLabel = STAT_LABELS[options.stat];
  const format = (s: number | null) => formatDuration(s, options.unit, options.decimals, model.durationField?.display);
  const scatterFormat = (s: number | null) =>
    formatDuration(s, options.unit, options.decimals, model.scatter?.cycleField?.display);
  const highlight = findBottleneck(model.stages, options.highlight);
  const items = layoutItems(model.stages);

  const hasScatter = options.showScatter && model.scatter !== undefined && model.scatter.cycle.length > 0;
  const gap = 8;
  const scatterHeight = hasScatter ? Math.round((height - gap) * 0.42) : 0;
  const mapHeight = height - scatterHeight - (hasScatter ? gap : 0);
  let scale = mapScale(width, mapHeight);
  while (scale > 0.7 && minimumWidth(items, scale) > width) {
    scale = Math.max(0.7, scale - 0.1);
  }
  if (minimumWidth(items, scale) > width) {
    return (
      <PanelMessage
        text={`${model.stages.length} stages need at least ${Math.ceil(minimumWidth(items, scale))} px; widen the panel or filter the query to fewer stages.`}
        width={width}
        height={height}
      />
    );
  }

  const banner = bottleneckText(model.stages, highlight, statLabel, format);
  const overLimit = highlight.overLimit.filter(
    (i) => i !== highlight.bottleneck?.index || highlight.bottleneck.reason !== 'wip'
  );
  const bannerFont = Math.round(16 * scale);
  const bannerHeight = Math.round(bannerFont * 1.7);
  const totalsHeight = Math.round(58 * scale);
  const ribbonHeight = options.showRibbon ? Math.round(44 * scale) : 0;
  const noneDone = model.totals !== undefined && model.totals.items === 0;
  const noteHeight = noneDone || (options.showScatter && !model.scatter) ? Math.round(14 * scale * 1.6) : 0;
  const available = Math.max(40, mapHeight - bannerHeight - totalsHeight - ribbonHeight - noteHeight - 3 * gap);
  // The row takes what its content can use; the rest goes to the totals, in larger type.
  const stageScale = rowScale(items, width, available, scale);
  const rowHeight = Math.min(available, Math.round(215 * stageScale));
  const totalsScale = Math.max(scale, Math.min(4, (totalsHeight + available - rowHeight) / 62, width / 820));

  return (
    <div className={styles.panel} style={{ width, height, gap }} data-testid="valuestream">
      <div
        className={styles.banner}
        style={{ fontSize: bannerFont, height: bannerHeight }}
        role="status"
        data-testid="valuestream-banner"
      >
        {banner ? (
          <span className={styles.flag} style={{ color: theme.colors.warning.text }}>
            <Icon name="exclamation-triangle" style={{ width: bannerFont * 1.1, height: bannerFont * 1.1 }} />
            {banner}
          </span>
        ) : (
          <span className={styles.ok}>
            <Icon
              name="check-circle"
              style={{ width: bannerFont * 1.1, height: bannerFont * 1.1, color: theme.colors.success.text }}
            />
            {options.highlight === 'none'
              ? 'Bottleneck highlighting is off'
              : 'No bottleneck: no stage waits and none is over its WIP limit'}
          </span>
        )}
        {overLimit.length > 0 && (
          <span className={styles.flag} style={{ color: theme.colors.error.text }}>
            <Icon name="exclamation-circle" style={{ width: bannerFont * 1.1, height: bannerFont * 1.1 }} />
            Over WIP limit:{' '}
            {overLimit
              .map((i) => `${model.stages[i].name} ${model.stages[i].wip}/${model.stages[i].wipLimit}`)
              .join(', ')}
          </span>
        )}
        {model.totals?.stream && <span className={styles.stream}>{model.totals.stream}</span>}
      </div>
      <div className={hasScatter ? styles.mapFixed : styles.mapFill} style={{ gap }}>
        <StageRow
          items={items}
          stages={model.stages}
          highlight={highlight}
          format={format}
          statLabel={STAT_SHORT[options.stat]}
          scale={stageScale}
          height={rowHeight}
        />
        {options.showRibbon && (
          <Ribbon
            segments={ribbonSegments(model.stages)}
            stages={model.stages}
            width={width}
            height={ribbonHeight}
            format={format}
            scale={scale}
          />
        )}
        <Totals totals={model.totals} statLabel={statLabel} format={format} scale={totalsScale} />
      </div>
      {noteHeight > 0 && (
        <div className={styles.note} style={{ fontSize: 13 * scale, height: noteHeight }} role="note">
          {noneDone
            ? 'No item was completed in this time range: stage and lead times need completed items; WIP is current.'
            : 'Add a flow query with metric "items" to this panel for the cycle-time scatter.'}
        </div>
      )}
      {hasScatter && (
        <CycleScatter
          scatter={model.scatter!}
          width={width}
          height={scatterHeight}
          timeRange={timeRange}
          timeZone={timeZone}
          format={scatterFormat}
          scale={scale}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden', color: theme.colors.text.primary }),
  banner: css({
    display: 'flex',
    alignItems: 'center',
    gap: '1.2em',
    flexShrink: 0,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  flag: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: '0.4em',
    fontWeight: theme.typography.fontWeightBold,
  }),
  ok: css({ display: 'inline-flex', alignItems: 'center', gap: '0.4em', color: theme.colors.text.secondary }),
  stream: css({ marginLeft: 'auto', color: theme.colors.text.secondary }),
  mapFill: css({ flex: '1 1 auto', minHeight: 0, display: 'flex', flexDirection: 'column', justifyContent: 'center' }),
  mapFixed: css({ flex: '0 0 auto', display: 'flex', flexDirection: 'column' }),
  note: css({ color: theme.colors.text.secondary, flexShrink: 0, whiteSpace: 'nowrap', overflow: 'hidden' }),
});

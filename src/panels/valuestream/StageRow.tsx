// The map itself: process boxes (active stages) left to right, the queues (waiting stages) between
// them as inventory triangles, each with its numbers written out; the bottleneck and stages over
// their WIP limit are marked with an icon and a word as well as a color.
import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { isOverLimit, type Highlight, type LayoutItem, type StageModel } from './model';

interface Props {
  items: LayoutItem[];
  stages: StageModel[];
  highlight: Highlight;
  format: (seconds: number | null) => string;
  statLabel: string;
  /** Type scale: 1 in a dashboard panel, 2 to 3 on a wall. */
  scale: number;
  height: number;
}

export function StageRow({ items, stages, highlight, format, statLabel, scale, height }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.row} style={{ height, gap: 6 * scale }} data-testid="valuestream-stages">
      {items.map((item, k) => {
        if (item.type === 'arrow') {
          return <Arrow key={`arrow-${k}`} scale={scale} />;
        }
        const s = stages[item.index];
        const props = {
          stage: s,
          format,
          statLabel,
          scale,
          bottleneck: highlight.bottleneck?.index === item.index,
          overLimit: highlight.overLimit.includes(item.index),
        };
        return item.type === 'box' ? <StageBox key={s.name} {...props} /> : <Queue key={s.name} {...props} />;
      })}
    </div>
  );
}

/** Font size in px for a base size at this scale, never below what reads at a desk. */
export function px(base: number, scale: number): number {
  return Math.max(base >= 20 ? 18 : 11, Math.round(base * scale));
}

interface CellProps {
  stage: StageModel;
  format: (seconds: number | null) => string;
  statLabel: string;
  scale: number;
  bottleneck: boolean;
  overLimit: boolean;
}

function StageBox({ stage, format, statLabel, scale, bottleneck, overLimit }: CellProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const border = bottleneck
    ? theme.colors.warning.main
    : overLimit
      ? theme.colors.error.main
      : theme.colors.border.medium;
  return (
    <div
      className={cx(styles.box, (bottleneck || overLimit) && styles.flagged)}
      style={{
        borderColor: border,
        borderWidth: Math.max(1, Math.round((bottleneck || overLimit ? 3 : 1) * scale * 0.8)),
        padding: `${6 * scale}px ${10 * scale}px`,
        maxWidth: 480 * scale,
      }}
      data-testid={`valuestream-box-${stage.name}`}
      aria-label={`${stage.name}: process time ${format(stage.process)}`}
    >
      <Flag bottleneck={bottleneck} scale={scale} />
      <div className={styles.name} style={{ fontSize: px(16, scale) }} title={stage.name}>
        {stage.name}
      </div>
      <div className={styles.caption} style={{ fontSize: px(12, scale) }}>
        process time ({statLabel})
      </div>
      <div
        className={styles.numeral}
        style={{ fontSize: px(30, scale), color: theme.visualization.getColorByName('blue') }}
      >
        {format(stage.process)}
      </div>
      {(stage.wait ?? 0) > 0 && (
        <div
          className={styles.line}
          style={{ fontSize: px(13, scale), color: theme.visualization.getColorByName('orange') }}
        >
          + {format(stage.wait)} waiting inside
        </div>
      )}
      <Wip stage={stage} overLimit={overLimit || isOverLimit(stage)} scale={scale} />
      <div className={styles.line} style={{ fontSize: px(13, scale) }}>
        {stage.items.toLocaleString('en-US')} items done
      </div>
    </div>
  );
}

/** A waiting stage: the VSM inventory triangle, its wait time and the items queued in it. */
function Queue({ stage, format, statLabel, scale, bottleneck, overLimit }: CellProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const waitColor = theme.visualization.getColorByName('orange');
  const size = 30 * scale;
  return (
    <div
      className={cx(styles.queue, (bottleneck || overLimit) && styles.flagged)}
      style={{
        borderColor: bottleneck ? theme.colors.warning.main : overLimit ? theme.colors.error.main : 'transparent',
        borderWidth: Math.max(1, Math.round(3 * scale * 0.8)),
        padding: `${4 * scale}px`,
        maxWidth: 320 * scale,
      }}
      data-testid={`valuestream-queue-${stage.name}`}
      aria-label={`${stage.name}: wait time ${format(stage.wait)}`}
    >
      <Flag bottleneck={bottleneck} scale={scale} />
      <svg width={size} height={size * 0.87} viewBox="0 0 30 26" aria-hidden>
        <path d="M15 1 L29 25 L1 25 Z" fill="none" stroke={waitColor} strokeWidth={2} />
        <path d="M15 9 V20" stroke={waitColor} strokeWidth={2.5} />
      </svg>
      <div className={styles.queueName} style={{ fontSize: px(13, scale) }} title={stage.name}>
        {stage.name}
      </div>
      <div className={styles.caption} style={{ fontSize: px(11, scale) }}>
        wait ({statLabel})
      </div>
      <div className={styles.numeral} style={{ fontSize: px(22, scale), color: waitColor }}>
        {format(stage.wait)}
      </div>
      <Wip stage={stage} overLimit={overLimit || isOverLimit(stage)} scale={scale * 0.9} />
      <div className={styles.arrowLine} style={{ height: 2 * scale }} />
    </div>
  );
}

function Wip({ stage, overLimit, scale }: { stage: StageModel; overLimit: boolean; scale: number }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const text = stage.wipLimit === null ? `WIP ${stage.wip}` : `WIP ${stage.wip} / ${stage.wipLimit}`;
  return (
    <div
      className={styles.line}
      style={{
        fontSize: px(14, scale),
        color: overLimit ? theme.colors.error.text : undefined,
        fontWeight: overLimit ? 600 : undefined,
      }}
      data-testid={`valuestream-wip-${stage.name}`}
    >
      {overLimit && <Icon name="exclamation-circle" style={{ width: 14 * scale, height: 14 * scale }} />}
      {text}
      {overLimit && ' over limit'}
    </div>
  );
}

function Flag({ bottleneck, scale }: { bottleneck: boolean; scale: number }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  if (!bottleneck) {
    return null;
  }
  return (
    <div className={styles.flag} style={{ fontSize: px(12, scale), color: theme.colors.warning.text }}>
      <Icon name="exclamation-triangle" style={{ width: 13 * scale, height: 13 * scale }} />
      BOTTLENECK
    </div>
  );
}

function Arrow({ scale }: { scale: number }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.arrow} style={{ width: 28 * scale }} aria-hidden>
      <Icon name="arrow-right" style={{ width: 24 * scale, height: 24 * scale }} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    alignItems: 'stretch',
    justifyContent: 'center',
    minHeight: 0,
    overflow: 'hidden',
    flexShrink: 0,
  }),
  box: css({
    flex: '3 1 0',
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    gap: '0.15em',
    borderStyle: 'solid',
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
  }),
  queue: css({
    flex: '2 1 0',
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '0.1em',
    borderStyle: 'dashed',
    borderRadius: theme.shape.radius.default,
    textAlign: 'center',
    overflow: 'hidden',
  }),
  flagged: css({ background: theme.colors.background.primary }),
  name: css({
    fontWeight: theme.typography.fontWeightBold,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    color: theme.colors.text.primary,
  }),
  queueName: css({
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    maxWidth: '100%',
    color: theme.colors.text.primary,
  }),
  caption: css({
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    maxWidth: '100%',
  }),
  numeral: css({ fontWeight: theme.typography.fontWeightBold, lineHeight: 1.1, whiteSpace: 'nowrap' }),
  line: css({
    display: 'flex',
    alignItems: 'center',
    gap: '0.3em',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    color: theme.colors.text.secondary,
  }),
  flag: css({
    display: 'flex',
    alignItems: 'center',
    gap: '0.3em',
    fontWeight: theme.typography.fontWeightBold,
    letterSpacing: '0.04em',
    whiteSpace: 'nowrap',
  }),
  arrow: css({
    flex: '0 0 auto',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
  }),
  arrowLine: css({ width: '100%', background: theme.colors.border.medium, marginTop: '0.3em' }),
});

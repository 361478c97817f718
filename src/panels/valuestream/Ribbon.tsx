// The timeline ribbon under the map (the VSM "ladder"): wait steps up, process steps down, in stream
// order and proportional to time, each labelled when there is room (the boxes above carry every
// number); and the totals measured over the completed items: lead time, process time, flow efficiency.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { formatPercent, type RibbonSegment, type StageModel, type TotalsModel } from './model';

interface RibbonProps {
  segments: RibbonSegment[];
  stages: StageModel[];
  width: number;
  height: number;
  format: (seconds: number | null) => string;
  scale: number;
}

export function Ribbon({ segments, stages, width, height, format, scale }: RibbonProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const wait = theme.visualization.getColorByName('orange');
  const process = theme.visualization.getColorByName('blue');
  const font = Math.max(12, Math.round(13 * scale));
  const lane = height / 2;
  // Each segment starts where the ones before it end.
  const starts = segments.map((_, i) => segments.slice(0, i).reduce((a, s) => a + s.share * width, 0));
  return (
    <div className={styles.ladder} style={{ width, height }} data-testid="valuestream-ribbon">
      {segments.map((s, i) => {
        const w = s.share * width;
        const x = starts[i];
        const text = format(s.seconds);
        const fits = text.length * font * 0.6 + 6 < w;
        const color = s.part === 'wait' ? wait : process;
        return (
          <div
            key={`${s.index}-${s.part}`}
            className={styles.segment}
            style={{
              left: x,
              width: Math.max(1, w),
              top: s.part === 'wait' ? 0 : lane,
              height: lane,
              borderColor: color,
              borderTopWidth: s.part === 'wait' ? Math.max(2, 3 * scale) : 0,
              borderBottomWidth: s.part === 'process' ? Math.max(2, 3 * scale) : 0,
              fontSize: font,
            }}
            aria-label={`${stages[s.index].name} ${s.part} ${text}`}
          >
            {fits && <span style={{ color }}>{text}</span>}
          </div>
        );
      })}
    </div>
  );
}

interface TotalsProps {
  totals?: TotalsModel;
  statLabel: string;
  format: (seconds: number | null) => string;
  scale: number;
}

/** The totals, measured per item (not the sum of the stage figures): large, with their names. */
export function Totals({ totals, statLabel, format, scale }: TotalsProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const big = { fontSize: Math.max(20, Math.round(26 * scale)) };
  const label = { fontSize: Math.max(11, Math.round(12 * scale)) };
  const eff = totals?.efficiency ?? null;
  return (
    <div className={styles.totals} style={{ gap: 18 * scale }} data-testid="valuestream-totals">
      <div className={styles.stat}>
        <span className={styles.label} style={label}>
          Lead time ({statLabel})
        </span>
        <strong style={big}>{format(totals?.lead ?? null)}</strong>
      </div>
      <div className={styles.stat}>
        <span className={styles.label} style={label}>
          Process time ({statLabel})
        </span>
        <strong style={{ ...big, color: theme.visualization.getColorByName('blue') }}>
          {format(totals?.process ?? null)}
        </strong>
      </div>
      <div className={styles.stat}>
        <span className={styles.label} style={label}>
          Flow efficiency
        </span>
        <strong style={big}>{formatPercent(eff)}</strong>
      </div>
      <div className={styles.stat}>
        <span className={styles.label} style={label}>
          Cycle time · items done · WIP
        </span>
        <span className={styles.small} style={{ fontSize: Math.max(14, Math.round(17 * scale)) }}>
          {format(totals?.cycle ?? null)} · {(totals?.items ?? 0).toLocaleString('en-US')} · {totals?.wip ?? 0}
        </span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ladder: css({ position: 'relative', flexShrink: 0, overflow: 'hidden' }),
  segment: css({
    position: 'absolute',
    borderStyle: 'solid',
    borderLeftWidth: 0,
    borderRightWidth: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    fontWeight: theme.typography.fontWeightMedium,
  }),
  totals: css({ display: 'flex', alignItems: 'flex-end', flexWrap: 'nowrap', flexShrink: 0, overflow: 'hidden' }),
  stat: css({
    display: 'flex',
    flexDirection: 'column',
    whiteSpace: 'nowrap',
    strong: { fontWeight: theme.typography.fontWeightBold, lineHeight: 1.1, color: theme.colors.text.primary },
  }),
  label: css({ color: theme.colors.text.secondary }),
  small: css({ color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
});

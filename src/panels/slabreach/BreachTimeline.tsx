// Breach timeline: one lane per SLO with breaches in the range, a bar from each breach's start to its
// end (to the range end, hatched, while it goes on), and its duration and depth written beside it.
import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { formatDuration } from './format';
import type { Breach, SLORow } from './model';

interface Props {
  breaches: Breach[];
  rows: SLORow[];
  from: number;
  to: number;
  width: number;
  height: number;
  scale: number;
  timeZone: TimeZone;
}

export interface Lane {
  key: string;
  label: string;
  breaches: Breach[];
}

/** Lanes of SLOs with breaches overlapping [from, to), most recent breach first. */
export function breachLanes(breaches: Breach[], rows: SLORow[], from: number, to: number): Lane[] {
  // The SLO's name, with its service in front unless the name already says it.
  const names = new Map(
    rows.map((r) => [r.key, !r.service || r.name.includes(r.service) ? r.name : `${r.service} · ${r.name}`])
  );
  const lanes = new Map<string, Lane>();
  for (const b of breaches) {
    const end = b.end ?? to;
    if (end < from || b.start > to) {
      continue;
    }
    const lane = lanes.get(b.key) ?? { key: b.key, label: names.get(b.key) ?? b.key, breaches: [] };
    lane.breaches.push(b);
    lanes.set(b.key, lane);
  }
  const latest = (l: Lane) => Math.max(...l.breaches.map((b) => b.end ?? Infinity));
  return [...lanes.values()].sort((a, b) => latest(b) - latest(a) || a.label.localeCompare(b.label));
}

/** "2.3 d, 0.40 pts below" from a breach's duration and depth. */
export function breachText(b: Breach, to: number): string {
  const duration = b.duration ?? ((b.end ?? to) - b.start) / 1000;
  const parts = [formatDuration(duration) + (b.ongoing ? ' so far' : '')];
  if (b.depth !== null && Number.isFinite(b.depth)) {
    parts.push(`${(b.depth * 100).toFixed(2)} pts below`);
  }
  return parts.join(', ');
}

export function BreachTimeline({ breaches, rows, from, to, width, height, scale, timeZone }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const font = Math.round(13 * scale);
  const headerHeight = Math.round(font * 2.4);
  const axisHeight = Math.round(font * 1.8);
  const lanes = breachLanes(breaches, rows, from, to);
  const laneHeight = Math.round(font * 1.9);
  const fit = Math.max(1, Math.floor((height - headerHeight - axisHeight) / laneHeight));
  const shown = lanes.length > fit ? lanes.slice(0, fit - 1) : lanes;
  const hidden = lanes.length - shown.length;
  const labelWidth = Math.min(width * 0.28, font * 14);
  const plotWidth = Math.max(20, width - labelWidth - font * 0.5);
  const x = (t: number) => ((Math.min(Math.max(t, from), to) - from) / Math.max(1, to - from)) * plotWidth;
  const red = theme.colors.error.main;
  const ticks = Array.from({ length: 5 }, (_, i) => from + ((to - from) * i) / 4);
  const tickFormat = to - from > 3 * 86400000 ? 'MMM D' : 'MMM D HH:mm';

  return (
    <div className={styles.box} style={{ width, height, fontSize: font }} data-testid="slabreach-timeline">
      <div className={styles.header} style={{ height: headerHeight }}>
        <span className={styles.title}>Breaches</span>
        <span className={styles.muted}>
          {lanes.length === 0
            ? 'none in this time range'
            : `${breaches.length} in ${lanes.length} SLO${lanes.length === 1 ? '' : 's'}`}
        </span>
      </div>
      {shown.map((lane) => (
        <div key={lane.key} className={styles.lane} style={{ height: laneHeight }} data-testid="slabreach-lane">
          <span className={styles.label} style={{ width: labelWidth }} title={lane.label}>
            {lane.label}
          </span>
          <span className={styles.track} style={{ width: plotWidth }}>
            {lane.breaches.map((b, i) => {
              const left = x(b.start);
              const right = x(b.end ?? to);
              const w = Math.max(3, right - left);
              const text = breachText(b, to);
              const textWidth = text.length * font * 0.5;
              const place =
                w > textWidth + font * 0.6
                  ? 'inside'
                  : right + font * 0.4 + textWidth <= plotWidth
                    ? 'after'
                    : 'before';
              const textStyle: React.CSSProperties =
                place === 'inside'
                  ? { left: left + font * 0.3, color: theme.colors.error.contrastText }
                  : place === 'after'
                    ? { left: right + font * 0.4 }
                    : { right: plotWidth - left + font * 0.4 };
              return (
                <React.Fragment key={i}>
                  <span
                    className={styles.bar}
                    style={{
                      left,
                      width: w,
                      background: b.ongoing
                        ? `repeating-linear-gradient(45deg, ${red}, ${red} 6px, ${theme.colors.error.shade} 6px, ${theme.colors.error.shade} 12px)`
                        : red,
                    }}
                  />
                  <span className={styles.barText} style={textStyle}>
                    {text}
                  </span>
                </React.Fragment>
              );
            })}
          </span>
        </div>
      ))}
      {hidden > 0 && (
        <div className={styles.more} style={{ height: laneHeight }}>
          + {hidden} more SLO{hidden === 1 ? '' : 's'} with breaches
        </div>
      )}
      <div
        className={styles.axis}
        style={{ marginLeft: labelWidth + font * 0.5, width: plotWidth, height: axisHeight }}
      >
        {ticks.map((t, i) => (
          <span
            key={t}
            className={styles.tick}
            style={
              i === 0
                ? { left: 0 }
                : i === ticks.length - 1
                  ? { right: 0 }
                  : { left: x(t), transform: 'translateX(-50%)' }
            }
          >
            {dateTimeFormat(t, { format: tickFormat, timeZone })}
          </span>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ overflow: 'hidden', display: 'flex', flexDirection: 'column' }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), whiteSpace: 'nowrap', flex: 'none' }),
  title: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary }),
  lane: css({ display: 'flex', alignItems: 'center', gap: '0.5em', flex: 'none' }),
  label: css({ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', flex: 'none' }),
  track: css({
    position: 'relative',
    height: '70%',
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    flex: 'none',
  }),
  bar: css({ position: 'absolute', top: 0, bottom: 0, borderRadius: theme.shape.radius.default }),
  barText: css({
    position: 'absolute',
    top: '50%',
    transform: 'translateY(-50%)',
    whiteSpace: 'nowrap',
    fontSize: '0.85em',
    fontWeight: theme.typography.fontWeightMedium,
    pointerEvents: 'none',
  }),
  more: css({ color: theme.colors.text.secondary, display: 'flex', alignItems: 'center', flex: 'none' }),
  axis: css({
    position: 'relative',
    color: theme.colors.text.secondary,
    fontSize: '0.85em',
    borderTop: `1px solid ${theme.colors.border.weak}`,
    flex: 'none',
  }),
  tick: css({ position: 'absolute', top: '0.2em', whiteSpace: 'nowrap' }),
});

// The per-service status grid for wall displays: one tile per SLO with its status (color, icon and
// word), compliance against the objective in large type, error budget left and the 1h burn rate.
// Tiles grow to the largest type the space allows; nothing hides behind a hover.
import React from 'react';
import { css } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { complianceDecimals, formatBudget, formatBurn, formatPercent } from './format';
import { GRID_GAP, gridLayout, type SLORow } from './model';
import { statusStyle } from './status';

interface Props {
  rows: SLORow[];
  width: number;
  height: number;
  label: 'service' | 'name';
  focusKey?: string;
  onSelect?: (key: string) => void;
}

export function StatusGrid({ rows, width, height, label, focusKey, onSelect }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const layout = gridLayout(rows.length, width, height);
  const s = layout.scale;
  const font = Math.max(9, 14 * s);
  // Two SLOs of one service would read the same from across the room: those tiles take the SLO's
  // name (it says the service too, and is what tells them apart, so it must not be cut short).
  const perService = new Map<string, number>();
  rows.forEach((r) => perService.set(r.service, (perService.get(r.service) ?? 0) + 1));
  return (
    <div
      className={styles.grid}
      style={{
        width,
        height,
        gridTemplateColumns: `repeat(${layout.columns}, ${layout.tileWidth}px)`,
        gridAutoRows: `${layout.tileHeight}px`,
        gap: GRID_GAP,
      }}
      data-testid="slabreach-grid"
    >
      {rows.map((r) => {
        const st = statusStyle(theme, r.status);
        const shared = label !== 'name' && Boolean(r.service) && (perService.get(r.service) ?? 0) > 1;
        const title = label === 'name' || shared ? r.name || r.service : r.service || r.name;
        const sub = label === 'name' ? r.service : r.name !== title ? r.name : '';
        return (
          <button
            type="button"
            key={r.key}
            className={styles.tile}
            data-testid="slabreach-tile"
            data-status={r.status}
            aria-label={`${title}: ${st.label}`}
            aria-pressed={focusKey === r.key}
            onClick={() => onSelect?.(r.key)}
            style={{
              fontSize: font,
              padding: `${4 * s}px ${8 * s}px`,
              borderLeft: `${Math.max(4, 6 * s)}px solid ${st.color}`,
              background: colorManipulator.alpha(st.color, theme.isDark ? 0.16 : 0.12),
              outline: focusKey === r.key ? `${Math.max(2, 2 * s)}px solid ${theme.colors.text.primary}` : undefined,
            }}
          >
            <div className={styles.head}>
              <span className={styles.title} title={sub ? `${title} (${sub})` : title}>
                {title}
              </span>
              <span className={styles.word} style={{ color: st.color }}>
                {st.label}
              </span>
            </div>
            <div className={styles.main}>
              <Icon name={st.icon} style={{ color: st.color, width: font * 1.75, height: font * 1.75, flex: 'none' }} />
              <span className={styles.numeral} style={{ fontSize: font * 1.85 }}>
                {formatPercent(r.compliance, complianceDecimals(r.objective))}
              </span>
              <span className={styles.objective}>of {r.objective === null ? '–' : `${r.objective}%`}</span>
            </div>
            <div className={styles.facts}>
              <span>
                budget <b>{formatBudget(r.budgetRemaining)}</b>
              </span>
              <span>
                1h burn <b>{formatBurn(r.burnRate)}</b>
              </span>
            </div>
          </button>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', alignContent: 'start', overflow: 'hidden' }),
  tile: css({
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'space-between',
    minWidth: 0,
    overflow: 'hidden',
    textAlign: 'left',
    border: 'none',
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.primary,
    cursor: 'pointer',
    // font first: the shorthand would reset the line height
    font: 'inherit',
    lineHeight: 1.2,
  }),
  head: css({ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: '0.5em', minWidth: 0 }),
  title: css({
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: 0,
  }),
  objective: css({ color: theme.colors.text.secondary, fontSize: '0.9em', whiteSpace: 'nowrap' }),
  main: css({ display: 'flex', alignItems: 'center', gap: '0.35em', minWidth: 0 }),
  numeral: css({
    fontWeight: theme.typography.fontWeightBold,
    fontVariantNumeric: 'tabular-nums',
    letterSpacing: '-0.01em',
    whiteSpace: 'nowrap',
  }),
  word: css({
    flex: 'none',
    fontWeight: theme.typography.fontWeightBold,
    textTransform: 'uppercase',
    fontSize: '0.86em',
    whiteSpace: 'nowrap',
  }),
  facts: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: '0.6em',
    color: theme.colors.text.secondary,
    fontSize: '0.92em',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    '& b': { color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium },
  }),
});

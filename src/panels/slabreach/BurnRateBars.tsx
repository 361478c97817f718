// Burn rate per window for one SLO, as bars on a log scale with the workbook's alert thresholds
// marked, each with its number and its state in words (page, ticket, ok).
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';

import { formatBurn } from './format';
import type { BurnRateRow, SLORow } from './model';

interface Props {
  row: SLORow;
  rates: BurnRateRow[];
  width: number;
  height: number;
  scale: number;
}

export type WindowState = 'page' | 'ticket' | 'ok' | 'none';

/** A window's state against its own thresholds: above page, above ticket, or ok. */
export function windowState(r: BurnRateRow): WindowState {
  if (r.burn === null) {
    return 'none';
  }
  if (r.page !== null && r.burn > r.page) {
    return 'page';
  }
  if (r.ticket !== null && r.burn > r.ticket) {
    return 'ticket';
  }
  return 'ok';
}

/** Position (0..1) of a burn rate on a log axis from 0 to top: log(1 + v) / log(1 + top). */
export function burnPosition(v: number, top: number): number {
  if (!Number.isFinite(v)) {
    return 1;
  }
  return Math.max(0, Math.min(1, Math.log1p(Math.max(0, v)) / Math.log1p(top)));
}

/** The axis top: at least 20 (beyond the 14.4 page threshold), else the largest finite rate with room. */
export function axisTop(rates: BurnRateRow[]): number {
  let top = 20;
  for (const r of rates) {
    if (r.burn !== null && Number.isFinite(r.burn)) {
      top = Math.max(top, r.burn * 1.25);
    }
  }
  return top;
}

const ALERT_WORDS = { page: 'Page', ticket: 'Ticket', ok: 'No alert' } as const;

export function BurnRateBars({ row, rates, width, height, scale }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const sorted = [...rates].sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0));
  const top = axisTop(sorted);
  const font = Math.round(13 * scale);
  const headerHeight = Math.round(font * 2.6);
  const labelWidth = font * 3.2;
  const valueWidth = font * 10.5;
  const barWidth = Math.max(40, width - labelWidth - valueWidth - font);
  const rowHeight = Math.max(
    font * 1.6,
    Math.min(font * 3, (height - headerHeight - font * 1.8) / Math.max(1, sorted.length))
  );
  const colors: Record<WindowState, string> = {
    page: theme.colors.error.main,
    ticket: theme.colors.warning.main,
    ok: theme.colors.success.main,
    none: theme.colors.text.disabled,
  };
  const thresholds = [...new Set(sorted.flatMap((r) => [r.page, r.ticket]).filter((t): t is number => t !== null))];
  const alert = row.alert ?? 'ok';
  const alertColor = alert === 'page' ? colors.page : alert === 'ticket' ? colors.ticket : colors.ok;

  return (
    <div className={styles.box} style={{ width, height, fontSize: font }} data-testid="slabreach-burnrates">
      <div className={styles.header} style={{ height: headerHeight }}>
        <span className={styles.title}>Burn rate per window</span>
        <span style={{ color: alertColor }} className={styles.alert}>
          <Icon
            name={alert === 'ok' ? 'check-circle' : 'exclamation-triangle'}
            style={{ width: font * 1.3, height: font * 1.3 }}
          />
          {ALERT_WORDS[alert]}
        </span>
      </div>
      {sorted.length === 0 ? (
        <div className={styles.empty}>No burn rates in the data for this SLO.</div>
      ) : (
        <div style={{ position: 'relative' }}>
          {sorted.map((r) => {
            const state = windowState(r);
            const w = r.burn === null ? 0 : burnPosition(r.burn, top) * barWidth;
            return (
              <div
                key={r.window}
                className={styles.row}
                style={{ height: rowHeight }}
                data-testid="slabreach-burnrate-row"
              >
                <span className={styles.label} style={{ width: labelWidth }}>
                  {r.window}
                </span>
                <span className={styles.track} style={{ width: barWidth, height: rowHeight * 0.55 }}>
                  <span className={styles.bar} style={{ width: Math.max(2, w), background: colors[state] }} />
                  {[r.page, r.ticket].map(
                    (t, k) =>
                      t !== null && (
                        <span
                          key={k}
                          className={styles.tick}
                          style={{
                            left: burnPosition(t, top) * barWidth,
                            borderColor: k === 0 ? colors.page : colors.ticket,
                          }}
                        />
                      )
                  )}
                </span>
                <span className={styles.value} style={{ width: valueWidth }}>
                  <b>{formatBurn(r.burn)}</b>{' '}
                  <span style={{ color: colors[state] }}>
                    {state === 'page'
                      ? `> page ${formatBurn(r.page)}`
                      : state === 'ticket'
                        ? `> ticket ${formatBurn(r.ticket)}`
                        : state === 'ok'
                          ? 'ok'
                          : ''}
                  </span>
                </span>
              </div>
            );
          })}
          <div
            className={styles.axis}
            style={{ marginLeft: labelWidth + font * 0.5, width: barWidth, height: font * 1.6 }}
          >
            {thresholds.map((t) => (
              <span key={t} className={styles.axisLabel} style={{ left: burnPosition(t, top) * barWidth }}>
                {formatBurn(t)}
              </span>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ overflow: 'hidden', display: 'flex', flexDirection: 'column' }),
  header: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', whiteSpace: 'nowrap' }),
  title: css({ fontWeight: theme.typography.fontWeightMedium }),
  alert: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: '0.3em',
    fontWeight: theme.typography.fontWeightBold,
    textTransform: 'uppercase',
  }),
  empty: css({ color: theme.colors.text.secondary }),
  row: css({ display: 'flex', alignItems: 'center', gap: '0.5em' }),
  label: css({ fontWeight: theme.typography.fontWeightMedium, textAlign: 'right', flex: 'none' }),
  track: css({
    position: 'relative',
    flex: 'none',
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  bar: css({ position: 'absolute', left: 0, top: 0, bottom: 0, borderRadius: theme.shape.radius.default }),
  tick: css({ position: 'absolute', top: '-20%', bottom: '-20%', borderLeft: '2px dashed' }),
  value: css({ flex: 'none', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }),
  axis: css({ position: 'relative', color: theme.colors.text.secondary, fontSize: '0.85em' }),
  axisLabel: css({ position: 'absolute', transform: 'translateX(-50%)', whiteSpace: 'nowrap' }),
});

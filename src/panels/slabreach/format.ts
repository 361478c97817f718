// How the panel writes its numbers: compliance to the precision its objective needs, budget and
// burn rate short enough for a tile, durations and money in words a wall can show.

/** Decimals that tell a compliance apart from its objective: one more than the objective has (at least 2). */
export function complianceDecimals(objective: number | null): number {
  if (objective === null) {
    return 2;
  }
  const text = String(objective);
  const dot = text.indexOf('.');
  const own = dot < 0 ? 0 : text.length - dot - 1;
  return Math.min(5, Math.max(2, own + 1));
}

/**
 * A ratio as a percentage. Truncated, not rounded, towards the objective's side: 99.8996% must not
 * read as 99.90% next to an objective of 99.9.
 */
export function formatPercent(ratio: number | null, decimals: number): string {
  if (ratio === null) {
    return '–';
  }
  if (!Number.isFinite(ratio)) {
    return ratio > 0 ? '∞' : '−∞';
  }
  const f = 10 ** decimals;
  const v = Math.floor(ratio * 100 * f + 1e-9) / f;
  return `${v.toFixed(decimals)}%`.replace('-', '−');
}

/** Budget left: whole percent from 10% up, one decimal below; "spent" past −∞. */
export function formatBudget(ratio: number | null): string {
  if (ratio === null) {
    return '–';
  }
  if (!Number.isFinite(ratio)) {
    return ratio > 0 ? '∞' : 'spent';
  }
  const pct = ratio * 100;
  const d = Math.abs(pct) >= 10 ? 0 : 1;
  return `${pct.toFixed(d)}%`.replace('-', '−');
}

/** Burn rate: "0×", "2.4×", "14.4×", "120×", "∞×". */
export function formatBurn(v: number | null): string {
  if (v === null) {
    return '–';
  }
  if (!Number.isFinite(v)) {
    return '∞×';
  }
  if (v === 0) {
    return '0×';
  }
  if (v >= 100) {
    return `${Math.round(v)}×`;
  }
  if (v < 0.1) {
    return `${v.toFixed(2)}×`;
  }
  return `${Number(v.toFixed(1))}×`;
}

/** Seconds as "45 s", "43 min", "5.5 h", "3.2 d" (negative: "−12 min"). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) {
    return '–';
  }
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  const one = (v: number) => (v >= 10 ? Math.round(v).toString() : Number(v.toFixed(1)).toString());
  if (s < 90) {
    return `${sign}${one(s)} s`;
  }
  if (s < 90 * 60) {
    return `${sign}${one(s / 60)} min`;
  }
  if (s < 36 * 3600) {
    return `${sign}${one(s / 3600)} h`;
  }
  return `${sign}${one(s / 86400)} d`;
}

/** Money in the SLA's currency (ISO 4217), whole units; plain number when there is none. */
export function formatMoney(amount: number, currency: string): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
    } catch {
      // an ISO-shaped code the runtime does not know: fall through
    }
  }
  const n = new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(amount);
  return currency ? `${n} ${currency}` : n;
}

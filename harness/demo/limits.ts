// Demo-only statistics: just enough XmR to draw a realistic chart. The real SPC engine lives in
// src/lib (shared golden vectors); do not grow this file.

export interface Limits {
  cl: number;
  sigma: number;
  ucl: number;
  lcl: number;
}

export interface Violation {
  index: number;
  rule: 'beyond3s' | 'run8';
}

/** Individuals chart limits from the first `baselineCount` points (phase I). */
export function xmrLimits(values: ArrayLike<number>, baselineCount: number): Limits {
  const n = Math.max(2, Math.min(values.length, baselineCount));
  let sum = 0;
  let mrSum = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i];
    if (i > 0) {
      mrSum += Math.abs(values[i] - values[i - 1]);
    }
  }
  const cl = sum / n;
  const sigma = mrSum / (n - 1) / 1.128; // d2 for n = 2
  return { cl, sigma, ucl: cl + 3 * sigma, lcl: cl - 3 * sigma };
}

/** Two rules for the demo: a point beyond 3 sigma; the 8th point in a row on one side of the center line. */
export function findViolations(values: ArrayLike<number>, l: Limits): Violation[] {
  const out: Violation[] = [];
  let run = 0;
  let side = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > l.ucl || v < l.lcl) {
      out.push({ index: i, rule: 'beyond3s' });
    }
    const s = Math.sign(v - l.cl);
    run = s !== 0 && s === side ? run + 1 : 1;
    side = s;
    if (run === 8) {
      out.push({ index: i, rule: 'run8' });
    }
  }
  return out;
}

import { SpcFrozen, SpcPoints } from './types';

/** Columns for m points; every chart writes value, center, ucl, lcl and sigma of each. */
export function newPoints(m: number): SpcPoints {
  // NaN (a double) keeps V8 from converting the arrays when real values land.
  const zeros = () => new Array<number>(m).fill(NaN);
  return {
    value: zeros(),
    center: zeros(),
    ucl: zeros(),
    lcl: zeros(),
    sigma: zeros(),
    baseline: new Array<boolean>(m).fill(false),
    violations: new Array<readonly never[]>(m).fill([]),
  };
}

export function mean(xs: readonly number[], from = 0, to = xs.length): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    s += xs[i];
  }
  return s / (to - from);
}

export function meanMovingRange(xs: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from + 1; i < to; i++) {
    s += Math.abs(xs[i] - xs[i - 1]);
  }
  return s / (to - from - 1);
}

/** Constant center and center +- 3 sigma_i limits clipped to [lo, hi]; sigma is a number when constant. */
export function fill(
  p: SpcPoints,
  center: number,
  sigma: number | readonly number[],
  lo = -Infinity,
  hi = Infinity
): void {
  for (let i = 0; i < p.value.length; i++) {
    const s = typeof sigma === 'number' ? sigma : sigma[i];
    p.center[i] = center;
    p.sigma[i] = s;
    p.ucl[i] = Math.min(center + 3 * s, hi);
    p.lcl[i] = Math.max(center - 3 * s, lo);
  }
}

/** Zone width implied by user limits: clipping only ever shrinks one side, so the wider side is 3 sigma. */
export function frozenSigma(f: Required<Pick<SpcFrozen, 'center' | 'ucl' | 'lcl'>>): number {
  return Math.max(f.ucl - f.center, f.center - f.lcl) / 3;
}

/** User-given center/UCL/LCL on every point, or false when limits are not frozen. */
export function fillFrozen(p: SpcPoints, f: SpcFrozen): boolean {
  const { center, ucl, lcl } = f;
  if (center === undefined || ucl === undefined || lcl === undefined) {
    return false;
  }
  const s = frozenSigma({ center, ucl, lcl });
  p.center.fill(center);
  p.ucl.fill(ucl);
  p.lcl.fill(lcl);
  p.sigma.fill(s);
  return true;
}

/** The common value, or null when they differ. */
export function constant(xs: readonly number[]): number | null {
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] !== xs[0]) {
      return null;
    }
  }
  return xs[0];
}

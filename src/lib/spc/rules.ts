import { RuleId, RunRuleId, SpcError, SpcPoints, Violation } from './types';

/** Canonical rule order (violations are sorted by index, then this order). */
export const RULE_ORDER: readonly RuleId[] = [
  'nelson-1',
  'nelson-2',
  'nelson-3',
  'nelson-4',
  'nelson-5',
  'nelson-6',
  'nelson-7',
  'nelson-8',
  'we-1',
  'we-2',
  'we-3',
  'we-4',
  'ewma-limit',
  'cusum-upper',
  'cusum-lower',
];

const RUN_RULES = RULE_ORDER.slice(0, 12) as readonly RunRuleId[];

export const RULE_GROUPS: Readonly<Record<string, readonly RunRuleId[]>> = {
  nelson: RUN_RULES.slice(0, 8),
  westernelectric: RUN_RULES.slice(8, 12),
};

function isRunRule(name: string): name is RunRuleId {
  return (RUN_RULES as readonly string[]).includes(name);
}

/** Ids and group names (case and surrounding space ignored) to a set, in canonical order. */
export function parseRules(names: readonly string[] | undefined): RunRuleId[] {
  const want = new Set<RunRuleId>();
  for (const raw of names ?? []) {
    const name = raw.trim().toLowerCase();
    const group = RULE_GROUPS[name];
    if (group) {
      group.forEach((r) => want.add(r));
    } else if (isRunRule(name)) {
      want.add(name);
    } else {
      throw new SpcError(
        'rules',
        `unknown rule ${JSON.stringify(raw)} (known: nelson-1..nelson-8, we-1..we-4, groups nelson, westernelectric)`
      );
    }
  }
  return RUN_RULES.filter((r) => want.has(r));
}

/** Marks point i with rule r and records the violation. */
export function mark(
  points: SpcPoints,
  out: Violation[],
  times: readonly number[] | undefined,
  rule: RuleId,
  i: number,
  pts: number[]
): void {
  const v: Violation = { rule, index: i, points: pts };
  if (times) {
    v.time = times[i];
  }
  out.push(v);
  points.violations[i] = [...points.violations[i], rule];
}

export function span(i: number, m: number): number[] {
  const pts = new Array<number>(m);
  for (let k = 0; k < m; k++) {
    pts[k] = i - m + 1 + k;
  }
  return pts;
}

function windowPoints(i: number, m: number, mask: number): number[] {
  const pts: number[] = [];
  for (let k = m - 1; k >= 0; k--) {
    if ((mask >> k) & 1 && i - k >= 0) {
      pts.push(i - k);
    }
  }
  return pts;
}

function popcount(v: number): number {
  let c = 0;
  for (let b = v; b; b &= b - 1) {
    c++;
  }
  return c;
}

const LAST3 = 0b111;
const LAST5 = 0b11111;

/**
 * Evaluates the selected run rules in one pass, as pkg/stats/spc does.
 * Convention (shared with Go and scripts/golden/spc.py): a rule fires at every
 * index where a qualifying pattern ends, listing the minimal pattern, so a run
 * of 10 on one side fires nelson-2 at its 9th and 10th points. For k-of-m
 * rules the current point must qualify; the window is the m points ending
 * there (fewer at the start). Comparisons are strict: a point on a zone line
 * is not beyond it, one on the center line is on neither side. Counters hold
 * the length of the pattern ending at the point; k-of-m rules keep one bit
 * per recent point (bit 0 = current).
 */
export function runRules(
  points: SpcPoints,
  rules: readonly RunRuleId[],
  times: readonly number[] | undefined
): Violation[] {
  const out: Violation[] = [];
  if (rules.length === 0) {
    return out;
  }
  const on = new Set<RunRuleId>(rules);
  const { value: x, center: c, sigma: s, ucl, lcl } = points;
  let side = 0;
  let sideRun = 0;
  let step = 0;
  let trend = 0;
  let alt = 0;
  let within = 0;
  let outside = 0;
  let up2 = 0;
  let dn2 = 0;
  let up1 = 0;
  let dn1 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - c[i];
    const si = s[i];
    const ns = d > 0 ? 1 : d < 0 ? -1 : 0;
    sideRun = ns === 0 ? 0 : ns === side ? sideRun + 1 : 1;
    side = ns;
    const nt = i === 0 ? 0 : x[i] > x[i - 1] ? 1 : x[i] < x[i - 1] ? -1 : 0;
    if (nt === 0) {
      trend = 1;
      alt = 1;
    } else if (nt === step) {
      trend++;
      alt = 2;
    } else if (nt === -step) {
      trend = 2;
      alt++;
    } else {
      trend = 2;
      alt = 2;
    }
    step = nt;
    const ad = Math.abs(d);
    within = ad < si ? within + 1 : 0;
    outside = ad > si ? outside + 1 : 0;
    up2 = ((up2 << 1) | (d > 2 * si ? 1 : 0)) & LAST5;
    dn2 = ((dn2 << 1) | (d < -2 * si ? 1 : 0)) & LAST5;
    up1 = ((up1 << 1) | (d > si ? 1 : 0)) & LAST5;
    dn1 = ((dn1 << 1) | (d < -si ? 1 : 0)) & LAST5;

    const beyond = x[i] > ucl[i] || x[i] < lcl[i];
    let twoOf3 = 0;
    if (up2 & 1 && popcount(up2 & LAST3) >= 2) {
      twoOf3 = up2 & LAST3;
    } else if (dn2 & 1 && popcount(dn2 & LAST3) >= 2) {
      twoOf3 = dn2 & LAST3;
    }
    let fourOf5 = 0;
    if (up1 & 1 && popcount(up1) >= 4) {
      fourOf5 = up1;
    } else if (dn1 & 1 && popcount(dn1) >= 4) {
      fourOf5 = dn1;
    }
    const quiet = !beyond && sideRun < 8 && trend < 6 && alt < 14 && !twoOf3 && !fourOf5 && within < 15 && outside < 8;
    if (quiet) {
      continue; // the common case: nothing can fire
    }
    const fire = (rule: RunRuleId, pts: () => number[]) => on.has(rule) && mark(points, out, times, rule, i, pts());
    if (beyond) {
      fire('nelson-1', () => [i]);
    }
    if (sideRun >= 9) {
      fire('nelson-2', () => span(i, 9));
    }
    if (trend >= 6) {
      fire('nelson-3', () => span(i, 6));
    }
    if (alt >= 14) {
      fire('nelson-4', () => span(i, 14));
    }
    if (twoOf3) {
      fire('nelson-5', () => windowPoints(i, 3, twoOf3));
    }
    if (fourOf5) {
      fire('nelson-6', () => windowPoints(i, 5, fourOf5));
    }
    if (within >= 15) {
      fire('nelson-7', () => span(i, 15));
    }
    if (outside >= 8) {
      fire('nelson-8', () => span(i, 8));
    }
    if (beyond) {
      fire('we-1', () => [i]);
    }
    if (twoOf3) {
      fire('we-2', () => windowPoints(i, 3, twoOf3));
    }
    if (fourOf5) {
      fire('we-3', () => windowPoints(i, 5, fourOf5));
    }
    if (sideRun >= 8) {
      fire('we-4', () => span(i, 8));
    }
  }
  return out;
}

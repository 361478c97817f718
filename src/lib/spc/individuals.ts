import { fill, fillFrozen, frozenSigma, mean, meanMovingRange } from './common';
import { constantsFor, XMR_D2 } from './constants';
import { span } from './rules';
import { Dispersion, DispersionRuleId, RuleId, SpcResult, Violation } from './types';
import { Plan } from './validate';

/** XmR, EWMA and CUSUM; EWMA/CUSUM return their own limit violations. */
export function individuals(plan: Plan, x: readonly number[], res: SpcResult): Violation[] {
  const f = plan.frozen;
  const from = plan.first;
  const to = plan.last + 1;
  const mu = f.center ?? mean(x, from, to);
  let sigma: number;
  let mrbar: number;
  if (f.sigma !== undefined) {
    sigma = f.sigma;
    mrbar = XMR_D2 * sigma;
  } else if (f.ucl !== undefined && f.lcl !== undefined) {
    sigma = frozenSigma({ center: mu, ucl: f.ucl, lcl: f.lcl });
    mrbar = XMR_D2 * sigma;
  } else {
    mrbar = meanMovingRange(x, from, to);
    sigma = mrbar / XMR_D2;
  }
  res.processSigma = sigma;
  if (plan.chart === 'ewma') {
    return ewma(plan, x, mu, sigma, res);
  }
  if (plan.chart === 'cusum') {
    return cusum(plan, x, mu, sigma, res);
  }
  const p = res.points;
  for (let i = 0; i < x.length; i++) {
    p.value[i] = x[i];
  }
  if (!fillFrozen(p, f)) {
    fill(p, mu, sigma);
  }
  const k = constantsFor(2)!;
  const m = x.length - 1;
  const d: Dispersion = {
    chart: 'mr',
    center: mrbar,
    ucl: k.D4 * mrbar,
    lcl: k.D3 * mrbar,
    index: new Array<number>(m),
    value: new Array<number>(m),
    violations: [],
  };
  for (let i = 1; i < x.length; i++) {
    d.index[i - 1] = i;
    d.value[i - 1] = Math.abs(x[i] - x[i - 1]);
  }
  checkDispersion(d, 'mr-limit', plan.times, (i) => [i - 1, i]);
  res.dispersion = d;
  return [];
}

export function checkDispersion(
  d: Dispersion,
  rule: DispersionRuleId,
  times: readonly number[] | undefined,
  pts: (i: number) => number[]
): void {
  d.value.forEach((v, j) => {
    if (v > d.ucl || v < d.lcl) {
      const i = d.index[j];
      d.violations.push(
        times ? { rule, index: i, time: times[i], points: pts(i) } : { rule, index: i, points: pts(i) }
      );
    }
  });
}

function violation(plan: Plan, rule: RuleId, i: number, pts: number[]): Violation {
  return plan.times ? { rule, index: i, time: plan.times[i], points: pts } : { rule, index: i, points: pts };
}

function ewma(plan: Plan, x: readonly number[], mu: number, sigma: number, res: SpcResult): Violation[] {
  const { lambda: lam, L } = plan;
  res.params = { lambda: lam, L, ewmaLimits: plan.asymptotic ? 'asymptotic' : 'exact' };
  res.target = mu;
  const p = res.points;
  p.observation = [...x];
  const out: Violation[] = [];
  let z = mu;
  x.forEach((xi, i) => {
    z = lam * xi + (1 - lam) * z;
    const grow = plan.asymptotic ? 1 : 1 - Math.pow(1 - lam, 2 * (i + 1));
    const s = sigma * Math.sqrt((lam / (2 - lam)) * grow);
    p.value[i] = z;
    p.center[i] = mu;
    p.sigma[i] = s;
    p.ucl[i] = mu + L * s;
    p.lcl[i] = mu - L * s;
    if (z > p.ucl[i] || z < p.lcl[i]) {
      out.push(violation(plan, 'ewma-limit', i, [i]));
      p.violations[i] = ['ewma-limit'];
    }
  });
  return out;
}

/** Tabular CUSUM; the run counters give the points since each sum last left zero (N+ and N-). */
function cusum(plan: Plan, x: readonly number[], mu: number, sigma: number, res: SpcResult): Violation[] {
  res.params = { k: plan.k, h: plan.h };
  res.target = mu;
  const K = plan.k * sigma;
  const H = plan.h * sigma;
  const p = res.points;
  p.observation = [...x];
  p.cplus = [];
  p.cminus = [];
  const out: Violation[] = [];
  let cp = 0;
  let cm = 0;
  let np = 0;
  let nm = 0;
  x.forEach((xi, i) => {
    cp = Math.max(0, cp + (xi - mu - K));
    cm = Math.max(0, cm + (mu - K - xi));
    np = cp > 0 ? np + 1 : 0;
    nm = cm > 0 ? nm + 1 : 0;
    p.value[i] = cp;
    p.cplus!.push(cp);
    p.cminus!.push(cm);
    p.center[i] = 0;
    p.ucl[i] = H;
    p.lcl[i] = -H;
    p.sigma[i] = sigma;
    const marks: RuleId[] = [];
    if (cp > H) {
      out.push(violation(plan, 'cusum-upper', i, span(i, np)));
      marks.push('cusum-upper');
    }
    if (cm > H) {
      out.push(violation(plan, 'cusum-lower', i, span(i, nm)));
      marks.push('cusum-lower');
    }
    if (marks.length > 0) {
      p.violations[i] = marks;
    }
  });
  return out;
}

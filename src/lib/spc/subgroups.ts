import { fill, fillFrozen, frozenSigma, mean } from './common';
import { constantsFor } from './constants';
import { checkDispersion } from './individuals';
import { Dispersion, SpcResult } from './types';
import { Plan } from './validate';

/** X-bar R and X-bar S with their R or S chart. */
export function subgroups(plan: Plan, x: readonly number[], res: SpcResult): void {
  const { sub: n, m, frozen: f } = plan;
  const k = constantsFor(n)!;
  const isR = plan.chart === 'xbar-r';
  res.params = { subgroup: n };
  const means: number[] = [];
  const disp: number[] = [];
  for (let j = 0; j < m; j++) {
    const g = x.slice(j * n, (j + 1) * n);
    const gm = mean(g);
    means.push(gm);
    if (isR) {
      disp.push(Math.max(...g) - Math.min(...g));
    } else {
      let ss = 0;
      for (const v of g) {
        ss += (v - gm) * (v - gm);
      }
      disp.push(Math.sqrt(ss / (n - 1)));
    }
  }
  const unbias = isR ? k.d2 : k.c4;
  const mu = f.center ?? mean(means, plan.first, plan.last + 1);
  let sp: number; // process sigma
  let dc: number; // dispersion center
  if (f.sigma !== undefined) {
    sp = f.sigma;
    dc = unbias * sp;
  } else if (f.ucl !== undefined && f.lcl !== undefined) {
    sp = frozenSigma({ center: mu, ucl: f.ucl, lcl: f.lcl }) * Math.sqrt(n);
    dc = unbias * sp;
  } else {
    dc = mean(disp, plan.first, plan.last + 1);
    sp = dc / unbias;
  }
  res.processSigma = sp;
  const p = res.points;
  means.forEach((v, i) => (p.value[i] = v));
  if (!fillFrozen(p, f)) {
    fill(p, mu, sp / Math.sqrt(n));
  }
  const d: Dispersion = {
    chart: isR ? 'r' : 's',
    center: dc,
    ucl: (isR ? k.D4 : k.B4) * dc,
    lcl: (isR ? k.D3 : k.B3) * dc,
    index: means.map((_, j) => j),
    value: disp,
    violations: [],
  };
  checkDispersion(d, isR ? 'r-limit' : 's-limit', plan.times, (i) => [i]);
  res.dispersion = d;
}

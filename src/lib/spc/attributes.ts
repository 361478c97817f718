import { fill, fillFrozen, mean } from './common';
import { SpcResult } from './types';
import { Plan } from './validate';

/** p, np, u and c charts; limits vary with n for p and u. */
export function attributes(
  plan: Plan,
  x: readonly number[],
  sizes: readonly number[] | undefined,
  res: SpcResult
): void {
  const { frozen: f, chart } = plan;
  const p = res.points;
  const n = sizes ?? [];
  if (sizes) {
    p.n = [...sizes];
  }
  x.forEach((v, i) => (p.value[i] = chart === 'p' || chart === 'u' ? v / n[i] : v));
  if (fillFrozen(p, f)) {
    return;
  }
  // rate over the baseline: total count / total size
  const rate = () => {
    let num = 0;
    let den = 0;
    for (let i = plan.first; i <= plan.last; i++) {
      num += x[i];
      den += n[i];
    }
    return num / den;
  };
  switch (chart) {
    case 'p': {
      const pbar = f.center ?? rate();
      fill(
        p,
        pbar,
        n.map((ni) => Math.sqrt((pbar * (1 - pbar)) / ni)),
        0,
        1
      );
      break;
    }
    case 'np': {
      const n0 = n[0];
      const pbar = f.center !== undefined ? f.center / n0 : rate();
      const center = f.center ?? n0 * pbar;
      fill(p, center, Math.sqrt(n0 * pbar * (1 - pbar)), 0, n0);
      break;
    }
    case 'u': {
      const ubar = f.center ?? rate();
      fill(
        p,
        ubar,
        n.map((ni) => Math.sqrt(ubar / ni)),
        0
      );
      break;
    }
    default: {
      const cbar = f.center ?? mean(x, plan.first, plan.last + 1);
      fill(p, cbar, Math.sqrt(cbar), 0);
    }
  }
}

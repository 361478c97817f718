import { attributes } from './attributes';
import { constant, newPoints } from './common';
import { individuals } from './individuals';
import { runRules } from './rules';
import { subgroups } from './subgroups';
import { SpcInput, SpcOptions, SpcResult } from './types';
import { isIndividual, isSubgrouped, validate } from './validate';

/** Builds the chart described by options over input. Throws SpcError on bad input or options. */
export function computeSpc(input: SpcInput, options: SpcOptions): SpcResult {
  const plan = validate(input, options);
  const res: SpcResult = {
    chart: plan.chart,
    center: 0,
    ucl: null,
    lcl: null,
    sigma: null,
    params: {},
    baseline: null,
    points: newPoints(plan.m),
    violations: [],
  };
  if (isIndividual(plan.chart)) {
    res.violations = individuals(plan, input.values, res);
  } else if (isSubgrouped(plan.chart)) {
    subgroups(plan, input.values, res);
  } else {
    attributes(plan, input.values, input.sizes, res);
  }
  const p = res.points;
  res.violations.push(...runRules(p, plan.rules, plan.times));
  if (plan.times) {
    p.time = plan.times;
  }
  res.center = p.center[0];
  res.ucl = constant(p.ucl);
  res.lcl = constant(p.lcl);
  res.sigma = constant(p.sigma);
  if (!plan.full) {
    res.baseline = { first: plan.first, last: plan.last };
    if (plan.times) {
      res.baseline.from = plan.times[plan.first];
      res.baseline.to = plan.times[plan.last];
    }
    p.baseline.fill(true, plan.first, plan.last + 1);
  }
  return res;
}

/** center + k sigma per point: the zone lines (k = ±1, ±2). */
export function sigmaLine(res: SpcResult, k: number): number[] {
  return res.points.center.map((c, i) => c + k * res.points.sigma[i]);
}

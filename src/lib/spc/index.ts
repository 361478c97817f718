export { computeSpc, sigmaLine } from './compute';
export { constantsFor, MAX_SUBGROUP, MIN_SUBGROUP, XMR_D2 } from './constants';
export type { SpcConstants } from './constants';
export { parseRules, RULE_GROUPS, RULE_ORDER } from './rules';
export * from './types';

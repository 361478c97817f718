// What each rule means and how its violations are drawn: a shape and a color, so no rule depends
// on color alone. Equivalent Western Electric rules share their Nelson twin's look, drawn hollow.
import type { RuleId } from '../../lib/spc';

export type MarkerShape = 'triangle' | 'square' | 'diamond' | 'cross' | 'circle' | 'hexagon' | 'plus' | 'star';

export interface RuleInfo {
  /** Short name for legends and summaries, e.g. "Nelson 1". */
  name: string;
  /** What the pattern is, e.g. "1 point beyond 3σ". */
  description: string;
  shape: MarkerShape;
  /** A Grafana color name or CSS color, resolved with theme.visualization.getColorByName. */
  color: string;
  hollow: boolean;
}

export const RULES: Record<RuleId, RuleInfo> = {
  'nelson-1': { name: 'Nelson 1', description: '1 point beyond 3σ', shape: 'triangle', color: 'red', hollow: false },
  'nelson-2': {
    name: 'Nelson 2',
    description: '9 in a row on one side',
    shape: 'square',
    color: 'orange',
    hollow: false,
  },
  'nelson-3': {
    name: 'Nelson 3',
    description: '6 in a row rising or falling',
    shape: 'diamond',
    color: 'purple',
    hollow: false,
  },
  'nelson-4': {
    name: 'Nelson 4',
    description: '14 in a row alternating',
    shape: 'cross',
    color: 'blue',
    hollow: false,
  },
  'nelson-5': {
    name: 'Nelson 5',
    description: '2 of 3 beyond 2σ, same side',
    shape: 'circle',
    color: 'yellow',
    hollow: false,
  },
  'nelson-6': {
    name: 'Nelson 6',
    description: '4 of 5 beyond 1σ, same side',
    shape: 'hexagon',
    color: '#5fd3e6',
    hollow: false,
  },
  'nelson-7': {
    name: 'Nelson 7',
    description: '15 in a row within 1σ',
    shape: 'plus',
    color: '#e05fd0',
    hollow: false,
  },
  'nelson-8': {
    name: 'Nelson 8',
    description: '8 in a row beyond 1σ, either side',
    shape: 'star',
    color: 'light-orange',
    hollow: false,
  },
  'we-1': { name: 'WE 1', description: '1 point beyond 3σ', shape: 'triangle', color: 'red', hollow: true },
  'we-2': { name: 'WE 2', description: '2 of 3 beyond 2σ, same side', shape: 'circle', color: 'yellow', hollow: true },
  'we-3': {
    name: 'WE 3',
    description: '4 of 5 beyond 1σ, same side',
    shape: 'hexagon',
    color: '#5fd3e6',
    hollow: true,
  },
  'we-4': { name: 'WE 4', description: '8 in a row on one side', shape: 'square', color: 'orange', hollow: true },
  'ewma-limit': { name: 'EWMA', description: 'beyond its limits', shape: 'triangle', color: 'red', hollow: false },
  'cusum-upper': {
    name: 'CUSUM up',
    description: 'upward shift: C+ above H',
    shape: 'triangle',
    color: 'red',
    hollow: false,
  },
  'cusum-lower': {
    name: 'CUSUM down',
    description: 'downward shift: C− above H',
    shape: 'triangle',
    color: 'red',
    hollow: false,
  },
};

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/** Run rules a user can pick, in canonical order. */
export const RUN_RULE_IDS: RuleId[] = [
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
];

/** "Nelson 1: 1 point beyond 3σ", or the raw id for a rule from another source. */
export function ruleLabel(id: string): string {
  return isRuleId(id) ? `${RULES[id].name}: ${RULES[id].description}` : id;
}

// The numbers a wall display shows for a chart, and the words for them.
import type { ChartModel } from './chart';
import { ruleLabel } from './rules';

export interface ChartSummary {
  points: number;
  violations: number;
  /** Points with at least one violation. */
  flagged: number;
  inControl: boolean;
  status: string;
  /** "Nelson 1: 1 point beyond 3σ: 2" per rule with violations. */
  byRule: string[];
  /** Points left out, in words ("3 empty points skipped"), or ''. */
  notes: string;
}

export function summarize(m: ChartModel): ChartSummary {
  const violations = m.violations.length;
  const notes: string[] = [];
  if (m.skipped > 0) {
    notes.push(`${m.skipped} point${m.skipped === 1 ? '' : 's'} without a value skipped`);
  }
  if (m.incomplete > 0) {
    notes.push(`newest ${m.incomplete} value${m.incomplete === 1 ? '' : 's'} left out (incomplete subgroup)`);
  }
  // With kaizen phases, the process is judged by the phase it is in now: signals from before the
  // latest change say how it was, not how it is.
  const current = [...(m.phases ?? [])].reverse().find((p) => p.first !== undefined);
  const judged = current ? m.violations.filter((v) => v.index >= current.first!).length : violations;
  if (judged < violations) {
    const earlier = violations - judged;
    notes.push(`${earlier} in earlier phases`);
  }
  return {
    points: m.values.length,
    violations,
    flagged: m.flagged,
    inControl: judged === 0,
    status: judged === 0 ? 'In control' : 'Out of control',
    byRule: m.counts.filter((c) => c.count > 0).map((c) => `${ruleLabel(c.rule)}: ${c.count}`),
    notes: notes.join('; '),
  };
}

/** One line for screen readers and tests: "240 points, 11 violations on 9 points: out of control". */
export function summaryText(s: ChartSummary): string {
  const v =
    s.violations === 0
      ? 'no violations'
      : `${s.violations} violation${s.violations === 1 ? '' : 's'} on ${s.flagged} point${s.flagged === 1 ? '' : 's'}`;
  return `${s.points} points, ${v}: ${s.status.toLowerCase()}`;
}

/**
 * Size factor for text and markers: 1 in a dashboard panel, growing with the chart's area on big
 * screens (a 1920x1040 chart gets about 2), at most 3; a flat chart is held back by its height.
 */
export function displayScale(width: number, height: number): number {
  return Math.max(1, Math.min(3, Math.sqrt(width * height) / 670, height / 300));
}

import type { ScopedVars } from '@grafana/data';
import { interpolatePrometheus } from './prometheus';
import type { KaizenQuery, PrometheusQueryOptions } from './types';

/** The subset of Grafana's TemplateSrv the interpolation needs (kept small for tests). */
export interface TemplateReplacer {
  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string;
}

// A separator no dashboard value contains, so multi-value variables split back cleanly.
const SEP = '\u001f';

/**
 * Expands template variables in filter values, at the top level and in any nested
 * query (an spc or backtest query's `source`). A multi-value variable ($service with
 * "api" and "web" selected) becomes several values, so the backend gets a plain list
 * and never sees variable syntax; quotes and commas in values pass through untouched.
 */
export function interpolateQuery(
  query: KaizenQuery,
  templates: TemplateReplacer,
  scopedVars: ScopedVars = {}
): KaizenQuery {
  return interpolateNode(query, templates, scopedVars) as KaizenQuery;
}

function interpolateNode(node: unknown, templates: TemplateReplacer, scopedVars: ScopedVars): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => interpolateNode(item, templates, scopedVars));
    return items.every((item, i) => item === node[i]) ? node : items;
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const next =
      key === 'filters' && isFilterMap(value)
        ? expandFilters(value, templates, scopedVars)
        : key === 'prometheus' && isPrometheusOptions(value)
          ? interpolatePrometheus(value, templates, scopedVars)
          : interpolateNode(value, templates, scopedVars);
    changed ||= next !== value;
    out[key] = next;
  }
  return changed ? out : node;
}

// A prometheus query's expression (at any depth: an spc or model source) gets dashboard variables.
function isPrometheusOptions(value: unknown): value is PrometheusQueryOptions {
  return value !== null && typeof value === 'object' && typeof (value as PrometheusQueryOptions).expr === 'string';
}

function isFilterMap(value: unknown): value is Record<string, string[]> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'))
  );
}

function expandFilters(
  filters: Record<string, string[]>,
  templates: TemplateReplacer,
  scopedVars: ScopedVars
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [dimension, values] of Object.entries(filters)) {
    const expanded: string[] = [];
    for (const value of values) {
      const replaced = templates.replace(value, scopedVars, (v: string | string[]) =>
        Array.isArray(v) ? v.join(SEP) : v
      );
      for (const part of replaced.split(SEP)) {
        if (part !== '' && !expanded.includes(part)) {
          expanded.push(part);
        }
      }
    }
    out[dimension] = expanded;
  }
  return out;
}

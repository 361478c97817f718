import type { ScopedVars } from '@grafana/data';
import type { KaizenQuery } from './types';

/** The subset of Grafana's TemplateSrv the interpolation needs (kept small for tests). */
export interface TemplateReplacer {
  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string;
}

// A separator no dashboard value contains, so multi-value variables split back cleanly.
const SEP = '\u001f';

/**
 * Expands template variables in filter values. A multi-value variable ($service with
 * "api" and "web" selected) becomes several values, so the backend gets a plain list
 * and never sees variable syntax; quotes and commas in values pass through untouched.
 */
export function interpolateQuery(query: KaizenQuery, templates: TemplateReplacer, scopedVars: ScopedVars = {}): KaizenQuery {
  if (!query.filters) {
    return query;
  }
  const filters: Record<string, string[]> = {};
  for (const [dimension, values] of Object.entries(query.filters)) {
    const expanded: string[] = [];
    for (const value of values) {
      const replaced = templates.replace(value, scopedVars, (v: string | string[]) => (Array.isArray(v) ? v.join(SEP) : v));
      for (const part of replaced.split(SEP)) {
        if (part !== '' && !expanded.includes(part)) {
          expanded.push(part);
        }
      }
    }
    filters[dimension] = expanded;
  }
  return { ...query, filters };
}

// Pure helpers of the prometheus query type: template variables in PromQL, and checks
// the editor shows before a query runs. Mirrors pkg/metrics/promql.
import type { ScopedVars } from '@grafana/data';

import type { TemplateReplacer } from './templating';
import type { PrometheusQueryOptions } from './types';

/**
 * Variables the backend replaces, because it alone knows the step it will use (and
 * alert rules never pass through the browser): kept as written here, as Grafana's
 * Prometheus data source does.
 */
const BACKEND_VARIABLES = [
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__rate_interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
];

/** Escapes a value for use inside a PromQL string (backslashes and single quotes). */
export function promRegularEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/** Escapes a value for use inside a PromQL regex matcher (=~"..."). */
export function promRegexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}\[\]'+?.()|]/g, '\\\\$&');
}

interface VariableLike {
  multi?: boolean;
  includeAll?: boolean;
}

/**
 * Formats a dashboard variable's value for PromQL like Grafana's Prometheus data source:
 * a single-value variable is inserted as is (escaped for a string); a multi-value or
 * "All" variable becomes a regex alternation, for service=~"$service".
 */
export function formatPromVariable(value: string | string[], variable?: VariableLike): string {
  if (!variable?.multi && !variable?.includeAll) {
    return promRegularEscape(Array.isArray(value) ? value.join(',') : value);
  }
  if (typeof value === 'string') {
    return promRegexEscape(value);
  }
  const escaped = value.map(promRegexEscape);
  return escaped.length === 1 ? escaped[0] : '(' + escaped.join('|') + ')';
}

/** Replaces dashboard variables in the expression, leaving the backend's own variables. */
export function interpolatePrometheus(
  opts: PrometheusQueryOptions,
  templates: TemplateReplacer,
  scopedVars: ScopedVars = {}
): PrometheusQueryOptions {
  if (!opts.expr) {
    return opts;
  }
  const vars: ScopedVars = { ...scopedVars };
  for (const name of BACKEND_VARIABLES) {
    vars[name] = { text: '$' + name, value: '$' + name };
  }
  const expr = templates.replace(opts.expr, vars, formatPromVariable as unknown as Function);
  const legendFormat = opts.legendFormat ? templates.replace(opts.legendFormat, scopedVars) : opts.legendFormat;
  return expr === opts.expr && legendFormat === opts.legendFormat ? opts : { ...opts, expr, legendFormat };
}

/** A step such as 30s, 1m, 1h30m, 1d: what the backend accepts (empty is "not set"). */
export function stepError(step: string): string | undefined {
  const s = step.trim();
  if (s === '' || /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) {
    return undefined;
  }
  return `"${s}" is not a duration: use forms such as 15s, 1m, 5m, 1h`;
}

/** The label names a legend format uses, e.g. ["service"] for "{{service}} p95". */
export function legendLabels(legend: string): string[] {
  return [...legend.matchAll(/\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]);
}

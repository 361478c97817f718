import type { ScopedVars } from '@grafana/data';

import { formatPromVariable, legendLabels, promRegexEscape, stepError } from './prometheus';
import { interpolateQuery, type TemplateReplacer } from './templating';
import type { KaizenQuery } from './types';

interface Var {
  value: string | string[];
  multi?: boolean;
}

/** Like Grafana's TemplateSrv: scoped variables first, then the dashboard's, formatted with (value, variable). */
function fakeTemplates(vars: Record<string, Var>): TemplateReplacer {
  return {
    replace(target = '', scoped?: ScopedVars, format?: string | Function) {
      return target.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
        if (scoped?.[name]) {
          return String(scoped[name]!.value);
        }
        const v = vars[name];
        if (v === undefined) {
          return whole;
        }
        return typeof format === 'function' ? format(v.value, { multi: v.multi }) : String(v.value);
      });
    },
  };
}

const templates = fakeTemplates({
  service: { value: ['api', 'web.v2'], multi: true },
  env: { value: 'prod' },
  one: { value: ['a+b'], multi: true },
});

describe('PromQL template variables', () => {
  it('turns a multi-value variable into an escaped regex alternation and keeps the backend variables', () => {
    const q: KaizenQuery = {
      refId: 'A',
      queryType: 'prometheus',
      prometheus: {
        expr: 'rate(x{service=~"$service",env="$env"}[$__rate_interval]) / $__interval_ms + ${__range}',
        legendFormat: '{{service}} $env',
      },
    };
    const out = interpolateQuery(q, templates, { __interval: { text: '1m', value: '1m' } });
    expect(out.prometheus).toEqual({
      expr: 'rate(x{service=~"(api|web\\\\.v2)",env="prod"}[$__rate_interval]) / $__interval_ms + $__range',
      legendFormat: '{{service}} prod',
    });
    expect(q.prometheus!.expr).toContain('$service'); // the saved query is not changed
  });

  it('reaches a prometheus source nested in an spc query', () => {
    const q: KaizenQuery = {
      refId: 'A',
      queryType: 'spc',
      spc: { source: { queryType: 'prometheus', prometheus: { expr: 'up{env="$env"}' } } },
    };
    expect(interpolateQuery(q, templates).spc!.source!.prometheus!.expr).toBe('up{env="prod"}');
  });

  it('leaves a query without variables as it was', () => {
    const q: KaizenQuery = { refId: 'A', queryType: 'prometheus', prometheus: { expr: 'up' } };
    expect(interpolateQuery(q, templates)).toBe(q);
  });
});

describe('formatPromVariable', () => {
  it.each([
    // single value: escaped for a string literal
    [["o'neil"], { multi: false }, "o\\\\'neil"],
    ['a\\b', undefined, 'a\\\\b'],
    // multi-value: regex-escaped; one value stays bare, several are an alternation
    [['a+b'], { multi: true }, 'a\\\\+b'],
    [['x', 'y.z'], { multi: true }, '(x|y\\\\.z)'],
    ['(all)', { includeAll: true }, '\\\\(all\\\\)'],
  ])('%j %j → %s', (value, variable, want) => {
    expect(formatPromVariable(value as string | string[], variable)).toBe(want);
  });

  it('escapes every regex metacharacter', () => {
    expect(promRegexEscape('$^*{}[]+?.()|')).toBe('\\\\$\\\\^\\\\*\\\\{\\\\}\\\\[\\\\]\\\\+\\\\?\\\\.\\\\(\\\\)\\\\|');
  });
});

describe('editor checks', () => {
  it.each([
    ['', undefined],
    ['15s', undefined],
    ['1h30m', undefined],
    ['250ms', undefined],
    ['1.5m', undefined],
    ['15', '"15" is not a duration: use forms such as 15s, 1m, 5m, 1h'],
    ['-1m', '"-1m" is not a duration: use forms such as 15s, 1m, 5m, 1h'],
  ])('step %j', (step, want) => {
    expect(stepError(step)).toBe(want);
  });

  it('lists the labels a legend uses', () => {
    expect(legendLabels('{{service}} / {{ env }} p95')).toEqual(['service', 'env']);
    expect(legendLabels('p95')).toEqual([]);
  });
});

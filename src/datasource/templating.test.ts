import { interpolateQuery, type TemplateReplacer } from './templating';
import type { KaizenQuery } from './types';

/** A replacer with the variables a dashboard might have, formatting like Grafana's TemplateSrv. */
function fakeTemplates(vars: Record<string, string | string[]>): TemplateReplacer {
  return {
    replace(target = '', _scoped, format) {
      return target.replace(/\$(\w+)/g, (whole, name: string) => {
        const v = vars[name];
        if (v === undefined) {
          return whole;
        }
        return typeof format === 'function' ? format(v) : Array.isArray(v) ? v.join(',') : v;
      });
    },
  };
}

const base: KaizenQuery = { refId: 'A', queryType: 'incidents', metric: 'mttr' };

describe('interpolateQuery', () => {
  it('expands a multi-value variable into several filter values', () => {
    const q = interpolateQuery(
      { ...base, filters: { service: ['$service'] } },
      fakeTemplates({ service: ['api', 'web'] })
    );
    expect(q.filters).toEqual({ service: ['api', 'web'] });
  });

  it("passes All as the dashboards' allValue `*`, which the backend reads as no filter", () => {
    // Grafana sends a custom allValue as is, without the format function.
    const allValue: TemplateReplacer = { replace: (target = '') => target.replace('$service', '*') };
    const q = interpolateQuery({ ...base, filters: { service: ['$service'], team: ['core'] } }, allValue);
    expect(q.filters).toEqual({ service: ['*'], team: ['core'] });
  });

  it('keeps quotes and commas inside values', () => {
    const q = interpolateQuery(
      { ...base, filters: { team: ['$team'] } },
      fakeTemplates({ team: ['o\'neil, "core"', 'edge'] })
    );
    expect(q.filters).toEqual({ team: ['o\'neil, "core"', 'edge'] });
  });

  it('mixes literal values and variables and drops duplicates and empties', () => {
    const q = interpolateQuery(
      { ...base, filters: { service: ['api', '$service', '$empty'] } },
      fakeTemplates({ service: ['api', 'db'], empty: '' })
    );
    expect(q.filters).toEqual({ service: ['api', 'db'] });
  });

  it('expands variables in a nested source query (spc over MTTR per service)', () => {
    const q = interpolateQuery(
      {
        ...base,
        queryType: 'spc',
        spc: { chart: 'xmr', source: { refId: 'src', queryType: 'incidents', filters: { service: ['$service'] } } },
      } as KaizenQuery,
      fakeTemplates({ service: ['api', 'web'] })
    );
    expect((q as unknown as { spc: { source: { filters: Record<string, string[]> } } }).spc.source.filters).toEqual({
      service: ['api', 'web'],
    });
  });

  it('leaves a query without filters untouched', () => {
    const q = { ...base };
    expect(interpolateQuery(q, fakeTemplates({}))).toBe(q);
  });
});

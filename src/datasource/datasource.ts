import { type DataSourceInstanceSettings, type MetricFindValue, type ScopedVars, type CoreApp } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { annotationSupport } from './annotations';
import { interpolateQuery } from './templating';
import { DEFAULT_QUERY, type KaizenOptions, type KaizenQuery } from './types';

export class DataSource extends DataSourceWithBackend<KaizenQuery, KaizenOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<KaizenOptions>) {
    super(instanceSettings);
    this.annotations = annotationSupport;
  }

  getDefaultQuery(_: CoreApp): Partial<KaizenQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: KaizenQuery, scopedVars: ScopedVars): KaizenQuery {
    return interpolateQuery(query, getTemplateSrv(), scopedVars);
  }

  filterQuery(query: KaizenQuery): boolean {
    return !query.hide && Boolean(query.queryType);
  }

  /**
   * Distinct values of a dimension, for editor pickers and variables. With a query
   * type, the values come from that family's events (environments of deployments,
   * value streams of work items); without one, from incidents.
   */
  async dimensionValues(dimension: string, queryType?: string): Promise<string[]> {
    return this.getResource<string[]>(valuesPath({ queryType, dimension }));
  }

  /**
   * Dashboard variables: the query names a dimension ("service", "team",
   * "severity"...), optionally written values(service), or with the family whose
   * values to list: values(delivery, environment), values(flow, value_stream),
   * values(model, model). values(kpi) and values(slo) list KPI and SLO ids.
   */
  async metricFindQuery(query: string): Promise<MetricFindValue[]> {
    const v = parseVariableQuery(getTemplateSrv().replace(query));
    const values = await this.dimensionValues(v.dimension, v.queryType);
    return values.map((text) => ({ text, value: text }));
  }
}

export interface VariableQuery {
  queryType?: string;
  dimension: string;
}

export function parseVariableQuery(query: string): VariableQuery {
  const trimmed = query.trim();
  const two = /^values\(\s*([a-z_]+)\s*,\s*([a-z_.]+)\s*\)$/.exec(trimmed);
  if (two) {
    return { queryType: two[1], dimension: two[2] };
  }
  const one = /^values\(\s*([a-z_]+)\s*\)$/.exec(trimmed);
  return { dimension: one ? one[1] : trimmed };
}

export function valuesPath({ queryType, dimension }: VariableQuery): string {
  const dim = encodeURIComponent(dimension);
  return queryType ? `values/${encodeURIComponent(queryType)}/${dim}` : `values/${dim}`;
}

import {
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type CoreApp,
} from '@grafana/data';
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

  /** Distinct values of a dimension, for editor pickers. */
  async dimensionValues(dimension: string): Promise<string[]> {
    return this.getResource<string[]>(`values/${encodeURIComponent(dimension)}`);
  }

  /**
   * Dashboard variables: the query is a dimension name ("service", "team",
   * "severity"...), optionally written values(service).
   */
  async metricFindQuery(query: string): Promise<MetricFindValue[]> {
    const dimension = parseVariableQuery(getTemplateSrv().replace(query));
    const values = await this.dimensionValues(dimension);
    return values.map((text) => ({ text, value: text }));
  }
}

export function parseVariableQuery(query: string): string {
  const trimmed = query.trim();
  const m = /^values\(\s*([a-z_]+)\s*\)$/.exec(trimmed);
  return m ? m[1] : trimmed;
}

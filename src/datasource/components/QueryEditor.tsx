import React, { useEffect, useMemo, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import {
  Combobox,
  type ComboboxOption,
  InlineField,
  InlineFieldRow,
  MultiCombobox,
  RadioButtonGroup,
} from '@grafana/ui';

import type { DataSource } from '../datasource';
import { FAMILY_DIMENSIONS, FAMILY_METRICS } from '../metrics';
import {
  DEFAULT_QUERY,
  QUERY_TYPES,
  STATS,
  type Format,
  type KaizenOptions,
  type KaizenQuery,
  type QueryType,
  type Stat,
} from '../types';
import { FAMILY_EDITORS } from './families';

type Props = QueryEditorProps<DataSource, KaizenQuery, KaizenOptions>;

const BUCKETS = ['auto', 'none', '5m', '15m', '1h', '6h', '1d', '1w'];
const LABEL_WIDTH = 14;

export function QueryEditor({ query, datasource, onChange, onRunQuery }: Props) {
  const q: KaizenQuery = { ...DEFAULT_QUERY, ...query };
  const type: QueryType = q.queryType ?? 'incidents';
  const metrics = FAMILY_METRICS[type];
  const metric = metrics.find((m) => m.value === q.metric) ?? metrics[0];
  const dimensions = FAMILY_DIMENSIONS[type];

  const update = (patch: Partial<KaizenQuery>) => {
    onChange({ ...q, ...patch });
    onRunQuery();
  };

  const FamilyEditor = FAMILY_EDITORS[type];

  return (
    <div data-testid="kaizen-query-editor">
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={LABEL_WIDTH}>
          <Combobox<QueryType>
            id="kaizen-query-type"
            width={20}
            options={QUERY_TYPES}
            value={type}
            onChange={(v) => update({ queryType: v.value, metric: FAMILY_METRICS[v.value][0].value })}
          />
        </InlineField>
        <InlineField label="Metric" labelWidth={LABEL_WIDTH} tooltip={metric.description}>
          <Combobox<string>
            id="kaizen-metric"
            width={24}
            options={metrics.map((m) => ({ value: m.value, label: m.label, description: m.description }))}
            value={metric.value}
            onChange={(v) => update({ metric: v.value })}
          />
        </InlineField>
        {metric.hasStat && (
          <InlineField label="Stat" labelWidth={8}>
            <Combobox<Stat>
              id="kaizen-stat"
              width={14}
              options={STATS.map((s) => ({ value: s, label: s }))}
              value={q.stat}
              onChange={(v) => update({ stat: v.value })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Bucket"
          labelWidth={LABEL_WIDTH}
          tooltip="auto follows the panel interval; none gives one value for the range"
        >
          <Combobox<string>
            id="kaizen-bucket"
            width={20}
            createCustomValue
            options={BUCKETS.map((b) => ({ value: b, label: b }))}
            value={q.bucket}
            onChange={(v) => update({ bucket: v.value })}
          />
        </InlineField>
        <InlineField label="Group by" labelWidth={LABEL_WIDTH}>
          <MultiCombobox<string>
            id="kaizen-group-by"
            width={40}
            options={dimensions.map((d) => ({ value: d, label: d }))}
            value={q.groupBy ?? []}
            onChange={(v: Array<ComboboxOption<string>>) => update({ groupBy: v.map((x) => x.value) })}
          />
        </InlineField>
        <InlineField label="Format" labelWidth={8}>
          <RadioButtonGroup<Format>
            options={[
              { value: 'timeseries', label: 'Time series' },
              { value: 'table', label: 'Table' },
            ]}
            value={q.format}
            onChange={(v) => update({ format: v })}
          />
        </InlineField>
      </InlineFieldRow>
      <FilterRow
        datasource={datasource}
        queryType={type}
        dimensions={dimensions}
        filters={q.filters ?? {}}
        onChange={(filters) => update({ filters })}
      />
      <FamilyEditor query={q} onChange={update} />
    </div>
  );
}

interface FilterRowProps {
  datasource: DataSource;
  queryType: QueryType;
  dimensions: string[];
  filters: Record<string, string[]>;
  onChange: (filters: Record<string, string[]>) => void;
}

/** One picker per dimension; values come from the store, and $variables may be typed in. */
function FilterRow({ datasource, queryType, dimensions, filters, onChange }: FilterRowProps) {
  const [options, setOptions] = useState<Record<string, string[]>>({});
  const key = useMemo(() => dimensions.join(','), [dimensions]);

  useEffect(() => {
    let cancelled = false;
    Promise.all(dimensions.map((d) => datasource.dimensionValues(d, queryType).catch(() => [] as string[]))).then(
      (lists) => {
        if (!cancelled) {
          setOptions(Object.fromEntries(dimensions.map((d, i) => [d, lists[i]])));
        }
      }
    );
    return () => {
      cancelled = true;
    };
    // Reload when the family's dimensions change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasource, queryType, key]);

  return (
    <InlineFieldRow>
      {dimensions.map((d) => (
        <InlineField key={d} label={d} labelWidth={LABEL_WIDTH}>
          <MultiCombobox<string>
            id={`kaizen-filter-${d}`}
            width={26}
            createCustomValue
            placeholder="any"
            options={[...new Set([...(options[d] ?? []), ...(filters[d] ?? [])])].map((v) => ({ value: v, label: v }))}
            value={filters[d] ?? []}
            onChange={(v: Array<ComboboxOption<string>>) => {
              const next = { ...filters, [d]: v.map((x) => x.value) };
              if (next[d].length === 0) {
                delete next[d];
              }
              onChange(next);
            }}
          />
        </InlineField>
      ))}
    </InlineFieldRow>
  );
}

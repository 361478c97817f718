import React, { useEffect, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField, InlineFieldRow, MultiCombobox, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import type { KaizenOptions, KaizenQuery } from '../types';
import type { FamilyEditorProps } from './families';

type Props = QueryEditorProps<DataSource, KaizenQuery, KaizenOptions>;

/** What an annotation query shows (its metric); mirrors pkg/metrics/annotations. */
export const ANNOTATION_SOURCES: Array<{ value: string; label: string; description: string }> = [
  { value: 'all', label: 'Incidents and deployments', description: 'Both, in time order' },
  { value: 'incidents', label: 'Incidents', description: 'Regions from start to resolution (open ones to now)' },
  { value: 'deployments', label: 'Deployments', description: 'Points at each deployment, with its outcome' },
  { value: 'kaizen', label: 'Kaizen events', description: 'Each kaizen event deployed, and its review dates (status filter applies)' },
];

/** The filters annotation queries take (pkg/metrics/annotations). */
export const ANNOTATION_DIMENSIONS = ['service', 'team', 'severity', 'environment', 'status'];

/** Fills what a new or older annotation query lacks, and pins the query type. */
export function withAnnotationDefaults(target: Partial<KaizenQuery> | undefined): KaizenQuery {
  return {
    refId: 'Anno',
    ...target,
    queryType: 'annotations',
    metric: target?.metric && ANNOTATION_SOURCES.some((s) => s.value === target.metric) ? target.metric : 'all',
  };
}

/** The dashboard annotation editor: which events to show and filters on them. */
export function AnnotationsQueryEditor({ query, datasource, onChange, onRunQuery }: Props) {
  const q = withAnnotationDefaults(query);
  const [values, setValues] = useState<Record<string, string[]>>({});
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      ANNOTATION_DIMENSIONS.map((d) =>
        datasource.getResource<string[]>(`values/annotations/${encodeURIComponent(d)}`).catch(() => [] as string[])
      )
    ).then((lists) => {
      if (!cancelled) {
        setValues(Object.fromEntries(ANNOTATION_DIMENSIONS.map((d, i) => [d, lists[i]])));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [datasource]);

  const update = (patch: Partial<KaizenQuery>) => {
    onChange({ ...q, ...patch });
    onRunQuery();
  };
  const filters = q.filters ?? {};
  return (
    <div data-testid="kaizen-annotations-editor">
      <InlineFieldRow>
        <InlineField
          label="Show"
          labelWidth={14}
          tooltip="Incidents are regions from start to resolution; deployments are points"
        >
          <Combobox
            id="kaizen-annotations-show"
            width={32}
            options={ANNOTATION_SOURCES}
            value={q.metric ?? 'all'}
            onChange={(v) => update({ metric: v.value })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        {ANNOTATION_DIMENSIONS.map((d) => (
          <InlineField key={d} label={d} labelWidth={14}>
            <MultiCombobox<string>
              id={`kaizen-annotations-${d}`}
              width={26}
              createCustomValue
              placeholder="any"
              options={[...new Set([...(values[d] ?? []), ...(filters[d] ?? [])])].map((v) => ({ value: v, label: v }))}
              value={filters[d] ?? []}
              onChange={(v: Array<ComboboxOption<string>>) => {
                const next = { ...filters, [d]: v.map((x) => x.value) };
                if (next[d].length === 0) {
                  delete next[d];
                }
                update({ filters: next });
              }}
            />
          </InlineField>
        ))}
      </InlineFieldRow>
      <Text color="secondary" variant="bodySmall">
        A filter narrows the events that have it: severity applies to incidents, environment to deployments; status is
        open or resolved for incidents and success, failed or rolled_back for deployments.
      </Text>
    </div>
  );
}

/** In a panel's query editor the annotations type returns the annotation frame as a table. */
export function AnnotationsFamilyEditor(_: FamilyEditorProps) {
  return (
    <Text color="secondary" variant="bodySmall">
      Incidents and deployments as rows of time, timeEnd, title, text and tags; use it as a dashboard annotation
      (Dashboard settings → Annotations). Bucket and group by do not apply.
    </Text>
  );
}

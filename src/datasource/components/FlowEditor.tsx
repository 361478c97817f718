import React, { useEffect, useState } from 'react';
import type { DataSourceRef } from '@grafana/schema';
import { DataSourceWithBackend, getDataSourceSrv } from '@grafana/runtime';
import {
  type ComboboxOption,
  Combobox,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Text,
} from '@grafana/ui';

import type { FlowQueryOptions, Stat } from '../types';
import type { FamilyEditorProps } from './families';

/** A value stream definition as GET flow/streams lists it. */
interface StreamListItem {
  name: string;
  description: string;
  stages: Array<{ name: string; kind: string; wip_limit: number | null }>;
}

/** Loads the value streams of the query's data source, for the picker. */
export async function loadStreamOptions(ref: DataSourceRef | null | undefined): Promise<Array<ComboboxOption<string>>> {
  const ds = await getDataSourceSrv().get(ref ?? undefined);
  const list = await (ds as DataSourceWithBackend).getResource<StreamListItem[]>('flow/streams');
  return list.map((s) => ({
    value: s.name,
    label: s.name,
    description: s.stages.map((st) => st.name).join(' → '),
  }));
}

/** Per-item and per-stage durations: the stat applies, and p85 (a service level expectation) too. */
const DURATIONS = new Set(['lead_time', 'cycle_time', 'process_time', 'wait_time', 'stage_time']);
const TABLES = new Set(['items', 'aging']);

/** Flow options: the value stream, stage time part, cumulative flow, p85, and row limits. */
export function FlowEditor({ query, onChange }: FamilyEditorProps) {
  const opts: FlowQueryOptions = query.flow ?? {};
  const set = (patch: Partial<FlowQueryOptions>) => onChange({ flow: { ...opts, ...patch } });
  const metric = query.metric ?? 'lead_time';
  const [streams, setStreams] = useState<Array<ComboboxOption<string>>>([]);
  const [loadError, setLoadError] = useState<string | undefined>();
  const dsKey = query.datasource?.uid ?? '';

  useEffect(() => {
    let cancelled = false;
    loadStreamOptions(query.datasource).then(
      (o) => !cancelled && setStreams(o),
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e))
    );
    return () => {
      cancelled = true;
    };
    // Reload when the data source changes, not on every edit of the query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dsKey]);

  const chosen = query.filters?.value_stream ?? [];
  const setStream = (name: string | undefined) => {
    const filters = { ...(query.filters ?? {}) };
    if (name) {
      filters.value_stream = [name];
    } else {
      delete filters.value_stream;
    }
    onChange({ filters });
  };
  // A stream typed in, a $variable or one no longer defined stays visible.
  const options = [
    ...streams,
    ...chosen.filter((v) => !streams.some((s) => s.value === v)).map((v) => ({ value: v, label: v })),
  ];
  const p85 = (query.stat as string | undefined) === 'p85';

  return (
    <InlineFieldRow>
      <InlineField
        label="Value stream"
        labelWidth={14}
        tooltip="Same as the value_stream filter; the value stream map needs exactly one"
        invalid={Boolean(loadError) || (metric === 'value_stream' && chosen.length > 1)}
        error={loadError ? `Could not list value streams: ${loadError}` : 'The value stream map draws one stream'}
      >
        <Combobox<string>
          id="kaizen-flow-stream"
          width={28}
          isClearable
          createCustomValue
          placeholder={metric === 'value_stream' ? 'the only one there is' : 'every stream'}
          options={options}
          value={chosen[0] ?? null}
          onChange={(v) => setStream(v?.value)}
        />
      </InlineField>
      {DURATIONS.has(metric) && (
        <InlineField
          label="p85"
          labelWidth={6}
          tooltip="85th percentile: the usual service level expectation (overrides Stat)"
        >
          <InlineSwitch
            id="kaizen-flow-p85"
            value={p85}
            onChange={(e) => onChange({ stat: (e.currentTarget.checked ? 'p85' : 'median') as Stat })}
          />
        </InlineField>
      )}
      {metric === 'stage_time' && (
        <InlineField label="Part" labelWidth={8} tooltip="process: active stays; wait: queues and blocked stays">
          <RadioButtonGroup<NonNullable<FlowQueryOptions['part']>>
            options={[
              { value: 'total', label: 'total' },
              { value: 'process', label: 'process' },
              { value: 'wait', label: 'wait' },
            ]}
            value={opts.part ?? 'total'}
            onChange={(v) => set({ part: v === 'total' ? undefined : v })}
          />
        </InlineField>
      )}
      {(metric === 'arrivals' || metric === 'departures') && (
        <InlineField
          label="Cumulative"
          labelWidth={14}
          tooltip="Running totals over the range (arrivals start at the WIP before it): a cumulative flow diagram; stack arrivals per stage"
        >
          <InlineSwitch
            id="kaizen-flow-cumulative"
            value={Boolean(opts.cumulative)}
            onChange={(e) => set({ cumulative: e.currentTarget.checked || undefined })}
          />
        </InlineField>
      )}
      {TABLES.has(metric) && (
        <InlineField
          label="Max rows"
          labelWidth={10}
          tooltip="Default 10000, at most 100000; a notice says when rows were left out"
        >
          <Input
            id="kaizen-flow-max-items"
            type="number"
            width={12}
            min={1}
            max={100000}
            placeholder="10000"
            defaultValue={opts.maxItems ?? ''}
            onBlur={(e) => {
              const n = Number(e.currentTarget.value);
              set({ maxItems: Number.isInteger(n) && n > 0 ? n : undefined });
            }}
          />
        </InlineField>
      )}
      {metric === 'value_stream' && (
        <Text color="secondary" variant="bodySmall">
          For the Value stream panel; add a query with metric items for its cycle-time scatter.
        </Text>
      )}
    </InlineFieldRow>
  );
}

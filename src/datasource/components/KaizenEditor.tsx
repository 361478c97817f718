// Options of the kaizen query type: which events, the analysis windows and statistics
// (impact, sustainability, reviews, phases, annotations), and the number an alert rule
// reads per event. Mirrors pkg/models.KaizenOptions.
import React, { useEffect, useState } from 'react';
import type { DataSourceRef } from '@grafana/schema';
import { DataSourceWithBackend, getDataSourceSrv } from '@grafana/runtime';
import {
  Combobox,
  type ComboboxOption,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  MultiCombobox,
  Text,
} from '@grafana/ui';

import type { KaizenQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

/** The fields of an event the picker shows (GET kaizen/events). */
interface EventListItem {
  id: string;
  name: string;
  owner: string;
  status: string;
  archived_at: string | null;
}

/** Loads the kaizen events of the query's data source (archived ones too), for the picker. */
export async function loadEventOptions(ref: DataSourceRef | null | undefined): Promise<Array<ComboboxOption<string>>> {
  const ds = await getDataSourceSrv().get(ref ?? undefined);
  const list = await (ds as DataSourceWithBackend).getResource<EventListItem[]>('kaizen/events', { archived: '1' });
  return list.map((e) => ({
    value: e.id,
    label: e.name === e.id ? e.id : `${e.name} (${e.id})`,
    description: [e.owner && `owner ${e.owner}`, e.status, e.archived_at && 'archived'].filter(Boolean).join(' · '),
  }));
}

type Value = NonNullable<KaizenQueryOptions['value']>;

/** The numbers the time series format can return per event, by metric (the first is the default). */
export const VALUES: Record<string, Array<ComboboxOption<Value>>> = {
  impact: [
    {
      value: 'verdict_code',
      label: 'Verdict code',
      description: '1 improved, 0 no evidence, −1 worsened, null without a verdict',
    },
    { value: 'p_value', label: 'p-value', description: 'Two-sided Mann-Whitney U' },
    { value: 'change', label: 'Change', description: "Median after − median before, in the target's unit" },
    { value: 'relative_change', label: 'Relative change', description: 'Change ÷ |median before|' },
  ],
  sustainability: [
    { value: 'lost', label: 'Lost', description: '1 when the gain is lost at the latest review, else 0' },
    { value: 'state_code', label: 'State code', description: '2 sustained, 1 eroding, 0 lost, null pending' },
  ],
};

/** Metrics that analyse events, and so take windows and statistics. */
const ANALYSED = ['impact', 'sustainability', 'reviews', 'phases', 'annotations'];

const LABEL_WIDTH = 14;

/** A number typed into an input, or undefined when empty or not a number. */
function parseNumber(text: string): number | undefined {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) ? undefined : n;
}

export function KaizenEditor({ query, onChange }: FamilyEditorProps) {
  const opts: KaizenQueryOptions = query.kaizen ?? {};
  const set = (patch: Partial<KaizenQueryOptions>) => {
    const next: KaizenQueryOptions = { ...opts, ...patch };
    for (const k of Object.keys(next) as Array<keyof KaizenQueryOptions>) {
      if (next[k] === undefined) {
        delete next[k];
      }
    }
    onChange({ kaizen: next });
  };
  const [options, setOptions] = useState<Array<ComboboxOption<string>>>([]);
  const [loadError, setLoadError] = useState<string | undefined>();
  const dsKey = query.datasource?.uid ?? '';
  useEffect(() => {
    let cancelled = false;
    loadEventOptions(query.datasource).then(
      (o) => !cancelled && setOptions(o),
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e))
    );
    return () => {
      cancelled = true;
    };
    // Reload when the data source changes, not on every edit of the query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dsKey]);

  const metric = query.metric ?? 'impact';
  const chosen = opts.events ?? [];
  // Events typed in or since deleted stay visible, so the query shows what it asks for.
  const all = [
    ...options,
    ...chosen.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: id })),
  ];
  const values = VALUES[metric];
  const analysed = ANALYSED.includes(metric);
  const text = (key: 'baseline' | 'after' | 'settling', label: string, tooltip: string) => (
    <InlineField label={label} labelWidth={10} tooltip={tooltip}>
      <Input
        id={`kaizen-kaizen-${key}`}
        width={10}
        placeholder="event's"
        defaultValue={opts[key] ?? ''}
        onBlur={(e) => set({ [key]: e.currentTarget.value.trim() || undefined })}
      />
    </InlineField>
  );

  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Events"
          labelWidth={LABEL_WIDTH}
          tooltip="Empty: every event the filters keep (archived ones only when included). A named event is read even when archived."
          invalid={Boolean(loadError)}
          error={loadError && `Could not list kaizen events: ${loadError}`}
        >
          <MultiCombobox<string>
            id="kaizen-kaizen-events"
            width={48}
            createCustomValue
            placeholder="every event"
            options={all}
            value={chosen}
            onChange={(v: Array<ComboboxOption<string>>) =>
              set({ events: v.length ? v.map((x) => x.value) : undefined })
            }
          />
        </InlineField>
        <InlineField label="Include archived" labelWidth={18}>
          <InlineSwitch
            id="kaizen-kaizen-archived"
            value={opts.includeArchived ?? false}
            onChange={(e) => set({ includeArchived: e.currentTarget.checked || undefined })}
          />
        </InlineField>
        {values && query.format !== 'table' && (
          <InlineField
            label="Number"
            labelWidth={10}
            tooltip="What the time series format returns per event, labelled by event and owner: what an alert rule thresholds"
          >
            <Combobox<Value>
              id="kaizen-kaizen-value"
              width={22}
              options={values}
              value={opts.value ?? values[0].value}
              onChange={(v) => set({ value: v.value === values[0].value ? undefined : v.value })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {analysed && (
        <InlineFieldRow>
          {text('baseline', 'Baseline', "Window before deployed_at, e.g. 30d; empty: each event's own")}
          {text('after', 'After', 'Window after the settling period, e.g. 30d; reviews use the same length')}
          {text('settling', 'Settling', 'Period right after the deployment left out of the comparison, e.g. 7d or 0')}
          <InlineField label="Alpha" labelWidth={8} tooltip="Significance level of the Mann-Whitney U test">
            <Input
              id="kaizen-kaizen-alpha"
              width={8}
              type="number"
              placeholder="0.05"
              defaultValue={opts.alpha ?? ''}
              onBlur={(e) => set({ alpha: parseNumber(e.currentTarget.value) })}
            />
          </InlineField>
          <InlineField
            label="Min points"
            labelWidth={12}
            tooltip="Fewest points per window for a verdict; fewer gives insufficient-data, saying how many are missing"
          >
            <Input
              id="kaizen-kaizen-min-n"
              width={8}
              type="number"
              placeholder="8"
              defaultValue={opts.minN ?? ''}
              onBlur={(e) => set({ minN: parseNumber(e.currentTarget.value) })}
            />
          </InlineField>
          <InlineField label="Seed" labelWidth={8} tooltip="Bootstrap seed: the same seed gives the same interval">
            <Input
              id="kaizen-kaizen-seed"
              width={8}
              type="number"
              placeholder="0"
              defaultValue={opts.seed ?? ''}
              onBlur={(e) => set({ seed: parseNumber(e.currentTarget.value) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {metric === 'phases' && (
        <Text color="secondary" variant="bodySmall">
          Add this query to a control chart panel beside its series: the chart starts a new phase, with its own limits
          and the event&apos;s verdict, at each event deployed in the range.
        </Text>
      )}
    </>
  );
}

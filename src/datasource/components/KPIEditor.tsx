import React, { useEffect, useState } from 'react';
import type { DataSourceRef } from '@grafana/schema';
import { DataSourceWithBackend, getDataSourceSrv } from '@grafana/runtime';
import { type ComboboxOption, InlineField, InlineFieldRow, InlineSwitch, Input, MultiCombobox } from '@grafana/ui';

import type { KPIQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

/** The fields of a KPI definition the picker shows (GET kpis). */
interface KPIListItem {
  id: string;
  name: string;
  owner: string;
  status: 'active' | 'retired';
}

/** Loads the KPI definitions of the query's data source, for the picker. */
export async function loadKPIOptions(ref: DataSourceRef | null | undefined): Promise<Array<ComboboxOption<string>>> {
  const ds = await getDataSourceSrv().get(ref ?? undefined);
  const list = await (ds as DataSourceWithBackend).getResource<KPIListItem[]>('kpis');
  return list.map((d) => ({
    value: d.id,
    label: d.name === d.id ? d.id : `${d.name} (${d.id})`,
    description:
      [d.owner && `owner ${d.owner}`, d.status === 'retired' && 'retired'].filter(Boolean).join(' · ') || undefined,
  }));
}

/** KPI options: which KPIs (empty: every active one), retired ones too, and the stale audit's threshold. */
export function KPIEditor({ query, onChange }: FamilyEditorProps) {
  const opts: KPIQueryOptions = query.kpi ?? {};
  const set = (patch: Partial<KPIQueryOptions>) => onChange({ kpi: { ...opts, ...patch } });
  const [options, setOptions] = useState<Array<ComboboxOption<string>>>([]);
  const [loadError, setLoadError] = useState<string | undefined>();
  const dsKey = query.datasource?.uid ?? '';

  useEffect(() => {
    let cancelled = false;
    loadKPIOptions(query.datasource).then(
      (o) => !cancelled && setOptions(o),
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e))
    );
    return () => {
      cancelled = true;
    };
    // Reload when the data source changes, not on every edit of the query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dsKey]);

  const chosen = opts.kpis ?? [];
  // KPIs typed in or no longer defined stay visible, so the query shows what it asks for.
  const all = [
    ...options,
    ...chosen.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: id })),
  ];

  return (
    <InlineFieldRow>
      <InlineField
        label="KPIs"
        labelWidth={14}
        tooltip="Empty: every active KPI. A KPI named here is read even when retired."
        invalid={Boolean(loadError)}
        error={loadError && `Could not list KPIs: ${loadError}`}
      >
        <MultiCombobox<string>
          id="kaizen-kpi-kpis"
          width={48}
          createCustomValue
          placeholder="every active KPI"
          options={all}
          value={chosen}
          onChange={(v: Array<ComboboxOption<string>>) => set({ kpis: v.length ? v.map((x) => x.value) : undefined })}
        />
      </InlineField>
      <InlineField label="Include retired" labelWidth={16} tooltip="When no KPI is named: add retired KPIs too">
        <InlineSwitch
          id="kaizen-kpi-include-retired"
          value={opts.includeRetired ?? false}
          onChange={(e) => set({ includeRetired: e.currentTarget.checked || undefined })}
        />
      </InlineField>
      {query.metric === 'stale' && (
        <InlineField
          label="Stale after (days)"
          labelWidth={20}
          tooltip="A KPI with no sample for this many days is stale"
        >
          <Input
            id="kaizen-kpi-stale-days"
            width={10}
            type="number"
            min={0}
            placeholder="30"
            defaultValue={opts.staleDays ?? ''}
            onBlur={(e) => {
              const n = Number(e.currentTarget.value);
              set({ staleDays: e.currentTarget.value === '' || !Number.isFinite(n) || n <= 0 ? undefined : n });
            }}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}

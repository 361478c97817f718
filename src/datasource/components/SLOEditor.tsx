import React from 'react';
import { type ComboboxOption, InlineField, InlineFieldRow, InlineSwitch, MultiCombobox } from '@grafana/ui';

import type { SLOQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

/** The SRE workbook's windows: what the multiwindow alert reads (pkg/metrics/slo). */
export const WORKBOOK_WINDOWS = ['5m', '30m', '1h', '6h', '3d'];

const WINDOW_CHOICES = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '7d', '28d', '30d'];

/** Metrics whose answer depends on the burn-rate windows. */
const USES_WINDOWS = new Set(['burn_rate', 'status']);

/**
 * SLO options: burn-rate windows (burn_rate and status) and retired SLOs.
 * Which SLOs a query reads is set with the slo, service and team filters.
 */
export function SLOEditor({ query, onChange }: FamilyEditorProps) {
  const opts: SLOQueryOptions = query.slo ?? {};
  const set = (patch: Partial<SLOQueryOptions>) => onChange({ slo: { ...opts, ...patch } });
  const windows = opts.windows ?? [];
  const choices = [...new Set([...WINDOW_CHOICES, ...windows])].map((w) => ({ value: w, label: w }));

  return (
    <InlineFieldRow>
      {USES_WINDOWS.has(query.metric ?? 'status') && (
        <InlineField
          label="Windows"
          labelWidth={14}
          tooltip="Burn-rate windows (e.g. 1h, 6h, 3d; type your own). Empty: the SRE workbook's 5m, 30m, 1h, 6h and 3d."
        >
          <MultiCombobox<string>
            id="kaizen-slo-windows"
            width={48}
            createCustomValue
            placeholder={WORKBOOK_WINDOWS.join(', ')}
            options={choices}
            value={windows}
            onChange={(v: Array<ComboboxOption<string>>) =>
              set({ windows: v.length ? v.map((x) => x.value.trim()) : undefined })
            }
          />
        </InlineField>
      )}
      <InlineField label="Include retired" labelWidth={16} tooltip="Also evaluate SLOs that have been retired">
        <InlineSwitch
          id="kaizen-slo-include-retired"
          value={opts.includeRetired ?? false}
          onChange={(e) => set({ includeRetired: e.currentTarget.checked || undefined })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}

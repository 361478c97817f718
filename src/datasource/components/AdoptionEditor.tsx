import React, { type ChangeEvent } from 'react';
import { Combobox, InlineField, InlineFieldRow, Input, Text } from '@grafana/ui';

import type { AdoptionQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

const WINDOWS: Array<{ value: NonNullable<AdoptionQueryOptions['window']>; label: string }> = [
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

/** Adoption options: the activity window of rates, and how many weeks a retention table shows. */
export function AdoptionEditor({ query, onChange }: FamilyEditorProps) {
  const opts: AdoptionQueryOptions = query.adoption ?? {};
  const set = (patch: Partial<AdoptionQueryOptions>) => onChange({ adoption: { ...opts, ...patch } });
  const metric = query.metric ?? 'mau';
  if (metric === 'adoption_rate' || metric === 'feature_adoption') {
    return (
      <InlineFieldRow>
        <InlineField
          label="Active within"
          labelWidth={14}
          tooltip="A user counts as active with a use in this window before each point"
        >
          <Combobox
            id="kaizen-adoption-window"
            width={16}
            options={WINDOWS}
            value={opts.window ?? '30d'}
            onChange={(v) => set({ window: v.value })}
          />
        </InlineField>
      </InlineFieldRow>
    );
  }
  if (metric === 'retention') {
    return (
      <InlineFieldRow>
        <InlineField label="Weeks" labelWidth={14} tooltip="Weeks since first use shown as columns (1 to 52)">
          <Input
            id="kaizen-adoption-weeks"
            type="number"
            min={1}
            max={52}
            width={10}
            value={opts.weeks ?? 12}
            onChange={(e: ChangeEvent<HTMLInputElement>) => {
              const n = Math.round(Number(e.currentTarget.value));
              set({ weeks: Number.isFinite(n) && n >= 1 && n <= 52 ? n : undefined });
            }}
          />
        </InlineField>
        <Text color="secondary" variant="bodySmall">
          A table with a row per weekly cohort; bucket and format do not apply.
        </Text>
      </InlineFieldRow>
    );
  }
  return null;
}

import React from 'react';
import { InlineField, InlineFieldRow, InlineSwitch, Text } from '@grafana/ui';

import type { DeliveryQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

/** Metrics that have a DORA performance band (failed_deployments has none). */
const BANDED = new Set(['deployment_frequency', 'deployments', 'lead_time', 'change_failure_rate', 'recovery_time']);

/** DORA options: show the performance band instead of the value, and say which deployments count. */
export function DeliveryEditor({ query, onChange }: FamilyEditorProps) {
  const opts: DeliveryQueryOptions = query.delivery ?? {};
  const metric = query.metric ?? 'deployment_frequency';
  const environmentChosen =
    Boolean(query.filters?.environment?.length) || Boolean(query.groupBy?.includes('environment'));
  return (
    <InlineFieldRow>
      {BANDED.has(metric) && (
        <InlineField
          label="DORA band"
          labelWidth={14}
          tooltip="Show the band (Elite, High, Medium, Low from the DORA 2024 report) instead of the value: 4 elite … 1 low, named and coloured"
        >
          <InlineSwitch
            id="kaizen-delivery-band"
            value={Boolean(opts.band)}
            onChange={(e) => onChange({ delivery: { ...opts, band: e.currentTarget.checked || undefined } })}
          />
        </InlineField>
      )}
      {!environmentChosen && (
        <Text color="secondary" variant="bodySmall">
          Counting production deployments only; filter or group by environment to choose others.
        </Text>
      )}
    </InlineFieldRow>
  );
}

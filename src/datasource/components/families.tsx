import React from 'react';
import { Combobox, InlineField, InlineFieldRow } from '@grafana/ui';

import type { IncidentOptions, KaizenQuery, QueryType } from '../types';
import { AdoptionEditor } from './AdoptionEditor';
import { AnnotationsFamilyEditor } from './AnnotationsEditor';
import { DeliveryEditor } from './DeliveryEditor';
import { AlertsEditor, BacktestEditor, PostmortemsEditor } from './ImprovementEditor';
import { KPIEditor } from './KPIEditor';
import { SPCEditor } from './SPCEditor';
import { KaizenEditor } from './KaizenEditor';
import { ModelEditor } from './ModelEditor';
import { FlowEditor } from './FlowEditor';
import { SLOEditor } from './SLOEditor';
import { PrometheusEditor } from './PrometheusEditor';

export interface FamilyEditorProps {
  query: KaizenQuery;
  onChange: (patch: Partial<KaizenQuery>) => void;
}

function IncidentEditor({ query, onChange }: FamilyEditorProps) {
  const opts: IncidentOptions = query.incident ?? {};
  const set = (patch: Partial<IncidentOptions>) => onChange({ incident: { ...opts, ...patch } });
  return (
    <InlineFieldRow>
      {query.metric === 'mttr' && (
        <>
          <InlineField label="MTTR from" labelWidth={14} tooltip="Start of the restore interval">
            <Combobox
              id="kaizen-incident-start"
              width={16}
              options={[
                { value: 'started', label: 'started' },
                { value: 'detected', label: 'detected' },
              ]}
              value={opts.start ?? 'started'}
              onChange={(v) => set({ start: v.value as IncidentOptions['start'] })}
            />
          </InlineField>
          <InlineField label="to" labelWidth={6}>
            <Combobox
              id="kaizen-incident-end"
              width={16}
              options={[
                { value: 'resolved', label: 'resolved' },
                { value: 'mitigated', label: 'mitigated' },
              ]}
              value={opts.end ?? 'resolved'}
              onChange={(v) => set({ end: v.value as IncidentOptions['end'] })}
            />
          </InlineField>
        </>
      )}
      <InlineField label="Place by" labelWidth={14} tooltip="Which time puts an incident in the range and in a bucket">
        <Combobox
          id="kaizen-incident-time-field"
          width={16}
          options={[
            { value: 'started', label: 'start time' },
            { value: 'resolved', label: 'resolution time' },
          ]}
          value={opts.timeField ?? 'started'}
          onChange={(v) => set({ timeField: v.value as IncidentOptions['timeField'] })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}

/** One editor per query type: the compiler insists every type has one. */
export const FAMILY_EDITORS: Record<QueryType, React.ComponentType<FamilyEditorProps>> = {
  postmortems: PostmortemsEditor,
  alerts: AlertsEditor,
  backtest: BacktestEditor,
  incidents: IncidentEditor,
  delivery: DeliveryEditor,
  adoption: AdoptionEditor,
  annotations: AnnotationsFamilyEditor,
  kpi: KPIEditor,
  spc: SPCEditor,
  kaizen: KaizenEditor,
  flow: FlowEditor,
  slo: SLOEditor,
  model: ModelEditor,
  prometheus: PrometheusEditor,
};

// Options of the model query type: which model and features (the model and feature
// filters), the drift reference and thresholds, the positive class and segment of
// performance and fairness, and the retraining trigger. Mirrors pkg/models.ModelOptions.
import React, { useEffect, useState } from 'react';
import type { DataSourceRef } from '@grafana/schema';
import { DataSourceWithBackend, getDataSourceSrv } from '@grafana/runtime';
import {
  Combobox,
  InlineField,
  InlineFieldRow,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  type ComboboxOption,
} from '@grafana/ui';

import type { ModelQueryOptions, ModelReference } from '../types';
import type { FamilyEditorProps } from './families';

const LABEL_WIDTH = 14;

export type MetricGroup = 'drift' | 'lag' | 'performance' | 'fairness' | 'retrain';

const DRIFT = ['psi', 'ks', 'wasserstein', 'wasserstein_normed', 'jsd', 'chisquare'];
const FAIRNESS = ['demographic_parity_difference', 'disparate_impact_ratio', 'equalized_odds_difference', 'fairness'];

/** Which part of the options a metric reads. */
export function metricGroup(metric: string | undefined): MetricGroup {
  const m = metric ?? 'psi';
  if (DRIFT.includes(m)) {
    return 'drift';
  }
  if (m === 'drift_lag') {
    return 'lag';
  }
  if (FAIRNESS.includes(m)) {
    return 'fairness';
  }
  if (m === 'retrain') {
    return 'retrain';
  }
  return 'performance';
}

/** The drift statistics with a p-value (their threshold is alpha). */
export function hasPValue(metric: string | undefined): boolean {
  return metric === 'ks' || metric === 'chisquare';
}

/** The default threshold of a drift statistic, as the placeholder shows it. */
export function defaultThreshold(metric: string | undefined): string {
  switch (metric ?? 'psi') {
    case 'psi':
      return '0.2';
    case 'ks':
    case 'chisquare':
      return '0.05';
    case 'wasserstein':
      return 'required (feature units)';
    default:
      return '0.1';
  }
}

/** Sets one filter; an empty list removes it, so the query stays minimal. */
export function withFilter(
  filters: Record<string, string[]> | undefined,
  key: string,
  values: string[]
): Record<string, string[]> {
  const next = { ...(filters ?? {}) };
  if (values.length === 0) {
    delete next[key];
  } else {
    next[key] = values;
  }
  return next;
}

/** Reads a typed number: '' clears the option; anything else must be finite and in range. */
export function parseNumberText(
  text: string,
  min: number,
  max: number,
  integer = false
): number | undefined | 'invalid' {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  const v = Number(t);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    return 'invalid';
  }
  return v;
}

/** A snapshot as GET model/snapshots lists it (the fields the picker shows). */
interface SnapshotItem {
  name: string;
  from: string;
  to: string;
  description?: string;
}

/** The value lists of the query's data source that the pickers offer. */
export interface ModelLists {
  models: string[];
  features: string[];
  segments: string[];
  snapshots: Array<ComboboxOption<string>>;
}

/** Loads the pickers' lists: models, and the features, segment labels and snapshots of the chosen models. */
export async function loadModelLists(ref: DataSourceRef | null | undefined, models: string[]): Promise<ModelLists> {
  const ds = (await getDataSourceSrv().get(ref ?? undefined)) as DataSourceWithBackend;
  const params = models.length ? { model: models } : undefined;
  const [all, features, segments, snapshots] = await Promise.all([
    ds.getResource<string[]>('values/model/model'),
    ds.getResource<string[]>('values/model/feature', params),
    ds.getResource<string[]>('values/model/segment', params),
    models.length === 1 ? ds.getResource<SnapshotItem[]>('model/snapshots', { model: models[0] }) : Promise.resolve([]),
  ]);
  return {
    models: all,
    features,
    segments,
    snapshots: snapshots.map((s) => ({
      value: s.name,
      label: s.name,
      description: [`${s.from.slice(0, 10)} → ${s.to.slice(0, 10)}`, s.description].filter(Boolean).join(' · '),
    })),
  };
}

const options = (values: string[]): Array<ComboboxOption<string>> => values.map((v) => ({ value: v, label: v }));

/** Keeps chosen values visible even when the store no longer lists them. */
const withChosen = (values: string[], chosen: string[]) => options([...new Set([...values, ...chosen])]);

export function ModelEditor({ query, onChange }: FamilyEditorProps) {
  const opts: ModelQueryOptions = query.model ?? {};
  const set = (patch: Partial<ModelQueryOptions>) => onChange({ model: { ...opts, ...patch } });
  const group = metricGroup(query.metric);
  const chosenModels = query.filters?.model ?? [];
  const chosenFeatures = query.filters?.feature ?? [];
  const [lists, setLists] = useState<ModelLists>({ models: [], features: [], segments: [], snapshots: [] });
  const [loadError, setLoadError] = useState<string | undefined>();
  const dsKey = query.datasource?.uid ?? '';
  const modelKey = chosenModels.join('\u001f');

  useEffect(() => {
    let cancelled = false;
    loadModelLists(query.datasource, chosenModels).then(
      (l) => {
        if (!cancelled) {
          setLists(l);
          setLoadError(undefined);
        }
      },
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e))
    );
    return () => {
      cancelled = true;
    };
    // Reload when the data source or the models change, not on every edit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dsKey, modelKey]);

  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Models"
          labelWidth={LABEL_WIDTH}
          tooltip="Empty: every model. $variables may be typed in."
          invalid={Boolean(loadError)}
          error={loadError && `Could not list models: ${loadError}`}
        >
          <MultiCombobox<string>
            id="kaizen-model-models"
            width={32}
            createCustomValue
            placeholder="every model"
            options={withChosen(lists.models, chosenModels)}
            value={chosenModels}
            onChange={(v: Array<ComboboxOption<string>>) =>
              onChange({
                filters: withFilter(
                  query.filters,
                  'model',
                  v.map((x) => x.value)
                ),
              })
            }
          />
        </InlineField>
        {(group === 'drift' || group === 'lag' || group === 'retrain') && (
          <InlineField
            label="Features"
            labelWidth={10}
            tooltip="Empty: every feature with data, and __prediction__ (the model's output)"
          >
            <MultiCombobox<string>
              id="kaizen-model-features"
              width={40}
              createCustomValue
              placeholder="every feature"
              options={withChosen(lists.features, chosenFeatures)}
              value={chosenFeatures}
              onChange={(v: Array<ComboboxOption<string>>) =>
                onChange({
                  filters: withFilter(
                    query.filters,
                    'feature',
                    v.map((x) => x.value)
                  ),
                })
              }
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {(group === 'drift' || group === 'lag' || group === 'retrain') && (
        <ReferenceRow
          reference={opts.reference ?? {}}
          snapshots={lists.snapshots}
          oneModel={chosenModels.length === 1}
          onChange={(reference) => set({ reference })}
        />
      )}
      {group === 'drift' && <DriftRow metric={query.metric ?? 'psi'} opts={opts} set={set} />}
      {(group === 'performance' || group === 'fairness' || group === 'retrain') && (
        <InlineFieldRow>
          <InlineField
            label="Positive class"
            labelWidth={LABEL_WIDTH}
            tooltip='Class label counted as positive; numbers compare as numbers. Default "1".'
          >
            <TextInput
              id="kaizen-model-positive"
              value={opts.positive ?? ''}
              placeholder="1"
              width={14}
              onCommit={(positive) => set({ positive: positive || undefined })}
            />
          </InlineField>
          <InlineField
            label="Score threshold"
            labelWidth={16}
            tooltip="A prediction whose score is at least this is positive (0 to 1; default 0.5)"
          >
            <NumberInput
              id="kaizen-model-score-threshold"
              value={opts.scoreThreshold}
              placeholder="0.5"
              min={0.000001}
              max={1}
              onCommit={(scoreThreshold) => set({ scoreThreshold })}
            />
          </InlineField>
          {group !== 'retrain' && (
            <InlineField
              label="Segment"
              labelWidth={10}
              tooltip={
                group === 'fairness'
                  ? 'The segment label whose groups are compared (required)'
                  : 'Split the series by this segment label'
              }
              invalid={group === 'fairness' && !opts.segment}
              error={group === 'fairness' && !opts.segment ? 'Choose the segment label to compare' : undefined}
            >
              <Combobox<string>
                id="kaizen-model-segment"
                width={20}
                isClearable
                createCustomValue
                placeholder={group === 'fairness' ? 'choose' : 'none'}
                options={withChosen(lists.segments, opts.segment ? [opts.segment] : [])}
                value={opts.segment ?? null}
                onChange={(v) => set({ segment: v?.value || undefined })}
              />
            </InlineField>
          )}
        </InlineFieldRow>
      )}
      {(group === 'retrain' || group === 'lag') && <RetrainRow group={group} opts={opts} set={set} />}
    </>
  );
}

const REF_TYPES: Array<{ value: NonNullable<ModelReference['type']>; label: string; description: string }> = [
  { value: 'rolling', label: 'Rolling', description: 'The window just before each bucket (or before the range)' },
  { value: 'range', label: 'Fixed range', description: 'A fixed time range, e.g. the training period' },
  { value: 'snapshot', label: 'Snapshot', description: 'A snapshot stored with POST model/snapshots' },
];

function ReferenceRow({
  reference,
  snapshots,
  oneModel,
  onChange,
}: {
  reference: ModelReference;
  snapshots: Array<ComboboxOption<string>>;
  oneModel: boolean;
  onChange: (r: ModelReference) => void;
}) {
  const type = reference.type ?? 'rolling';
  return (
    <InlineFieldRow>
      <InlineField label="Reference" labelWidth={LABEL_WIDTH} tooltip="What each window is compared with">
        <RadioButtonGroup<NonNullable<ModelReference['type']>>
          options={REF_TYPES}
          value={type}
          onChange={(t) =>
            onChange(
              t === 'rolling'
                ? { type: t }
                : { type: t, from: reference.from, to: reference.to, snapshot: reference.snapshot }
            )
          }
        />
      </InlineField>
      {type === 'rolling' && (
        <>
          <InlineField label="Window" labelWidth={8} tooltip="Length of the reference, e.g. 7d (default)">
            <TextInput
              id="kaizen-model-window"
              value={reference.window ?? ''}
              placeholder="7d"
              width={10}
              onCommit={(window) => onChange({ ...reference, window: window || undefined })}
            />
          </InlineField>
          <InlineField label="before" labelWidth={8}>
            <RadioButtonGroup<'bucket' | 'range'>
              options={[
                { value: 'bucket', label: 'each bucket' },
                { value: 'range', label: 'the range' },
              ]}
              value={reference.anchor ?? 'bucket'}
              onChange={(anchor) => onChange({ ...reference, anchor: anchor === 'bucket' ? undefined : anchor })}
            />
          </InlineField>
        </>
      )}
      {type === 'range' && (
        <>
          <InlineField
            label="From"
            labelWidth={6}
            tooltip="RFC 3339 (2024-04-01T00:00:00Z) or now-30d"
            invalid={!reference.from}
            error={!reference.from ? 'Required' : undefined}
          >
            <TextInput
              id="kaizen-model-ref-from"
              value={reference.from ?? ''}
              placeholder="now-37d"
              width={24}
              onCommit={(from) => onChange({ ...reference, from: from || undefined })}
            />
          </InlineField>
          <InlineField label="To" labelWidth={4} invalid={!reference.to} error={!reference.to ? 'Required' : undefined}>
            <TextInput
              id="kaizen-model-ref-to"
              value={reference.to ?? ''}
              placeholder="now-30d"
              width={24}
              onCommit={(to) => onChange({ ...reference, to: to || undefined })}
            />
          </InlineField>
        </>
      )}
      {type === 'snapshot' && (
        <InlineField
          label="Snapshot"
          labelWidth={10}
          tooltip="Snapshots belong to a model: choose one model to list them"
          invalid={!reference.snapshot}
          error={
            !reference.snapshot
              ? oneModel
                ? 'Choose a snapshot'
                : 'Choose one model to list its snapshots'
              : undefined
          }
        >
          <Combobox<string>
            id="kaizen-model-snapshot"
            width={32}
            createCustomValue
            placeholder="choose"
            options={
              reference.snapshot && !snapshots.some((s) => s.value === reference.snapshot)
                ? [...snapshots, { value: reference.snapshot, label: reference.snapshot }]
                : snapshots
            }
            value={reference.snapshot ?? null}
            onChange={(v) => onChange({ type: 'snapshot', snapshot: v?.value })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}

function DriftRow({
  metric,
  opts,
  set,
}: {
  metric: string;
  opts: ModelQueryOptions;
  set: (p: Partial<ModelQueryOptions>) => void;
}) {
  const outputs: Array<{ value: NonNullable<ModelQueryOptions['output']>; label: string; description: string }> = [
    { value: 'statistic', label: 'Statistic', description: 'The statistic per bucket' },
    ...(hasPValue(metric)
      ? [{ value: 'p_value' as const, label: 'p-value', description: 'The test p-value per bucket' }]
      : []),
    {
      value: 'drifted',
      label: 'Drifted (0/1)',
      description: '1 where the statistic passes its threshold: for alert rules',
    },
  ];
  const output = opts.output === 'p_value' && !hasPValue(metric) ? 'statistic' : (opts.output ?? 'statistic');
  return (
    <InlineFieldRow>
      {(metric === 'psi' || metric === 'jsd') && (
        <InlineField
          label="Bins"
          labelWidth={LABEL_WIDTH}
          tooltip="Reference-quantile bins for numeric features (2 to 100; default 10)"
        >
          <NumberInput
            id="kaizen-model-bins"
            value={opts.bins}
            placeholder="10"
            min={2}
            max={100}
            integer
            onCommit={(bins) => set({ bins })}
          />
        </InlineField>
      )}
      <InlineField
        label={hasPValue(metric) ? 'Alpha' : 'Threshold'}
        labelWidth={LABEL_WIDTH}
        tooltip={hasPValue(metric) ? 'Drifted when the p-value is below it' : 'Drifted at or above it'}
      >
        <NumberInput
          id="kaizen-model-threshold"
          value={opts.threshold}
          placeholder={defaultThreshold(metric)}
          min={0.000001}
          max={hasPValue(metric) ? 0.999999 : Number.MAX_VALUE}
          width={metric === 'wasserstein' ? 26 : 12}
          onCommit={(threshold) => set({ threshold })}
        />
      </InlineField>
      <InlineField label="Series" labelWidth={8} tooltip="What each point carries">
        <RadioButtonGroup<NonNullable<ModelQueryOptions['output']>>
          options={outputs}
          value={output}
          onChange={(o) => set({ output: o === 'statistic' ? undefined : o })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}

const DRIFT_OPTIONS = DRIFT.map((m) => ({ value: m, label: m }));
const PERF_OPTIONS = ['accuracy', 'precision', 'recall', 'f1', 'mae', 'rmse'].map((m) => ({ value: m, label: m }));

function RetrainRow({
  group,
  opts,
  set,
}: {
  group: MetricGroup;
  opts: ModelQueryOptions;
  set: (p: Partial<ModelQueryOptions>) => void;
}) {
  const r = opts.retrain ?? {};
  const setR = (patch: Partial<NonNullable<ModelQueryOptions['retrain']>>) => set({ retrain: { ...r, ...patch } });
  const lowerIsBetter = r.performanceMetric === 'mae' || r.performanceMetric === 'rmse';
  return (
    <InlineFieldRow>
      <InlineField
        label="Watch drift"
        labelWidth={LABEL_WIDTH}
        tooltip="The drift statistic the trigger follows, with its own threshold"
      >
        <Combobox<string>
          id="kaizen-model-retrain-drift"
          width={22}
          options={DRIFT_OPTIONS}
          value={r.driftMetric ?? 'psi'}
          onChange={(v) => setR({ driftMetric: v.value === 'psi' ? undefined : v.value })}
        />
      </InlineField>
      <InlineField label="threshold" labelWidth={10}>
        <NumberInput
          id="kaizen-model-retrain-drift-threshold"
          value={r.driftThreshold}
          placeholder={defaultThreshold(r.driftMetric)}
          min={0.000001}
          max={Number.MAX_VALUE}
          onCommit={(driftThreshold) => setR({ driftThreshold })}
        />
      </InlineField>
      <InlineField label="for" labelWidth={5} tooltip="Consecutive drifted buckets that fire the trigger (default 3)">
        <NumberInput
          id="kaizen-model-retrain-consecutive"
          value={r.consecutive}
          placeholder="3"
          min={1}
          max={1000}
          integer
          onCommit={(consecutive) => setR({ consecutive })}
        />
      </InlineField>
      {group === 'retrain' && (
        <>
          <InlineField
            label="or"
            labelWidth={4}
            tooltip="A performance metric that fires the trigger past its threshold (optional)"
          >
            <Combobox<string>
              id="kaizen-model-retrain-perf"
              width={16}
              isClearable
              placeholder="no metric"
              options={PERF_OPTIONS}
              value={r.performanceMetric ?? null}
              onChange={(v) =>
                setR({
                  performanceMetric:
                    (v?.value as NonNullable<ModelQueryOptions['retrain']>['performanceMetric']) || undefined,
                  performanceThreshold: v?.value ? r.performanceThreshold : undefined,
                })
              }
            />
          </InlineField>
          {r.performanceMetric && (
            <InlineField
              label={lowerIsBetter ? 'above' : 'below'}
              labelWidth={8}
              invalid={r.performanceThreshold === undefined}
              error={r.performanceThreshold === undefined ? 'Required' : undefined}
            >
              <NumberInput
                id="kaizen-model-retrain-perf-threshold"
                value={r.performanceThreshold}
                placeholder={lowerIsBetter ? '5' : '0.8'}
                min={0}
                max={Number.MAX_VALUE}
                onCommit={(performanceThreshold) => setR({ performanceThreshold })}
              />
            </InlineField>
          )}
        </>
      )}
      {group === 'lag' && (
        <InlineField
          label="Alert at"
          labelWidth={10}
          tooltip="Measure the lag to this alert time (RFC 3339 or now-2d); empty: when the retraining trigger fires"
        >
          <TextInput
            id="kaizen-model-alert-at"
            value={opts.alertAt ?? ''}
            placeholder="trigger fires"
            width={24}
            onCommit={(alertAt) => set({ alertAt: alertAt || undefined })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}

/** A number field that commits on blur or Enter; out-of-range text snaps back. */
function NumberInput({
  id,
  value,
  placeholder,
  min,
  max,
  integer,
  width = 12,
  onCommit,
}: {
  id: string;
  value?: number;
  placeholder?: string;
  min: number;
  max: number;
  integer?: boolean;
  width?: number;
  onCommit: (v: number | undefined) => void;
}) {
  return (
    <TextInput
      id={id}
      value={value === undefined ? '' : String(value)}
      placeholder={placeholder}
      width={width}
      accept={(t) => parseNumberText(t, min, max, integer) !== 'invalid'}
      onCommit={(t) => {
        const v = parseNumberText(t, min, max, integer);
        onCommit(v === 'invalid' ? undefined : v);
      }}
    />
  );
}

/** A text field that commits on blur or Enter, so typing does not run a query per keystroke. */
function TextInput({
  id,
  value,
  placeholder,
  width,
  accept = () => true,
  onCommit,
}: {
  id: string;
  value: string;
  placeholder?: string;
  width: number;
  accept?: (t: string) => boolean;
  onCommit: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  // A new value from outside (another editor, undo) replaces what was typed.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const commit = () => {
    const t = text.trim();
    if (!accept(t)) {
      setText(value);
      return;
    }
    if (t !== value) {
      onCommit(t);
    }
  };
  return (
    <Input
      id={id}
      width={width}
      value={text}
      placeholder={placeholder}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

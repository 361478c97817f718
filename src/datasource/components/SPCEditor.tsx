// Options of the spc query type: the source query whose series are charted, the chart and its
// rules, the baseline (limits), and the sample sizes of p/np/u charts. Mirrors pkg/models.SPCOptions.
import React, { useEffect, useState } from 'react';
import {
  Combobox,
  InlineField,
  InlineFieldRow,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  type ComboboxOption,
} from '@grafana/ui';

import { RULES, RUN_RULE_IDS } from '../../panels/controlchart/rules';
import { FAMILY_DIMENSIONS, FAMILY_METRICS } from '../metrics';
import { QUERY_TYPES, STATS, type KaizenQuery, type QueryType, type SpcQueryOptions, type Stat } from '../types';
import type { FamilyEditorProps } from './families';
import { PrometheusFields } from './PrometheusEditor';

type Chart = NonNullable<SpcQueryOptions['chart']>;
type Source = NonNullable<SpcQueryOptions['source']>;
type BaselineMode = 'all' | 'first' | 'range' | 'frozen';

const LABEL_WIDTH = 14;
const BUCKETS = ['auto', '1h', '6h', '1d', '1w'];

/** What a new spc query charts until the user picks: MTTR per day. */
export const DEFAULT_SOURCE: Source = { queryType: 'incidents', metric: 'mttr', stat: 'mean', bucket: '1d' };

export const CHARTS: Array<ComboboxOption<Chart>> = [
  { value: 'xmr', label: 'Individuals (XmR)', description: 'One value per bucket: latency, MTTR per week, a KPI' },
  { value: 'xbar-r', label: 'X-bar R', description: 'Means of subgroups of consecutive buckets, with their range' },
  { value: 'xbar-s', label: 'X-bar S', description: 'Means of subgroups, with their standard deviation' },
  { value: 'p', label: 'p', description: 'Proportion defective: the source counts defectives, n the items' },
  { value: 'np', label: 'np', description: 'Defectives with a constant sample size n' },
  { value: 'u', label: 'u', description: 'Defects per unit: the source counts defects, n the units' },
  { value: 'c', label: 'c', description: 'Defect counts per bucket (incidents per day)' },
  { value: 'ewma', label: 'EWMA', description: 'Exponentially weighted moving average: small sustained shifts' },
  { value: 'cusum', label: 'CUSUM', description: 'Tabular cumulative sum: small sustained shifts' },
];

const RULE_OPTIONS: Array<ComboboxOption<string>> = RUN_RULE_IDS.map((id) => ({
  value: id,
  label: RULES[id].name,
  description: RULES[id].description,
}));

const SOURCE_TYPES = QUERY_TYPES.filter((t) => t.value !== 'spc');

function baselineMode(o: SpcQueryOptions): BaselineMode {
  if (o.frozen) {
    return 'frozen';
  }
  if (o.baseline?.points !== undefined) {
    return 'first';
  }
  if (o.baseline?.from || o.baseline?.to) {
    return 'range';
  }
  return 'all';
}

/** The rule ids the options stand for: missing is every Nelson rule; 'none' is none. */
export function selectedRules(o: SpcQueryOptions): string[] {
  if (o.rules === undefined) {
    return RUN_RULE_IDS.slice(0, 8);
  }
  const out = new Set<string>();
  for (const r of o.rules) {
    if (r === 'nelson') {
      RUN_RULE_IDS.slice(0, 8).forEach((x) => out.add(x));
    } else if (r === 'westernelectric') {
      RUN_RULE_IDS.slice(8).forEach((x) => out.add(x));
    } else if (r !== 'none') {
      out.add(r);
    }
  }
  return RUN_RULE_IDS.filter((id) => out.has(id));
}

export function SPCEditor({ query, onChange }: FamilyEditorProps) {
  const opts: SpcQueryOptions = query.spc ?? {};
  const set = (patch: Partial<SpcQueryOptions>) => onChange({ spc: { ...opts, ...patch } });
  const chart: Chart = opts.chart ?? 'xmr';
  const mode = baselineMode(opts);
  const sized = chart === 'p' || chart === 'np' || chart === 'u';

  // A new spc query gets a source at once, so it runs and shows a chart.
  useEffect(() => {
    if (!query.spc?.source) {
      onChange({ spc: { ...query.spc, source: DEFAULT_SOURCE } });
    }
    // Only when the editor opens on a query without a source.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div data-testid="kaizen-spc-editor">
      <SourceEditor
        label="Chart of"
        idPrefix="kaizen-spc-source"
        tooltip="The query whose series are charted: one chart per series (per group)"
        source={opts.source ?? DEFAULT_SOURCE}
        onChange={(source) => set({ source })}
      />
      <InlineFieldRow>
        <InlineField
          label="Chart"
          labelWidth={LABEL_WIDTH}
          tooltip={CHARTS.find((c) => c.value === chart)?.description}
        >
          <Combobox<Chart>
            id="kaizen-spc-chart"
            width={22}
            options={CHARTS}
            value={chart}
            onChange={(v) => {
              const next: SpcQueryOptions = { ...opts, chart: v.value };
              // Run rules do not apply to ewma and cusum; subgroups and sizes belong to their charts.
              if (v.value === 'ewma' || v.value === 'cusum') {
                delete next.rules;
              }
              onChange({ spc: next });
            }}
          />
        </InlineField>
        {chart !== 'ewma' && chart !== 'cusum' && (
          <InlineField label="Rules" labelWidth={8} tooltip="Run rules: each violation names its rule">
            <MultiCombobox<string>
              id="kaizen-spc-rules"
              width={48}
              options={RULE_OPTIONS}
              value={selectedRules(opts)}
              placeholder="none"
              onChange={(v: Array<ComboboxOption<string>>) =>
                set({ rules: v.length ? v.map((x) => x.value) : ['none'] })
              }
            />
          </InlineField>
        )}
        {(chart === 'xbar-r' || chart === 'xbar-s') && (
          <InlineField label="Subgroup" labelWidth={10} tooltip="Consecutive buckets per subgroup (2 to 25)">
            <NumberInput
              id="kaizen-spc-subgroup"
              value={opts.subgroup}
              placeholder="5"
              onCommit={(subgroup) => set({ subgroup })}
            />
          </InlineField>
        )}
        {chart === 'ewma' && (
          <>
            <InlineField label="λ" labelWidth={4} tooltip="Weight of the newest point, (0, 1]; default 0.2">
              <NumberInput
                id="kaizen-spc-lambda"
                value={opts.lambda}
                placeholder="0.2"
                onCommit={(lambda) => set({ lambda })}
              />
            </InlineField>
            <InlineField label="L" labelWidth={4} tooltip="Limit width in sigmas; default 3">
              <NumberInput id="kaizen-spc-L" value={opts.L} placeholder="3" onCommit={(L) => set({ L })} />
            </InlineField>
          </>
        )}
        {chart === 'cusum' && (
          <>
            <InlineField label="k" labelWidth={4} tooltip="Allowance in sigmas (half the shift to detect); default 0.5">
              <NumberInput id="kaizen-spc-k" value={opts.k} placeholder="0.5" onCommit={(k) => set({ k })} />
            </InlineField>
            <InlineField label="h" labelWidth={4} tooltip="Decision interval in sigmas; default 5">
              <NumberInput id="kaizen-spc-h" value={opts.h} placeholder="5" onCommit={(h) => set({ h })} />
            </InlineField>
          </>
        )}
      </InlineFieldRow>
      {sized && <SizeEditor opts={opts} set={set} />}
      <InlineFieldRow>
        <InlineField
          label="Limits from"
          labelWidth={LABEL_WIDTH}
          tooltip="Phase I: the points the center and sigma are estimated from"
        >
          <RadioButtonGroup<BaselineMode>
            options={[
              { value: 'all', label: 'All points' },
              { value: 'first', label: 'First N' },
              { value: 'range', label: 'Time range' },
              { value: 'frozen', label: 'Frozen' },
            ]}
            value={mode}
            onChange={(m) => {
              const next: SpcQueryOptions = { ...opts };
              delete next.baseline;
              delete next.frozen;
              if (m === 'first') {
                next.baseline = { points: 20 };
              } else if (m === 'range') {
                next.baseline = { from: 'now-30d', to: 'now-7d' };
              } else if (m === 'frozen') {
                next.frozen = {};
              }
              onChange({ spc: next });
            }}
          />
        </InlineField>
        {mode === 'first' && (
          <InlineField label="Points" labelWidth={8}>
            <NumberInput
              id="kaizen-spc-baseline-points"
              value={opts.baseline?.points}
              onCommit={(points) => set({ baseline: { points } })}
            />
          </InlineField>
        )}
        {mode === 'range' && (
          <>
            <InlineField
              label="From"
              labelWidth={6}
              tooltip="RFC 3339 or relative (now-30d); fetched even before the dashboard's range"
            >
              <TextInput
                id="kaizen-spc-baseline-from"
                value={opts.baseline?.from ?? ''}
                onCommit={(from) => set({ baseline: { ...opts.baseline, from: from || undefined } })}
              />
            </InlineField>
            <InlineField label="To" labelWidth={4}>
              <TextInput
                id="kaizen-spc-baseline-to"
                value={opts.baseline?.to ?? ''}
                onCommit={(to) => set({ baseline: { ...opts.baseline, to: to || undefined } })}
              />
            </InlineField>
          </>
        )}
        {mode === 'frozen' &&
          (['center', 'sigma', 'ucl', 'lcl'] as const).map((k) => (
            <InlineField
              key={k}
              label={k === 'center' ? 'Center' : k === 'sigma' ? 'σ' : k.toUpperCase()}
              labelWidth={k === 'center' ? 8 : 5}
            >
              <NumberInput
                id={`kaizen-spc-frozen-${k}`}
                value={opts.frozen?.[k]}
                onCommit={(v) => set({ frozen: { ...opts.frozen, [k]: v } })}
              />
            </InlineField>
          ))}
      </InlineFieldRow>
    </div>
  );
}

function SizeEditor({ opts, set }: { opts: SpcQueryOptions; set: (p: Partial<SpcQueryOptions>) => void }) {
  const fromQuery = opts.sizeSource !== undefined;
  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Sample size"
          labelWidth={LABEL_WIDTH}
          tooltip="n per bucket: the items (p, np) or units (u) the counts come from"
        >
          <RadioButtonGroup<'constant' | 'query'>
            options={[
              { value: 'constant', label: 'Constant' },
              { value: 'query', label: 'From a query' },
            ]}
            value={fromQuery ? 'query' : 'constant'}
            onChange={(v) =>
              v === 'query'
                ? set({ n: undefined, sizeSource: { ...DEFAULT_SOURCE, metric: 'count', stat: undefined } })
                : set({ sizeSource: undefined })
            }
          />
        </InlineField>
        {!fromQuery && (
          <InlineField label="n" labelWidth={4}>
            <NumberInput id="kaizen-spc-n" value={opts.n} onCommit={(n) => set({ n })} />
          </InlineField>
        )}
      </InlineFieldRow>
      {fromQuery && (
        <SourceEditor
          label="n from"
          idPrefix="kaizen-spc-size"
          tooltip="A query with the same buckets and group by as the charted one"
          source={opts.sizeSource!}
          onChange={(sizeSource) => set({ sizeSource })}
        />
      )}
    </>
  );
}

interface SourceProps {
  label: string;
  idPrefix: string;
  tooltip: string;
  source: Source;
  onChange: (s: Source) => void;
}

/** A nested query: type, metric, stat, bucket, group by and filters (values may be $variables). */
function SourceEditor({ label, idPrefix, tooltip, source, onChange }: SourceProps) {
  const type: QueryType = source.queryType && source.queryType !== 'spc' ? source.queryType : 'incidents';
  const metrics = FAMILY_METRICS[type];
  const metric = metrics.find((m) => m.value === source.metric) ?? metrics[0];
  const dims = FAMILY_DIMENSIONS[type];
  const set = (patch: Partial<KaizenQuery>) => onChange({ ...source, ...patch });
  const filters = source.filters ?? {};
  return (
    <>
      <InlineFieldRow>
        <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip}>
          <Combobox<QueryType>
            id={`${idPrefix}-type`}
            width={20}
            options={SOURCE_TYPES}
            value={type}
            onChange={(v) =>
              onChange({ queryType: v.value, metric: FAMILY_METRICS[v.value][0].value, bucket: source.bucket })
            }
          />
        </InlineField>
        <InlineField label="Metric" labelWidth={8} tooltip={metric.description}>
          <Combobox<string>
            id={`${idPrefix}-metric`}
            width={22}
            options={metrics.map((m) => ({ value: m.value, label: m.label, description: m.description }))}
            value={metric.value}
            onChange={(v) => set({ metric: v.value })}
          />
        </InlineField>
        {metric.hasStat && (
          <InlineField label="Stat" labelWidth={6}>
            <Combobox<Stat>
              id={`${idPrefix}-stat`}
              width={12}
              options={STATS.map((s) => ({ value: s, label: s }))}
              value={source.stat ?? 'mean'}
              onChange={(v) => set({ stat: v.value })}
            />
          </InlineField>
        )}
        <InlineField label="Bucket" labelWidth={8} tooltip="One point per bucket; auto follows the panel interval">
          <Combobox<string>
            id={`${idPrefix}-bucket`}
            width={12}
            createCustomValue
            options={BUCKETS.map((b) => ({ value: b, label: b }))}
            value={source.bucket ?? 'auto'}
            onChange={(v) => set({ bucket: v.value })}
          />
        </InlineField>
        {dims.length > 0 && (
          <InlineField label="Group by" labelWidth={10} tooltip="One chart per group">
            <MultiCombobox<string>
              id={`${idPrefix}-group-by`}
              width={30}
              options={dims.map((d) => ({ value: d, label: d }))}
              value={source.groupBy ?? []}
              onChange={(v: Array<ComboboxOption<string>>) => set({ groupBy: v.map((x) => x.value) })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {type === 'prometheus' && (
        <PrometheusFields
          idPrefix={`${idPrefix}-prometheus`}
          opts={source.prometheus ?? {}}
          set={(patch) => set({ prometheus: { ...source.prometheus, ...patch } })}
        />
      )}
      {dims.length > 0 && (
        <InlineFieldRow>
          {dims.map((d) => (
            <InlineField key={d} label={d} labelWidth={LABEL_WIDTH}>
              <MultiCombobox<string>
                id={`${idPrefix}-filter-${d}`}
                width={22}
                createCustomValue
                placeholder="any"
                options={(filters[d] ?? []).map((v) => ({ value: v, label: v }))}
                value={filters[d] ?? []}
                onChange={(v: Array<ComboboxOption<string>>) => {
                  const next = { ...filters, [d]: v.map((x) => x.value) };
                  if (next[d].length === 0) {
                    delete next[d];
                  }
                  set({ filters: next });
                }}
              />
            </InlineField>
          ))}
        </InlineFieldRow>
      )}
    </>
  );
}

/** A number field that commits on blur or Enter, so typing does not run a query per keystroke. */
function NumberInput({
  id,
  value,
  placeholder,
  onCommit,
}: {
  id: string;
  value?: number;
  placeholder?: string;
  onCommit: (v: number | undefined) => void;
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  // A new value from outside (another editor, undo) replaces what was typed.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value === undefined ? '' : String(value));
  }
  const commit = () => {
    const t = text.trim();
    const v = t === '' ? undefined : Number(t);
    if (v === undefined || Number.isFinite(v)) {
      if (v !== value) {
        onCommit(v);
      }
    } else {
      setText(value === undefined ? '' : String(value));
    }
  };
  return (
    <Input
      id={id}
      width={10}
      type="number"
      value={text}
      placeholder={placeholder}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

function TextInput({ id, value, onCommit }: { id: string; value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const commit = () => text.trim() !== value && onCommit(text.trim());
  return (
    <Input
      id={id}
      width={26}
      value={text}
      placeholder="now-30d"
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

// The backtest editor (ImprovementEditor.tsx) picks its replayed series with the same source fields.
export { NumberInput, SourceEditor };

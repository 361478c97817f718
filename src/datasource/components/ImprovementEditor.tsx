// Options of the postmortems, alerts and backtest query types (docs/improvement.md).
// Mirrors pkg/models.ImprovementOptions: each type reads its own fields.
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Button,
  Combobox,
  type ComboboxOption,
  IconButton,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  Text,
  useStyles2,
} from '@grafana/ui';

import { RULES, RUN_RULE_IDS } from '../../panels/controlchart/rules';
import type { BacktestCandidate, ImprovementQueryOptions, KaizenQuery } from '../types';
import type { FamilyEditorProps } from './families';
import { NumberInput, SourceEditor } from './SPCEditor';

const LABEL_WIDTH = 14;

/** Severity order the backend uses when the query gives none (sev1 is the most severe). */
export const DEFAULT_SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4', 'sev5'];

/** Parses "sev1, sev2,SEV3" into a trimmed list; empty means the default order. */
export function parseSeverities(text: string): string[] | undefined {
  const out = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return out.length ? out : undefined;
}

/** Sets improvement options, dropping those set back to their default (undefined). */
function useImprovement(query: KaizenQuery, onChange: FamilyEditorProps['onChange']) {
  const opts: ImprovementQueryOptions = query.improvement ?? {};
  const set = (patch: Partial<ImprovementQueryOptions>) => {
    const next: ImprovementQueryOptions = { ...opts, ...patch };
    for (const k of Object.keys(next) as Array<keyof ImprovementQueryOptions>) {
      if (next[k] === undefined) {
        delete next[k];
      }
    }
    onChange({ improvement: next });
  };
  return { opts, set };
}

const ACTION_METRICS = ['action_completion', 'overdue_actions', 'action_time_to_close'];

export function PostmortemsEditor({ query, onChange }: FamilyEditorProps) {
  const { opts, set } = useImprovement(query, onChange);
  const metric = query.metric ?? 'postmortem_coverage';
  const order = opts.severities ?? DEFAULT_SEVERITIES;
  if (ACTION_METRICS.includes(metric)) {
    return (
      <InlineFieldRow>
        <Text color="secondary" variant="bodySmall">
          Action items group and filter by owner, team, service and source (of the item).
        </Text>
      </InlineFieldRow>
    );
  }
  return (
    <div data-testid="kaizen-postmortems-editor">
      {metric === 'postmortem_coverage' && (
        <InlineFieldRow>
          <InlineField
            label="Severity order"
            labelWidth={LABEL_WIDTH}
            tooltip="Most severe first, comma-separated; matching ignores case. Incidents with a severity outside the list are left out."
          >
            <TextInput
              id="kaizen-postmortems-severities"
              width={34}
              value={(opts.severities ?? []).join(', ')}
              placeholder={DEFAULT_SEVERITIES.join(', ')}
              onCommit={(text) => {
                const severities = parseSeverities(text);
                const keep = severities?.some((s) => s.toLowerCase() === opts.minSeverity?.toLowerCase());
                set({ severities, minSeverity: keep || !severities ? opts.minSeverity : undefined });
              }}
            />
          </InlineField>
          <InlineField label="At or above" labelWidth={12} tooltip="Incidents that need a postmortem">
            <Combobox<string>
              id="kaizen-postmortems-min-severity"
              width={16}
              options={[{ value: '', label: 'every severity' }, ...order.map((s) => ({ value: s, label: s }))]}
              value={opts.minSeverity ?? ''}
              onChange={(v) => set({ minSeverity: v.value || undefined })}
            />
          </InlineField>
          <InlineField
            label="Within (days)"
            labelWidth={14}
            tooltip="Days after resolution a postmortem is due (default 5)"
          >
            <NumberInput
              id="kaizen-postmortems-days"
              value={opts.postmortemDays}
              placeholder="5"
              onCommit={(postmortemDays) => set({ postmortemDays })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {(metric === 'repeat_incidents' || metric === 'repeats') && (
        <InlineFieldRow>
          <InlineField
            label="Repeat within"
            labelWidth={LABEL_WIDTH}
            tooltip="Days after an earlier incident of the same service sharing a postmortem theme (default 30, inclusive)"
          >
            <NumberInput
              id="kaizen-postmortems-repeat-days"
              value={opts.repeatDays}
              placeholder="30"
              onCommit={(repeatDays) => set({ repeatDays })}
            />
          </InlineField>
          <Text color="secondary" variant="bodySmall">
            days
          </Text>
        </InlineFieldRow>
      )}
    </div>
  );
}

/** Alert metrics that count alerts and so can be bucketed per on-call shift. */
const SHIFTABLE = ['alerts', 'notifications', 'flapping', 'short_lived', 'actionable_ratio'];
const SHIFTS = ['8h', '12h', '1d', '1w'];

export function AlertsEditor({ query, onChange }: FamilyEditorProps) {
  const { opts, set } = useImprovement(query, onChange);
  const metric = query.metric ?? 'alerts';
  if (metric.startsWith('detection_')) {
    return (
      <InlineFieldRow>
        <Text color="secondary" variant="bodySmall">
          Detection metrics read incidents: group and filter by service, team, severity, detected_by and source.
        </Text>
      </InlineFieldRow>
    );
  }
  const perShift = query.bucket === 'shift';
  return (
    <div data-testid="kaizen-alerts-editor">
      <InlineFieldRow>
        {(metric === 'flapping' || metric === 'noisy') && (
          <InlineField
            label="Flapping within"
            labelWidth={LABEL_WIDTH}
            tooltip="Minutes between a resolution and the next firing of the same alert (default 30)"
          >
            <NumberInput
              id="kaizen-alerts-flap"
              value={opts.flapMinutes}
              placeholder="30"
              onCommit={(flapMinutes) => set({ flapMinutes })}
            />
          </InlineField>
        )}
        {(metric === 'short_lived' || metric === 'noisy') && (
          <InlineField
            label="Short-lived within"
            labelWidth={18}
            tooltip="Minutes an unacknowledged, unlinked alert fired (default 5)"
          >
            <NumberInput
              id="kaizen-alerts-short"
              value={opts.shortMinutes}
              placeholder="5"
              onCommit={(shortMinutes) => set({ shortMinutes })}
            />
          </InlineField>
        )}
        {(metric === 'short_lived' || metric === 'actionable_ratio' || metric === 'noisy') && (
          <InlineField
            label="Link window"
            labelWidth={12}
            tooltip="An alert is linked to an incident of its service (not one Alertmanager opened) when it started up to this many minutes before the incident, or during it (default 30)"
          >
            <NumberInput
              id="kaizen-alerts-link"
              value={opts.linkMinutes}
              placeholder="30"
              onCommit={(linkMinutes) => set({ linkMinutes })}
            />
          </InlineField>
        )}
        {metric === 'noisy' && (
          <InlineField label="Rows" labelWidth={6} tooltip="The noisiest alert names shown (default 10)">
            <NumberInput id="kaizen-alerts-top" value={opts.top} placeholder="10" onCommit={(top) => set({ top })} />
          </InlineField>
        )}
      </InlineFieldRow>
      {SHIFTABLE.includes(metric) && (
        <InlineFieldRow>
          <InlineField
            label="Per on-call shift"
            labelWidth={LABEL_WIDTH}
            tooltip="One bucket per shift instead of per time bucket"
          >
            <InlineSwitch
              id="kaizen-alerts-per-shift"
              value={perShift}
              onChange={(e) => onChange({ bucket: e.currentTarget.checked ? 'shift' : 'auto' })}
            />
          </InlineField>
          {perShift && (
            <>
              <InlineField label="Shift" labelWidth={8} tooltip="Shift length (default 1w)">
                <Combobox<string>
                  id="kaizen-alerts-shift"
                  width={12}
                  createCustomValue
                  options={SHIFTS.map((s) => ({ value: s, label: s }))}
                  value={opts.shift ?? '1w'}
                  onChange={(v) => set({ shift: v.value === '1w' ? undefined : v.value })}
                />
              </InlineField>
              <InlineField
                label="Handover"
                labelWidth={10}
                tooltip="HH:MM in UTC (weekly shifts hand over on Mondays), or one handover as an RFC 3339 time with its zone"
              >
                <TextInput
                  id="kaizen-alerts-handover"
                  width={30}
                  value={opts.handover ?? ''}
                  placeholder="09:00 or 2024-01-01T09:00:00+01:00"
                  onCommit={(handover) => set({ handover: handover || undefined })}
                />
              </InlineField>
            </>
          )}
        </InlineFieldRow>
      )}
    </div>
  );
}

/** What a new backtest replays until the user picks: a KPI, one evaluation a minute. */
export const DEFAULT_BACKTEST_SOURCE: NonNullable<ImprovementQueryOptions['source']> = {
  queryType: 'kpi',
  metric: 'value',
  bucket: '1m',
};

export const NEW_CANDIDATE: Record<BacktestCandidate['type'], BacktestCandidate> = {
  threshold: { type: 'threshold', op: 'above', for: '5m' },
  burn_rate: { type: 'burn_rate', objective: 99.9, long: '1h', short: '5m', factor: 14.4 },
  control: { type: 'control', baseline_points: 1440, rules: ['nelson-1'] },
};

const RULE_OPTIONS: Array<ComboboxOption<string>> = RUN_RULE_IDS.map((id) => ({
  value: id,
  label: RULES[id].name,
  description: RULES[id].description,
}));

export function BacktestEditor({ query, onChange }: FamilyEditorProps) {
  const { opts, set } = useImprovement(query, onChange);
  const styles = useStyles2(getStyles);
  const candidates = opts.candidates ?? [];

  // A new backtest query gets a source and a first candidate to fill in.
  useEffect(() => {
    if (!query.improvement?.source) {
      onChange({
        improvement: {
          candidates: [NEW_CANDIDATE.threshold],
          lead: '5m',
          ...query.improvement,
          source: DEFAULT_BACKTEST_SOURCE,
        },
      });
    }
    // Only when the editor opens on a query without a source.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const setCandidate = (i: number, c: BacktestCandidate) =>
    set({ candidates: candidates.map((x, j) => (j === i ? c : x)) });

  return (
    <div data-testid="kaizen-backtest-editor">
      <SourceEditor
        label="Replay"
        idPrefix="kaizen-backtest-source"
        tooltip="The series the candidates are evaluated on; its bucket is the rule's evaluation interval (e.g. 1m)"
        source={opts.source ?? DEFAULT_BACKTEST_SOURCE}
        onChange={(source) => set({ source })}
      />
      <InlineFieldRow>
        <InlineField
          label="Lead"
          labelWidth={LABEL_WIDTH}
          tooltip="An alert firing up to this long before an incident started still catches it (e.g. 5m; default 0)"
        >
          <TextInput
            id="kaizen-backtest-lead"
            width={12}
            value={opts.lead ?? ''}
            placeholder="0"
            onCommit={(lead) => set({ lead: lead || undefined })}
          />
        </InlineField>
        <Text color="secondary" variant="bodySmall">
          The filters above choose the incidents scored against (those that started in the time range).
        </Text>
      </InlineFieldRow>
      <div className={styles.candidates}>
        {candidates.map((c, i) => (
          <CandidateRow
            key={i}
            index={i}
            candidate={c}
            onChange={(next) => setCandidate(i, next)}
            onRemove={() => set({ candidates: candidates.filter((_, j) => j !== i) })}
          />
        ))}
        <Button
          id="kaizen-backtest-add"
          icon="plus"
          variant="secondary"
          size="sm"
          onClick={() => set({ candidates: [...candidates, NEW_CANDIDATE.threshold] })}
        >
          Add candidate
        </Button>
      </div>
    </div>
  );
}

interface CandidateRowProps {
  index: number;
  candidate: BacktestCandidate;
  onChange: (c: BacktestCandidate) => void;
  onRemove: () => void;
}

function CandidateRow({ index, candidate: c, onChange, onRemove }: CandidateRowProps) {
  const id = (field: string) => `kaizen-backtest-${index}-${field}`;
  const set = (patch: Partial<BacktestCandidate>) => onChange({ ...c, ...patch });
  return (
    <InlineFieldRow>
      <InlineField
        label={`Candidate ${index + 1}`}
        labelWidth={LABEL_WIDTH}
        tooltip="Its name in the scores (unique); empty: described by its condition"
      >
        <TextInput
          id={id('name')}
          width={22}
          value={c.name ?? ''}
          placeholder="auto"
          onCommit={(name) => set({ name: name || undefined })}
        />
      </InlineField>
      <RadioButtonGroup<BacktestCandidate['type']>
        size="sm"
        options={[
          { value: 'threshold', label: 'Threshold' },
          { value: 'burn_rate', label: 'Burn rate' },
          { value: 'control', label: 'Control limits' },
        ]}
        value={c.type}
        onChange={(type) => onChange({ ...NEW_CANDIDATE[type], name: c.name, for: c.for })}
      />
      {c.type === 'threshold' && (
        <>
          <InlineField label="is" labelWidth={4}>
            <Combobox<'above' | 'below'>
              id={id('op')}
              width={12}
              options={[
                { value: 'above', label: 'above' },
                { value: 'below', label: 'below' },
              ]}
              value={c.op ?? 'above'}
              onChange={(v) => set({ op: v.value })}
            />
          </InlineField>
          <NumberInput id={id('value')} value={c.value} placeholder="value" onCommit={(value) => set({ value })} />
        </>
      )}
      {c.type === 'burn_rate' && (
        <>
          <InlineField
            label="objective %"
            labelWidth={12}
            tooltip="The SLO, e.g. 99.9; the source must be an SLI (good ratio 0..1)"
          >
            <NumberInput
              id={id('objective')}
              value={c.objective}
              placeholder="99.9"
              onCommit={(objective) => set({ objective })}
            />
          </InlineField>
          <InlineField label="long" labelWidth={6}>
            <TextInput
              id={id('long')}
              width={8}
              value={c.long ?? ''}
              placeholder="1h"
              onCommit={(long) => set({ long })}
            />
          </InlineField>
          <InlineField label="short" labelWidth={6}>
            <TextInput
              id={id('short')}
              width={8}
              value={c.short ?? ''}
              placeholder="5m"
              onCommit={(short) => set({ short })}
            />
          </InlineField>
          <InlineField
            label="factor"
            labelWidth={7}
            tooltip="Burn rate both windows must exceed (SRE workbook: 14.4, 6, 1)"
          >
            <NumberInput id={id('factor')} value={c.factor} placeholder="14.4" onCommit={(factor) => set({ factor })} />
          </InlineField>
        </>
      )}
      {c.type === 'control' && (
        <>
          <InlineField
            label="baseline"
            labelWidth={9}
            tooltip="XmR limits from the first N samples with data, frozen for the rest"
          >
            <NumberInput
              id={id('baseline')}
              value={c.baseline_points}
              placeholder="1440"
              onCommit={(baseline_points) => set({ baseline_points })}
            />
          </InlineField>
          <InlineField label="rules" labelWidth={6}>
            <MultiCombobox<string>
              id={id('rules')}
              width={30}
              options={RULE_OPTIONS}
              value={c.rules ?? []}
              onChange={(v: Array<ComboboxOption<string>>) => set({ rules: v.map((x) => x.value) })}
            />
          </InlineField>
        </>
      )}
      <InlineField
        label="for"
        labelWidth={5}
        tooltip="Pending period: how long the condition must hold before the alert fires (Grafana's pending period)"
      >
        <TextInput
          id={id('for')}
          width={8}
          value={c.for ?? ''}
          placeholder="0s"
          onCommit={(f) => set({ for: f || undefined })}
        />
      </InlineField>
      <IconButton name="trash-alt" tooltip={`Remove candidate ${index + 1}`} onClick={onRemove} />
    </InlineFieldRow>
  );
}

/** A text field that commits on blur or Enter, so typing does not run a query per keystroke. */
function TextInput({
  id,
  width,
  value,
  placeholder,
  onCommit,
}: {
  id: string;
  width: number;
  value: string;
  placeholder?: string;
  onCommit: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  // A new value from outside (another editor, undo) replaces what was typed.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const commit = () => text.trim() !== value && onCommit(text.trim());
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

const getStyles = (theme: GrafanaTheme2) => ({
  candidates: css({
    borderLeft: `2px solid ${theme.colors.border.medium}`,
    paddingLeft: theme.spacing(1),
    marginBottom: theme.spacing(1),
  }),
});

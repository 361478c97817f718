import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Combobox,
  type ComboboxOption,
  Field,
  FieldSet,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
  Text,
  TextArea,
  useStyles2,
} from '@grafana/ui';

import { DirectionLabel } from './CatalogPage';
import { fetchDimensionValues, type KaizenEvent, type KaizenRecord, type KaizenStatus } from './kaizenApi';
import {
  EMPTY_FORM,
  entryKey,
  FORM_FIELD,
  formFromEvent,
  formToRecord,
  targetEntries,
  targetQuery,
  type FormErrors,
  type KaizenForm,
} from './kaizenModel';
import { ApiError, type CatalogEntry } from './kpiApi';

interface Props {
  uid: string;
  catalog: CatalogEntry[];
  /** The stored event when editing; undefined for a new one. */
  current?: KaizenEvent;
  /** Saves the record; a thrown ApiError naming a field is shown beside that field. */
  onSave: (record: KaizenRecord) => Promise<void>;
  onCancel: () => void;
}

const STATS = ['mean', 'median', 'p75', 'p90', 'p95', 'p99', 'min', 'max', 'sum', 'count'];
const BUCKETS = ['1h', '6h', '1d', '1w'];
const STATUSES: Array<{ value: KaizenStatus; label: string }> = [
  { value: 'proposed', label: 'Proposed' },
  { value: 'in-progress', label: 'In progress' },
  { value: 'deployed', label: 'Deployed' },
  { value: 'abandoned', label: 'Abandoned' },
];

/** Creates a kaizen event, or edits one (the stored revision must still be the one read). */
export function KaizenFormView({ uid, catalog, current, onSave, onCancel }: Props) {
  const styles = useStyles2(getStyles);
  const [form, setForm] = useState<KaizenForm>(current ? formFromEvent(current) : EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const editing = current !== undefined;
  const set = (patch: Partial<KaizenForm>) => setForm((f) => ({ ...f, ...patch }));

  const entries = useMemo(() => targetEntries(catalog), [catalog]);
  const entry = entries.find((e) => entryKey(e) === form.target);
  const targetOptions = useMemo<Array<ComboboxOption<string>>>(
    () => entries.map((e) => ({ value: entryKey(e), label: `${e.family}: ${e.name}`, description: e.formula })),
    [entries]
  );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const { record, errors: readErrors } = formToRecord(form, current?.revision);
    setErrors(readErrors);
    setFailure(undefined);
    if (!record) {
      return;
    }
    setSaving(true);
    try {
      await onSave(record);
    } catch (err: unknown) {
      const field = err instanceof ApiError && err.field ? FORM_FIELD[err.field] : undefined;
      if (field) {
        setErrors({ [field]: (err as Error).message.replace(/^kaizen event: [a-z_]+: /, '') });
      } else {
        setFailure(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  };

  const field = (key: keyof KaizenForm) => ({ invalid: Boolean(errors[key]), error: errors[key] });
  const preview = targetQuery(form);

  return (
    <form onSubmit={submit} aria-label={editing ? `Edit ${current.id}` : 'New kaizen event'} className={styles.form}>
      <Stack direction="column" gap={1}>
        <Text element="h2" variant="h2">
          {editing ? `Edit ${current.name}` : 'New kaizen event'}
        </Text>
        {failure && (
          <Alert title="The event was not saved" severity="error">
            {failure}
          </Alert>
        )}
        <FieldSet label="The improvement">
          <Stack gap={2} wrap="wrap">
            <Field
              label="Id"
              description="Letters, digits, _ - . — used in queries and alert labels; it never changes"
              {...field('id')}
            >
              <Input
                id="kaizen-id"
                width={30}
                value={form.id}
                disabled={editing}
                onChange={(e) => set({ id: e.currentTarget.value })}
              />
            </Field>
            <Field label="Name" {...field('name')}>
              <Input
                id="kaizen-name"
                width={50}
                value={form.name}
                onChange={(e) => set({ name: e.currentTarget.value })}
              />
            </Field>
            <Field label="Owner" {...field('owner')}>
              <Input
                id="kaizen-owner"
                width={24}
                value={form.owner}
                onChange={(e) => set({ owner: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          <Field label="Description" {...field('description')}>
            <TextArea
              id="kaizen-description"
              rows={2}
              value={form.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
            />
          </Field>
        </FieldSet>
        <FieldSet label="Target metric and hypothesis">
          <Field
            label="Metric"
            description="From the metric catalog: the series the event should move"
            {...field('target')}
          >
            <Combobox<string>
              id="kaizen-target"
              width={60}
              options={targetOptions}
              value={form.target || null}
              placeholder="Pick a metric"
              onChange={(v) => {
                const picked = entries.find((e) => entryKey(e) === v?.value);
                // A new metric starts from its catalog defaults; options of another family do not carry over.
                set({ target: v?.value ?? '', stat: picked?.defaultStat ?? '', filters: {}, targetExtra: {} });
              }}
            />
          </Field>
          {entry && (
            <>
              <Stack gap={2} wrap="wrap" alignItems="flex-start">
                <Field
                  label="Stat"
                  description={entry.defaultStat ? `Catalog default: ${entry.defaultStat}` : 'Family default'}
                >
                  <Combobox<string>
                    id="kaizen-stat"
                    width={16}
                    options={[{ value: '', label: 'default' }, ...STATS.map((s) => ({ value: s, label: s }))]}
                    value={form.stat}
                    onChange={(v) => set({ stat: v.value })}
                  />
                </Field>
                <Field label="One point per" description="Each bucket's value is one point of a window">
                  <Combobox<string>
                    id="kaizen-bucket"
                    width={12}
                    createCustomValue
                    options={BUCKETS.map((b) => ({ value: b, label: b }))}
                    value={form.bucket}
                    onChange={(v) => set({ bucket: v.value })}
                  />
                </Field>
                <Field label="Better direction">
                  <div className={styles.direction}>
                    <DirectionLabel direction={entry.direction || form.expectedDirection} />
                    {!entry.direction && (
                      <Text color="secondary"> (from the hypothesis: the catalog does not say)</Text>
                    )}
                  </div>
                </Field>
              </Stack>
              <TargetFilters
                uid={uid}
                queryType={entry.queryType}
                // The catalog's dimensions, and any the stored target filters on beyond them.
                dimensions={[...new Set([...(entry.dimensions ?? []), ...Object.keys(form.filters)])]}
                filters={form.filters}
                onChange={(filters) => set({ filters })}
              />
            </>
          )}
          <Field label="Hypothesis" description="What should happen, and why" {...field('hypothesis')}>
            <TextArea
              id="kaizen-hypothesis"
              rows={2}
              value={form.hypothesis}
              onChange={(e) => set({ hypothesis: e.currentTarget.value })}
            />
          </Field>
          <Stack gap={2} wrap="wrap">
            <Field label="Expected direction" {...field('expectedDirection')}>
              <RadioButtonGroup<KaizenForm['expectedDirection']>
                options={[
                  { value: '', label: 'The better one' },
                  { value: 'lower', label: 'Lower', icon: 'arrow-down' },
                  { value: 'higher', label: 'Higher', icon: 'arrow-up' },
                ]}
                value={form.expectedDirection}
                onChange={(v) => set({ expectedDirection: v })}
              />
            </Field>
            <Field
              label="Expected change (%)"
              description="Of the baseline median, e.g. 20"
              {...field('expectedChangePct')}
            >
              <Input
                id="kaizen-expected-change"
                width={12}
                inputMode="decimal"
                placeholder="any"
                value={form.expectedChangePct}
                onChange={(e) => set({ expectedChangePct: e.currentTarget.value })}
              />
            </Field>
          </Stack>
        </FieldSet>
        <FieldSet label="Dates and windows">
          <Stack gap={2} wrap="wrap">
            <Field label="Status" {...field('status')}>
              <RadioButtonGroup<KaizenStatus>
                options={STATUSES}
                value={form.status}
                onChange={(v) => set({ status: v })}
              />
            </Field>
            <Field
              label="Proposed at"
              description="RFC 3339, e.g. 2025-03-01T09:00:00Z; empty: now"
              {...field('proposedAt')}
            >
              <Input
                id="kaizen-proposed-at"
                width={28}
                placeholder="now"
                value={form.proposedAt}
                onChange={(e) => set({ proposedAt: e.currentTarget.value })}
              />
            </Field>
            <Field
              label="Deployed at"
              description="When the change went live: before and after meet here"
              {...field('deployedAt')}
            >
              <Input
                id="kaizen-deployed-at"
                width={28}
                placeholder="not yet"
                value={form.deployedAt}
                onChange={(e) => set({ deployedAt: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          <Stack gap={2} wrap="wrap">
            <Field label="Baseline (days)" description="Before the deployment" {...field('baselineDays')}>
              <Input
                id="kaizen-baseline-days"
                width={10}
                inputMode="decimal"
                value={form.baselineDays}
                onChange={(e) => set({ baselineDays: e.currentTarget.value })}
              />
            </Field>
            <Field label="Settling (days)" description="Left out right after it" {...field('settlingDays')}>
              <Input
                id="kaizen-settling-days"
                width={10}
                inputMode="decimal"
                value={form.settlingDays}
                onChange={(e) => set({ settlingDays: e.currentTarget.value })}
              />
            </Field>
            <Field label="After (days)" description="Compared with the baseline" {...field('afterDays')}>
              <Input
                id="kaizen-after-days"
                width={10}
                inputMode="decimal"
                value={form.afterDays}
                onChange={(e) => set({ afterDays: e.currentTarget.value })}
              />
            </Field>
            <Field
              label="Reviews (days after deployment)"
              description="Is the gain held? e.g. 30, 60, 90; none for no reviews"
              {...field('reviewDays')}
            >
              <Input
                id="kaizen-review-days"
                width={24}
                value={form.reviewDays}
                onChange={(e) => set({ reviewDays: e.currentTarget.value })}
              />
            </Field>
          </Stack>
        </FieldSet>
        {preview && (
          <div data-testid="kaizen-target-preview">
            <Text color="secondary" variant="bodySmall">
              Stored target query (what alert rules and the CLI run):
            </Text>
            <div className={styles.preview}>{JSON.stringify(preview)}</div>
          </div>
        )}
        <Stack gap={1}>
          <Button type="submit" icon="save" disabled={saving}>
            {editing ? 'Save event' : 'Create event'}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

interface FiltersProps {
  uid: string;
  queryType: string;
  dimensions: string[];
  filters: Record<string, string[]>;
  onChange: (filters: Record<string, string[]>) => void;
}

/** One picker per dimension of the target metric: the event targets one series, such as one service's MTTR. */
function TargetFilters({ uid, queryType, dimensions, filters, onChange }: FiltersProps) {
  const [values, setValues] = useState<Record<string, string[]>>({});
  const key = `${queryType}:${dimensions.join(',')}`;
  useEffect(() => {
    let cancelled = false;
    Promise.all(dimensions.map((d) => fetchDimensionValues(uid, queryType, d))).then((lists) => {
      if (!cancelled) {
        setValues(Object.fromEntries(dimensions.map((d, i) => [d, lists[i]])));
      }
    });
    return () => {
      cancelled = true;
    };
    // Reload when the metric's family or dimensions change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uid, key]);
  if (dimensions.length === 0) {
    return null;
  }
  return (
    <Stack gap={2} wrap="wrap">
      {dimensions
        .filter((d) => !d.includes('<'))
        .map((d) => (
          <Field key={d} label={d} description="Empty: every one">
            <MultiCombobox<string>
              id={`kaizen-filter-${d}`}
              width={26}
              createCustomValue
              placeholder="any"
              options={[...new Set([...(values[d] ?? []), ...(filters[d] ?? [])])].map((v) => ({ value: v, label: v }))}
              value={filters[d] ?? []}
              onChange={(v: Array<ComboboxOption<string>>) => {
                const next = { ...filters, [d]: v.map((x) => x.value) };
                if (next[d].length === 0) {
                  delete next[d];
                }
                onChange(next);
              }}
            />
          </Field>
        ))}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: theme.spacing(140) }),
  direction: css({ paddingTop: theme.spacing(0.75) }),
  preview: css({
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
  }),
});

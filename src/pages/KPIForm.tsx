import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
  TextArea,
  UnitPicker,
  useStyles2,
} from '@grafana/ui';

import { ApiError, type KPIDefinition, type KPIRecord } from './kpiApi';
import {
  EMPTY_FORM,
  FORM_FIELD,
  formFromDefinition,
  formToRecord,
  thresholdSentence,
  type FormErrors,
  type KPIForm,
} from './kpiModel';

interface Props {
  /** The current version when editing; undefined for a new KPI. */
  current?: KPIDefinition;
  /** Saves the record; a thrown ApiError naming a field is shown beside that field. */
  onSave: (record: KPIRecord) => Promise<void>;
  onCancel: () => void;
}

/** Creates a KPI, or edits one as a new version (the stored versions stay). */
export function KPIFormView({ current, onSave, onCancel }: Props) {
  const styles = useStyles2(getStyles);
  const [form, setForm] = useState<KPIForm>(current ? formFromDefinition(current) : EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const editing = current !== undefined;
  const set = (patch: Partial<KPIForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const { record, errors: readErrors } = formToRecord(form, current?.version);
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
        setErrors({ [field]: (err as Error).message.replace(/^KPI definition: [a-z_]+: /, '') });
      } else {
        setFailure(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  };

  const preview = previewSentence(form);
  const field = (key: keyof KPIForm) => ({ invalid: Boolean(errors[key]), error: errors[key] });

  return (
    <form onSubmit={submit} aria-label={editing ? `Edit ${current.id}` : 'New KPI'} className={styles.form}>
      <Stack direction="column" gap={1}>
        <Text element="h2" variant="h2">
          {editing ? `Edit ${current.name} (saves version ${current.version + 1})` : 'New KPI'}
        </Text>
        {failure && (
          <Alert title="The KPI was not saved" severity="error">
            {failure}
          </Alert>
        )}
        <FieldSet label="What is measured">
          <Field
            label="Id"
            description="Letters, digits, _ - . — used in queries and alert labels; it never changes"
            {...field('id')}
          >
            <Input
              id="kpi-id"
              value={form.id}
              disabled={editing}
              onChange={(e) => set({ id: e.currentTarget.value })}
            />
          </Field>
          <Field label="Name" {...field('name')}>
            <Input id="kpi-name" value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field label="Description" {...field('description')}>
            <TextArea
              id="kpi-description"
              rows={2}
              value={form.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
            />
          </Field>
          <Stack gap={2} wrap="wrap">
            <Field label="Unit" description="Grafana unit of the samples" {...field('unit')}>
              <UnitPicker
                id="kpi-unit"
                value={form.unit || undefined}
                onChange={(u) => set({ unit: u ?? '' })}
                width={30}
              />
            </Field>
            <Field label="Owner" {...field('owner')}>
              <Input
                id="kpi-owner"
                width={30}
                value={form.owner}
                onChange={(e) => set({ owner: e.currentTarget.value })}
              />
            </Field>
            <Field label="Indicator" {...field('indicator')}>
              <RadioButtonGroup<KPIForm['indicator']>
                options={[
                  { value: '', label: 'Not set' },
                  { value: 'leading', label: 'Leading' },
                  { value: 'lagging', label: 'Lagging' },
                ]}
                value={form.indicator}
                onChange={(v) => set({ indicator: v })}
              />
            </Field>
          </Stack>
        </FieldSet>
        <FieldSet label="Target and thresholds">
          <Field label="Direction" {...field('direction')}>
            <RadioButtonGroup<KPIForm['direction']>
              options={[
                { value: 'higher', label: 'Higher is better', icon: 'arrow-up' },
                { value: 'lower', label: 'Lower is better', icon: 'arrow-down' },
              ]}
              value={form.direction}
              onChange={(v) => set({ direction: v })}
            />
          </Field>
          <Stack gap={2} wrap="wrap">
            <Field label="Target" {...field('target')}>
              <Input
                id="kpi-target"
                width={18}
                inputMode="decimal"
                value={form.target}
                onChange={(e) => set({ target: e.currentTarget.value })}
              />
            </Field>
            <Field label="Warning" {...field('warning')}>
              <Input
                id="kpi-warning"
                width={18}
                inputMode="decimal"
                placeholder="none"
                value={form.warning}
                onChange={(e) => set({ warning: e.currentTarget.value })}
              />
            </Field>
            <Field label="Critical" {...field('critical')}>
              <Input
                id="kpi-critical"
                width={18}
                inputMode="decimal"
                placeholder="none"
                value={form.critical}
                onChange={(e) => set({ critical: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          {preview && (
            <div data-testid="kpi-threshold-preview">
              <Text color="secondary">{preview}</Text>
            </div>
          )}
        </FieldSet>
        <FieldSet label="Financial impact (optional)">
          <Stack gap={2} wrap="wrap">
            <Field
              label="Cost per unit"
              description="Financial impact = value × cost per unit"
              {...field('costPerUnit')}
            >
              <Input
                id="kpi-cost"
                width={18}
                inputMode="decimal"
                placeholder="none"
                value={form.costPerUnit}
                onChange={(e) => set({ costPerUnit: e.currentTarget.value })}
              />
            </Field>
            <Field label="Currency" description="ISO 4217, e.g. USD" {...field('currency')}>
              <Input
                id="kpi-currency"
                width={12}
                value={form.currency}
                onChange={(e) => set({ currency: e.currentTarget.value.toUpperCase() })}
              />
            </Field>
            <Field
              label="Prices incidents of service"
              description="Makes the cost per unit this service's cost per minute of customer impact (unit: minutes)"
              {...field('service')}
            >
              <Input
                id="kpi-service"
                width={30}
                placeholder="none"
                value={form.service}
                onChange={(e) => set({ service: e.currentTarget.value })}
              />
            </Field>
          </Stack>
        </FieldSet>
        {editing && (
          <FieldSet label="Version">
            <Stack gap={2} wrap="wrap">
              <Field
                label="Takes effect"
                description="RFC 3339, e.g. 2024-07-01T00:00:00Z; empty: now. Samples from then on are judged by this version."
                {...field('effectiveFrom')}
              >
                <Input
                  id="kpi-effective-from"
                  width={30}
                  placeholder="now"
                  value={form.effectiveFrom}
                  onChange={(e) => set({ effectiveFrom: e.currentTarget.value })}
                />
              </Field>
              <Field label="Status" {...field('status')}>
                <RadioButtonGroup<KPIForm['status']>
                  options={[
                    { value: 'active', label: 'Active' },
                    { value: 'retired', label: 'Retired' },
                  ]}
                  value={form.status}
                  onChange={(v) => set({ status: v })}
                />
              </Field>
            </Stack>
          </FieldSet>
        )}
        <Stack gap={1}>
          <Button type="submit" icon="save" disabled={saving}>
            {editing ? 'Save new version' : 'Create KPI'}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

/** The threshold sentence for what is typed so far, when the numbers read. */
function previewSentence(form: KPIForm): string | undefined {
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const target = num(form.target);
  const warning = num(form.warning);
  const critical = num(form.critical);
  if (target === null || [target, warning, critical].some((v) => v !== null && !Number.isFinite(v))) {
    return undefined;
  }
  return thresholdSentence({ direction: form.direction, target, warning, critical, unit: form.unit });
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: theme.spacing(120) }),
});

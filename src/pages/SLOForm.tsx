import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Combobox,
  Field,
  FieldSet,
  IconButton,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
  Switch,
  Text,
  TextArea,
  useStyles2,
  type ComboboxOption,
} from '@grafana/ui';

import type { SLODefinition } from './sloApi';
import {
  budgetSentence,
  EMPTY_FORM,
  formFromDefinition,
  formToDefinition,
  type FormErrors,
  type SLOForm,
} from './sloModel';

interface Props {
  /** The stored definition when editing; undefined for a new SLO. */
  current?: SLODefinition;
  onSave: (d: SLODefinition) => Promise<void>;
  onCancel: () => void;
}

const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4', 'sev5'];

/** Creates an SLO (or SLA), or changes one; the definition applies to the whole history. */
export function SLOFormView({ current, onSave, onCancel }: Props) {
  const styles = useStyles2(getStyles);
  const [form, setForm] = useState<SLOForm>(current ? formFromDefinition(current) : EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const editing = current !== undefined;
  const set = (patch: Partial<SLOForm>) => setForm((f) => ({ ...f, ...patch }));
  const field = (key: keyof FormErrors) => ({ invalid: Boolean(errors[key]), error: errors[key] });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const { definition, errors: found } = formToDefinition(form);
    setErrors(found);
    setFailure(undefined);
    if (!definition) {
      return;
    }
    setSaving(true);
    try {
      await onSave(definition);
    } catch (err: unknown) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const budget = budgetSentence(Number(form.objective), form.windowKind, form.window, form.calendar);
  const setTier = (i: number, patch: Partial<SLOForm['tiers'][number]>) =>
    set({ tiers: form.tiers.map((t, k) => (k === i ? { ...t, ...patch } : t)) });

  return (
    <form onSubmit={submit} aria-label={editing ? `Edit ${current.id}` : 'New SLO'} className={styles.form}>
      <Stack direction="column" gap={1}>
        <Text element="h2" variant="h2">
          {editing ? `Edit ${current.name}` : 'New SLO'}
        </Text>
        {editing && (
          <Text color="secondary">
            A change applies to the whole history: every query recomputes with the new definition. For a new contract,
            create a new SLO and retire this one.
          </Text>
        )}
        {failure && (
          <Alert title="The SLO was not saved" severity="error">
            {failure}
          </Alert>
        )}
        <FieldSet label="What is promised">
          <Stack gap={2} wrap="wrap">
            <Field label="Id" description="Names the samples and the queries; it never changes" {...field('id')}>
              <Input
                id="slo-id"
                width={36}
                value={form.id}
                disabled={editing}
                placeholder="checkout-availability"
                onChange={(e) => set({ id: e.currentTarget.value })}
              />
            </Field>
            <Field label="Name" {...field('name')}>
              <Input
                id="slo-name"
                width={40}
                value={form.name}
                onChange={(e) => set({ name: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          <Stack gap={2} wrap="wrap">
            <Field label="Service" {...field('service')}>
              <Input
                id="slo-service"
                width={30}
                value={form.service}
                onChange={(e) => set({ service: e.currentTarget.value })}
              />
            </Field>
            <Field label="Team">
              <Input
                id="slo-team"
                width={30}
                value={form.team}
                onChange={(e) => set({ team: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          <Field label="Description">
            <TextArea
              id="slo-description"
              rows={2}
              value={form.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
            />
          </Field>
          <Stack gap={2} wrap="wrap" alignItems="flex-start">
            <Field label="Objective (%)" description="Share of good events, e.g. 99.9" {...field('objective')}>
              <Input
                id="slo-objective"
                width={14}
                value={form.objective}
                onChange={(e) => set({ objective: e.currentTarget.value })}
              />
            </Field>
            <Field label="Window">
              <RadioButtonGroup<SLOForm['windowKind']>
                options={[
                  { value: 'rolling', label: 'Rolling' },
                  { value: 'calendar', label: 'Calendar' },
                ]}
                value={form.windowKind}
                onChange={(v) => set({ windowKind: v })}
              />
            </Field>
            {form.windowKind === 'rolling' ? (
              <Field label="Length" description="30d, 28d, 4w, 7d" {...field('window')}>
                <Input
                  id="slo-window"
                  width={12}
                  value={form.window}
                  onChange={(e) => set({ window: e.currentTarget.value })}
                />
              </Field>
            ) : (
              <Field label="Period" description="UTC">
                <Combobox<SLOForm['calendar']>
                  id="slo-calendar"
                  width={16}
                  options={[
                    { value: 'week', label: 'week' },
                    { value: 'month', label: 'month' },
                    { value: 'quarter', label: 'quarter' },
                  ]}
                  value={form.calendar}
                  onChange={(v) => set({ calendar: v.value })}
                />
              </Field>
            )}
          </Stack>
          {budget && (
            <Text color="secondary" data-testid="slo-budget-preview">
              {budget}
            </Text>
          )}
        </FieldSet>
        <FieldSet label="How it is measured">
          <Field label="SLI">
            <RadioButtonGroup<SLOForm['sli']>
              options={[
                { value: 'counts', label: 'Good and total events (SLI samples)' },
                { value: 'incidents', label: "Time outside the service's incidents" },
              ]}
              value={form.sli}
              onChange={(v) => set({ sli: v })}
            />
          </Field>
          {form.sli === 'incidents' ? (
            <Stack gap={2} wrap="wrap">
              <Field label="Severities that count" description="Empty: every incident of the service">
                <MultiCombobox<string>
                  id="slo-severities"
                  width={40}
                  createCustomValue
                  options={[...new Set([...SEVERITIES, ...form.severities])].map((s) => ({ value: s, label: s }))}
                  value={form.severities}
                  onChange={(v: Array<ComboboxOption<string>>) => set({ severities: v.map((x) => x.value) })}
                />
              </Field>
              <Field label="Downtime ends at">
                <RadioButtonGroup<SLOForm['incidentEnd']>
                  options={[
                    { value: 'resolved', label: 'resolution' },
                    { value: 'mitigated', label: 'mitigation' },
                  ]}
                  value={form.incidentEnd}
                  onChange={(v) => set({ incidentEnd: v })}
                />
              </Field>
            </Stack>
          ) : (
            <Text color="secondary">
              Send counts per interval to the data source (POST …/resources/ingest/sli), e.g.{' '}
              <code>
                {`{"slo":"${form.id || 'checkout-availability'}","at":"2026-01-01T10:00:00Z","duration":"1m","good":998,"total":1000}`}
              </code>
            </Text>
          )}
        </FieldSet>
        <FieldSet label="Contract (SLA)">
          <Field
            label="This SLO is an SLA"
            description="Compliance per calendar month or quarter, credits owed below tiers"
          >
            <Switch id="slo-sla" value={form.sla} onChange={(e) => set({ sla: e.currentTarget.checked })} />
          </Field>
          {form.sla && (
            <>
              <Stack gap={2} wrap="wrap">
                <Field label="Period">
                  <RadioButtonGroup<SLOForm['slaPeriod']>
                    options={[
                      { value: 'month', label: 'month' },
                      { value: 'quarter', label: 'quarter' },
                    ]}
                    value={form.slaPeriod}
                    onChange={(v) => set({ slaPeriod: v })}
                  />
                </Field>
                <Field label="Contract value per period" {...field('contractValue')}>
                  <Input
                    id="slo-contract"
                    width={16}
                    value={form.contractValue}
                    onChange={(e) => set({ contractValue: e.currentTarget.value })}
                  />
                </Field>
                <Field label="Currency" {...field('currency')}>
                  <Input
                    id="slo-currency"
                    width={10}
                    value={form.currency}
                    onChange={(e) => set({ currency: e.currentTarget.value })}
                  />
                </Field>
                <Field label="Penalty per breached period" {...field('penaltyPerBreach')}>
                  <Input
                    id="slo-per-breach"
                    width={16}
                    value={form.penaltyPerBreach}
                    onChange={(e) => set({ penaltyPerBreach: e.currentTarget.value })}
                  />
                </Field>
              </Stack>
              <Field
                label="Credit tiers"
                description="The lowest tier a period falls below applies"
                {...field('tiers')}
              >
                <Stack direction="column" gap={1}>
                  {form.tiers.map((t, i) => (
                    <Stack key={i} gap={1} alignItems="center">
                      <Text>below</Text>
                      <Input
                        id={`slo-tier-below-${i}`}
                        width={10}
                        value={t.below}
                        suffix="%"
                        onChange={(e) => setTier(i, { below: e.currentTarget.value })}
                      />
                      <Text>credit</Text>
                      <Input
                        id={`slo-tier-credit-${i}`}
                        width={10}
                        value={t.credit}
                        suffix="%"
                        onChange={(e) => setTier(i, { credit: e.currentTarget.value })}
                      />
                      <IconButton
                        name="trash-alt"
                        tooltip="Remove this tier"
                        onClick={() => set({ tiers: form.tiers.filter((_, k) => k !== i) })}
                      />
                    </Stack>
                  ))}
                  <div>
                    <Button
                      size="sm"
                      variant="secondary"
                      icon="plus"
                      type="button"
                      onClick={() => set({ tiers: [...form.tiers, { below: '', credit: '' }] })}
                    >
                      Add tier
                    </Button>
                  </div>
                </Stack>
              </Field>
            </>
          )}
        </FieldSet>
        <Stack gap={1}>
          <Button type="submit" disabled={saving}>
            {editing ? 'Save SLO' : 'Create SLO'}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({
    maxWidth: 960,
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    '& code': { wordBreak: 'break-all' },
  }),
});

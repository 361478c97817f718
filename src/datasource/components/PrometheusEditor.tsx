// Options of the prometheus query type: the PromQL expression, the legend format and the
// smallest step. The step itself follows the query's Bucket (auto: Grafana's rules;
// a duration: that step; none: an instant query). Mirrors pkg/models.PrometheusOptions.
import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Field, InlineField, InlineFieldRow, Input, Text, TextArea, useStyles2 } from '@grafana/ui';

import { legendLabels, stepError } from '../prometheus';
import type { PrometheusQueryOptions } from '../types';
import type { FamilyEditorProps } from './families';

const LABEL_WIDTH = 14;

export const EXAMPLE_EXPR =
  'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[$__rate_interval])))';

const getStyles = (theme: GrafanaTheme2) => ({
  expr: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    minHeight: theme.spacing(8),
  }),
  block: css({ marginBottom: theme.spacing(1), maxWidth: theme.spacing(120) }),
});

export function PrometheusEditor({ query, onChange }: FamilyEditorProps) {
  const opts: PrometheusQueryOptions = query.prometheus ?? {};
  const styles = useStyles2(getStyles);
  const set = (patch: Partial<PrometheusQueryOptions>) => onChange({ prometheus: { ...opts, ...patch } });
  return (
    <div data-testid="kaizen-prometheus-editor">
      <PrometheusFields idPrefix="kaizen-prometheus" opts={opts} set={set} styles={styles} />
      <Text color="secondary" variant="bodySmall">
        Step: the Bucket above (auto follows Grafana&apos;s Prometheus rules, at most 11,000 points per series; none
        runs an instant query at the end of the range). Group and filter in PromQL.
      </Text>
    </div>
  );
}

interface FieldsProps {
  idPrefix: string;
  opts: PrometheusQueryOptions;
  set: (patch: Partial<PrometheusQueryOptions>) => void;
  styles?: ReturnType<typeof getStyles>;
}

/** The PromQL fields, also used where a prometheus query is another query's source (spc). */
export function PrometheusFields({ idPrefix, opts, set, styles }: FieldsProps) {
  const own = useStyles2(getStyles);
  const s = styles ?? own;
  const [expr, setExpr] = useDraft(opts.expr ?? '');
  const [legend, setLegend] = useDraft(opts.legendFormat ?? '');
  const [step, setStep] = useDraft(opts.step ?? '');

  const stepProblem = stepError(step);
  const commitExpr = () => expr !== (opts.expr ?? '') && set({ expr });
  return (
    <>
      <Field
        className={s.block}
        label="PromQL"
        description="Runs on the data source's Prometheus over the dashboard's range. Shift+Enter runs it."
        invalid={expr.trim() === ''}
        error={expr.trim() === '' ? 'An expression is needed' : undefined}
      >
        <TextArea
          id={`${idPrefix}-expr`}
          className={s.expr}
          rows={3}
          placeholder={EXAMPLE_EXPR}
          value={expr}
          onChange={(e) => setExpr(e.currentTarget.value)}
          onBlur={commitExpr}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.shiftKey) {
              e.preventDefault();
              commitExpr();
            }
          }}
        />
      </Field>
      <InlineFieldRow>
        <InlineField
          label="Legend"
          labelWidth={LABEL_WIDTH}
          tooltip="Series names from their labels, such as {{service}} p95; empty: the metric name and labels"
        >
          <Input
            id={`${idPrefix}-legend`}
            width={30}
            placeholder="{{service}}"
            value={legend}
            onChange={(e) => setLegend(e.currentTarget.value)}
            onBlur={() => legend !== (opts.legendFormat ?? '') && set({ legendFormat: legend || undefined })}
          />
        </InlineField>
        <InlineField
          label="Min step"
          labelWidth={10}
          tooltip="The smallest step auto may choose; empty: the panel interval, at least the scrape interval"
          invalid={stepProblem !== undefined}
          error={stepProblem}
        >
          <Input
            id={`${idPrefix}-step`}
            width={12}
            placeholder="15s"
            value={step}
            onChange={(e) => setStep(e.currentTarget.value)}
            onBlur={() => !stepError(step) && step !== (opts.step ?? '') && set({ step: step.trim() || undefined })}
          />
        </InlineField>
        {legendLabels(legend).length > 0 && (
          <Text color="secondary" variant="bodySmall">
            labels: {legendLabels(legend).join(', ')}
          </Text>
        )}
      </InlineFieldRow>
    </>
  );
}

/** Text being typed, reset when the saved value changes elsewhere (a JSON edit, query history). */
function useDraft(saved: string): [string, (v: string) => void] {
  const [text, setText] = useState(saved);
  const [shown, setShown] = useState(saved);
  if (shown !== saved) {
    setShown(saved);
    setText(saved);
  }
  return [text, setText];
}

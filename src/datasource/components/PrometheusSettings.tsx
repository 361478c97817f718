// The optional Prometheus of the prometheus query type: its URL, basic auth or a bearer
// token (secrets in secureJsonData), the request timeout and the scrape interval.
// Mirrors the prometheus* fields of pkg/models.Settings.
import React, { type ChangeEvent, useState } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, Text } from '@grafana/ui';

import { stepError } from '../prometheus';
import type { KaizenOptions, KaizenSecureOptions } from '../types';
import { positiveInt } from './PostgresSettings';

type Props = DataSourcePluginOptionsEditorProps<KaizenOptions, KaizenSecureOptions>;

export type PrometheusAuth = 'none' | 'basic' | 'bearer';

const AUTH_OPTIONS: Array<{ value: PrometheusAuth; label: string }> = [
  { value: 'none', label: 'None' },
  { value: 'basic', label: 'Basic auth' },
  { value: 'bearer', label: 'Bearer token' },
];

/** The authentication the saved settings use. */
export function prometheusAuth(options: Props['options']): PrometheusAuth {
  const fields = options.secureJsonFields ?? {};
  const secure = options.secureJsonData ?? {};
  if (fields.prometheusToken || secure.prometheusToken) {
    return 'bearer';
  }
  if (options.jsonData.prometheusUser || fields.prometheusPassword || secure.prometheusPassword) {
    return 'basic';
  }
  return 'none';
}

/** What is wrong with a Prometheus URL as typed, or undefined (the backend says the same). */
export function prometheusUrlError(url: string): string | undefined {
  const u = url.trim();
  if (u === '') {
    return undefined;
  }
  if (!/^https?:\/\/[^/?#]+/.test(u)) {
    return 'Use http:// or https:// and a host, such as http://prometheus:9090';
  }
  if (/^https?:\/\/[^/]*@/.test(u)) {
    return 'Put credentials in the authentication fields below, not in the URL';
  }
  if (/\/api\/v1\/?$/.test(u)) {
    return "Give the server's base URL, without /api/v1";
  }
  return undefined;
}

export function PrometheusSettings({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = options.secureJsonData ?? {};
  const [auth, setAuth] = useState<PrometheusAuth>(prometheusAuth(options));
  const setJson = (patch: Partial<KaizenOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setSecret = (key: 'prometheusPassword' | 'prometheusToken', value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secure, [key]: value } });
  const resetSecret = (key: 'prometheusPassword' | 'prometheusToken') =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secure, [key]: '' },
    });

  // Only one method is kept: the backend refuses a user together with a token.
  const chooseAuth = (next: PrometheusAuth) => {
    setAuth(next);
    const jd = { ...jsonData };
    const sf = { ...secureJsonFields };
    const sd = { ...secure };
    if (next !== 'basic') {
      delete jd.prometheusUser;
      sf.prometheusPassword = false;
      sd.prometheusPassword = '';
    }
    if (next !== 'bearer') {
      sf.prometheusToken = false;
      sd.prometheusToken = '';
    }
    onOptionsChange({ ...options, jsonData: jd, secureJsonFields: sf, secureJsonData: sd });
  };

  const urlProblem = prometheusUrlError(jsonData.prometheusUrl ?? '');
  const scrapeProblem = stepError(jsonData.prometheusScrapeInterval ?? '');
  return (
    <FieldSet label="Prometheus (optional)">
      <Text color="secondary" element="p">
        Lets the prometheus query type run PromQL, so control charts, drift statistics and alert rules can use the
        metrics Prometheus already has. Save &amp; test evaluates 1+1 on it.
      </Text>
      <Field
        label="Prometheus URL"
        description="The server's base URL, as Grafana's backend reaches it."
        invalid={urlProblem !== undefined}
        error={urlProblem}
      >
        <Input
          id="kaizen-prom-url"
          width={60}
          placeholder="http://prometheus:9090"
          value={jsonData.prometheusUrl ?? ''}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ prometheusUrl: e.currentTarget.value })}
        />
      </Field>
      <Field label="Authentication">
        <RadioButtonGroup id="kaizen-prom-auth" options={AUTH_OPTIONS} value={auth} onChange={chooseAuth} />
      </Field>
      {auth === 'basic' && (
        <>
          <Field label="User">
            <Input
              id="kaizen-prom-user"
              width={40}
              value={jsonData.prometheusUser ?? ''}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ prometheusUser: e.currentTarget.value })}
            />
          </Field>
          <Field label="Password" description="Stored encrypted.">
            <SecretInput
              id="kaizen-prom-password"
              width={40}
              isConfigured={Boolean(secureJsonFields?.prometheusPassword)}
              value={secure.prometheusPassword ?? ''}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setSecret('prometheusPassword', e.currentTarget.value)}
              onReset={() => resetSecret('prometheusPassword')}
            />
          </Field>
        </>
      )}
      {auth === 'bearer' && (
        <Field label="Bearer token" description="Sent as Authorization: Bearer; stored encrypted.">
          <SecretInput
            id="kaizen-prom-token"
            width={60}
            isConfigured={Boolean(secureJsonFields?.prometheusToken)}
            value={secure.prometheusToken ?? ''}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setSecret('prometheusToken', e.currentTarget.value)}
            onReset={() => resetSecret('prometheusToken')}
          />
        </Field>
      )}
      <Field
        label="Timeout (seconds)"
        description="For one query; the query's dashboard or alert deadline also applies."
      >
        <Input
          id="kaizen-prom-timeout"
          type="number"
          min={1}
          width={20}
          placeholder="30"
          value={jsonData.prometheusTimeout ?? ''}
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            setJson({ prometheusTimeout: positiveInt(e.currentTarget.value) })
          }
        />
      </Field>
      <Field
        label="Scrape interval"
        description="Prometheus' scrape interval: the smallest automatic step, and the base of $__rate_interval."
        invalid={scrapeProblem !== undefined}
        error={scrapeProblem}
      >
        <Input
          id="kaizen-prom-scrape"
          width={20}
          placeholder="15s"
          value={jsonData.prometheusScrapeInterval ?? ''}
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            setJson({ prometheusScrapeInterval: e.currentTarget.value.trim() || undefined })
          }
        />
      </Field>
    </FieldSet>
  );
}

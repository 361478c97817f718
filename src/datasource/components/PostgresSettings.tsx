import React, { type ChangeEvent, useState } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, SecretTextArea, Text } from '@grafana/ui';

import type { KaizenOptions, KaizenSecureOptions, SSLMode } from '../types';

type Props = DataSourcePluginOptionsEditorProps<KaizenOptions, KaizenSecureOptions>;

/** Defaults of pkg/store/postgres, shown as placeholders: an empty field means the default. */
export const POSTGRES_DEFAULTS = {
  port: 5432,
  sslmode: 'require' as SSLMode,
  maxOpenConns: 10,
  maxIdleConns: 10,
  connMaxLifetime: 1800,
  connectTimeout: 10,
};

export const SSL_MODES: Array<{ value: SSLMode; label: string; description: string }> = [
  { value: 'disable', label: 'disable', description: 'No TLS: only on a trusted network' },
  { value: 'require', label: 'require', description: 'TLS; the certificate is checked only when a CA is given' },
  { value: 'verify-ca', label: 'verify-ca', description: 'TLS; the certificate must be signed by the CA' },
  {
    value: 'verify-full',
    label: 'verify-full',
    description: 'TLS; signed by the CA (or a system root) and issued for the host',
  },
];

type CAMethod = 'file' | 'content';

/** A whole positive number from a text field, or undefined (the default) when empty or not one. */
export function positiveInt(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function PostgresSettings({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = options.secureJsonData ?? {};
  const caConfigured = Boolean(secureJsonFields?.tlsCACert) || Boolean(secure.tlsCACert);
  const [caMethod, setCAMethod] = useState<CAMethod>(caConfigured ? 'content' : 'file');
  const sslmode = jsonData.sslmode ?? POSTGRES_DEFAULTS.sslmode;

  const setJson = (patch: Partial<KaizenOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const text = (key: 'host' | 'database' | 'user' | 'schema' | 'sslRootCertFile') => ({
    value: jsonData[key] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) => setJson({ [key]: e.currentTarget.value }),
  });
  const num = (key: keyof typeof POSTGRES_DEFAULTS & keyof KaizenOptions) => ({
    type: 'number',
    min: 1,
    placeholder: String(POSTGRES_DEFAULTS[key]),
    value: jsonData[key] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) => setJson({ [key]: positiveInt(e.currentTarget.value) }),
  });
  const resetSecret = (key: 'password' | 'tlsCACert', patch: Partial<KaizenOptions> = {}) =>
    onOptionsChange({
      ...options,
      jsonData: { ...jsonData, ...patch },
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secure, [key]: '' },
    });

  // Only one CA source is kept, so the one not shown never overrides the one shown.
  const chooseCAMethod = (m: CAMethod) => {
    setCAMethod(m);
    if (m === 'file' && caConfigured) {
      resetSecret('tlsCACert');
    } else if (m === 'content' && jsonData.sslRootCertFile) {
      setJson({ sslRootCertFile: undefined });
    }
  };

  return (
    <>
      <FieldSet label="PostgreSQL connection">
        <Field label="Host" required description="Name or address of the PostgreSQL server (or of Citus' coordinator).">
          <Input id="kaizen-pg-host" width={40} placeholder="db.example.internal" {...text('host')} />
        </Field>
        <Field label="Port">
          <Input id="kaizen-pg-port" width={20} {...num('port')} />
        </Field>
        <Field label="Database" required>
          <Input id="kaizen-pg-database" width={40} placeholder="kaizenops" {...text('database')} />
        </Field>
        <Field label="User" required>
          <Input id="kaizen-pg-user" width={40} placeholder="grafana_kaizen" {...text('user')} />
        </Field>
        <Field label="Password" description="Stored encrypted; never shown again, in health messages or in logs.">
          <SecretInput
            id="kaizen-pg-password"
            width={40}
            isConfigured={Boolean(secureJsonFields?.password)}
            value={secure.password ?? ''}
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange({ ...options, secureJsonData: { ...secure, password: e.currentTarget.value } })
            }
            onReset={() => resetSecret('password')}
          />
        </Field>
        <Field
          label="Schema"
          description="Where the store's tables live; created when missing. Empty: the user's default (public)."
        >
          <Input id="kaizen-pg-schema" width={40} placeholder="public" {...text('schema')} />
        </Field>
      </FieldSet>
      <FieldSet label="TLS">
        <Field label="TLS mode" description={SSL_MODES.find((m) => m.value === sslmode)?.description}>
          <RadioButtonGroup
            id="kaizen-pg-sslmode"
            options={SSL_MODES}
            value={sslmode}
            onChange={(v: SSLMode) => setJson({ sslmode: v })}
          />
        </Field>
        {sslmode !== 'disable' && (
          <>
            <Field
              label="CA certificate"
              description={
                sslmode === 'verify-ca'
                  ? 'Required for verify-ca.'
                  : 'Optional: the CA that signed the server certificate.'
              }
            >
              <RadioButtonGroup
                id="kaizen-pg-ca-method"
                options={[
                  { value: 'file', label: 'File path on the Grafana host' },
                  { value: 'content', label: 'Certificate content' },
                ]}
                value={caMethod}
                onChange={(m: CAMethod) => chooseCAMethod(m)}
              />
            </Field>
            {caMethod === 'file' ? (
              <Field label="CA certificate file">
                <Input
                  id="kaizen-pg-ca-file"
                  width={60}
                  placeholder="/etc/grafana/postgres-ca.pem"
                  {...text('sslRootCertFile')}
                />
              </Field>
            ) : (
              <Field label="CA certificate (PEM)" description="Stored encrypted.">
                <SecretTextArea
                  id="kaizen-pg-ca-content"
                  cols={64}
                  rows={6}
                  placeholder="-----BEGIN CERTIFICATE-----"
                  isConfigured={Boolean(secureJsonFields?.tlsCACert)}
                  value={secure.tlsCACert ?? ''}
                  onChange={(e: ChangeEvent<HTMLTextAreaElement>) =>
                    onOptionsChange({ ...options, secureJsonData: { ...secure, tlsCACert: e.currentTarget.value } })
                  }
                  onReset={() => resetSecret('tlsCACert')}
                />
              </Field>
            )}
          </>
        )}
      </FieldSet>
      <FieldSet label="Connection pool (per Grafana replica)">
        <Field label="Max open connections">
          <Input id="kaizen-pg-max-open" width={20} {...num('maxOpenConns')} />
        </Field>
        <Field label="Max idle connections" description="At most the open connections.">
          <Input id="kaizen-pg-max-idle" width={20} {...num('maxIdleConns')} />
        </Field>
        <Field
          label="Connection max lifetime (s)"
          description="Connections are recycled after this, so a failover rebalances them."
        >
          <Input id="kaizen-pg-lifetime" width={20} {...num('connMaxLifetime')} />
        </Field>
        <Field label="Connect timeout (s)">
          <Input id="kaizen-pg-connect-timeout" width={20} {...num('connectTimeout')} />
        </Field>
        <Text color="secondary">
          Several Grafana replicas can share this store: migrations and writes are coordinated with advisory locks.
        </Text>
      </FieldSet>
    </>
  );
}

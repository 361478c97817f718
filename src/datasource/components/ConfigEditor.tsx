import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, Text } from '@grafana/ui';

import type { KaizenOptions, KaizenSecureOptions, StoreType } from '../types';
import { PostgresSettings } from './PostgresSettings';
import { PrometheusSettings } from './PrometheusSettings';

type Props = DataSourcePluginOptionsEditorProps<KaizenOptions, KaizenSecureOptions>;

const MIB = 1 << 20;

const STORE_TYPES: Array<{ value: StoreType; label: string }> = [
  { value: 'sqlite', label: 'Embedded SQLite' },
  { value: 'postgres', label: 'PostgreSQL' },
];

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = options.secureJsonData ?? {};
  const store: StoreType = jsonData.store ?? 'sqlite';

  const setJson = (patch: Partial<KaizenOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <>
      <FieldSet label="Store">
        <Field
          label="Store type"
          description="Embedded SQLite for one Grafana; PostgreSQL for teams and for several Grafana replicas sharing one store."
        >
          <RadioButtonGroup
            id="kaizen-store-type"
            options={STORE_TYPES}
            value={store}
            onChange={(v: StoreType) => setJson({ store: v })}
          />
        </Field>
        {store === 'sqlite' && (
          <Field
            label="SQLite file"
            description="Where events are stored. Empty: kaizenops/kaizenops.db in Grafana's data directory."
          >
            <Input
              id="kaizen-store-path"
              width={60}
              placeholder="/var/lib/grafana/kaizenops/kaizenops.db"
              value={jsonData.path ?? ''}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ path: e.currentTarget.value })}
            />
          </Field>
        )}
      </FieldSet>
      {store === 'postgres' && <PostgresSettings options={options} onOptionsChange={onOptionsChange} />}
      <FieldSet label="Ingestion">
        <Field
          label="Ingest token"
          description="Lets senders without a Grafana Editor role (e.g. Alertmanager) write, with the X-Kaizen-Ingest-Token header. Stored encrypted."
        >
          <SecretInput
            id="kaizen-ingest-token"
            width={60}
            isConfigured={Boolean(secureJsonFields?.ingestToken)}
            value={secure.ingestToken ?? ''}
            placeholder="a long random string"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange({ ...options, secureJsonData: { ...secure, ingestToken: e.currentTarget.value } })
            }
            onReset={() =>
              onOptionsChange({
                ...options,
                secureJsonFields: { ...secureJsonFields, ingestToken: false },
                secureJsonData: { ...secure, ingestToken: '' },
              })
            }
          />
        </Field>
        <Field
          label="Largest ingest request (MiB)"
          description="Bigger payloads get 413; use `kaizen import` for backfills."
        >
          <Input
            id="kaizen-max-ingest"
            type="number"
            min={1}
            width={20}
            value={jsonData.maxIngestBytes ? jsonData.maxIngestBytes / MIB : 16}
            onChange={(e: ChangeEvent<HTMLInputElement>) => {
              const mib = Number(e.currentTarget.value);
              setJson({ maxIngestBytes: Number.isFinite(mib) && mib > 0 ? Math.round(mib * MIB) : undefined });
            }}
          />
        </Field>
        <Text color="secondary">
          Writes go to /api/datasources/uid/{options.uid || '<uid>'}/resources/ingest/&lt;kind&gt; and need the Editor
          role or the ingest token.
        </Text>
      </FieldSet>
      <PrometheusSettings options={options} onOptionsChange={onOptionsChange} />
    </>
  );
}

import React, { useMemo, useState } from 'react';
import { Combobox, InlineField, Text } from '@grafana/ui';

import { listKaizenDataSources, type KaizenDataSource } from './kpiApi';

/** The Kaizen Ops data source a page talks to: the default (or first) one, which the user may change. */
export function useKaizenDataSource(): {
  sources: KaizenDataSource[];
  uid?: string;
  setUid: (uid: string) => void;
} {
  const sources = useMemo(() => listKaizenDataSources(), []);
  const [uid, setUid] = useState<string | undefined>(sources[0]?.uid);
  return { sources, uid, setUid };
}

interface Props {
  sources: KaizenDataSource[];
  uid?: string;
  onChange: (uid: string) => void;
}

/** A picker when there are several data sources; the data source's name when there is one. */
export function DataSourceChooser({ sources, uid, onChange }: Props) {
  if (sources.length <= 1) {
    return sources.length === 1 ? <Text color="secondary">Data source: {sources[0].name}</Text> : null;
  }
  return (
    <InlineField label="Data source" labelWidth={14}>
      <Combobox<string>
        id="kaizen-page-datasource"
        width={32}
        options={sources.map((s) => ({ value: s.uid, label: s.name }))}
        value={uid}
        onChange={(v) => onChange(v.value)}
      />
    </InlineField>
  );
}

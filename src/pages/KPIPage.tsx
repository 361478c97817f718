import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Button,
  ConfirmModal,
  EmptyState,
  InlineSwitch,
  InteractiveTable,
  LoadingPlaceholder,
  Stack,
  Text,
  TextLink,
  type Column,
} from '@grafana/ui';
import { useSearchParams } from 'react-router-dom';

import { DirectionLabel, StatusBadge } from './CatalogPage';
import { DataSourceChooser, useKaizenDataSource } from './DataSourceChooser';
import { KPIFormView } from './KPIForm';
import { KPIHistory } from './KPIHistory';
import {
  createKPI,
  fetchKPIs,
  fetchKPIVersions,
  retireKPI,
  updateKPI,
  type KPIDefinition,
  type KPIRecord,
  type KPIWrite,
} from './kpiApi';
import { thresholdSentence } from './kpiModel';

/** Create, edit (each save is a new version) and retire KPI definitions. */
export function KPIPage() {
  const { sources, uid, setUid } = useKaizenDataSource();
  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <DataSourceChooser sources={sources} uid={uid} onChange={setUid} />
        {sources.length === 0 && (
          <EmptyState variant="call-to-action" message="No Kaizen Ops data source yet">
            <TextLink href="/connections/datasources/new">Add a Kaizen Ops metrics data source</TextLink>
          </EmptyState>
        )}
        {uid && <KPIManager key={uid} uid={uid} />}
      </Stack>
    </PluginPage>
  );
}

/** What a write did, in words. */
export function writeNotice(w: KPIWrite): string {
  switch (w.outcome) {
    case 'created':
      return `Created ${w.kpi.id} (version 1).`;
    case 'versioned':
      return `Saved ${w.kpi.id} as version ${w.kpi.version}; earlier samples keep the version that applied to them.`;
    case 'unchanged':
      return `Nothing changed: ${w.kpi.id} stays at version ${w.kpi.version}.`;
    case 'retired':
      return `Retired ${w.kpi.id} (version ${w.kpi.version}). Its samples and history stay; name it in a query to read them.`;
  }
}

function KPIManager({ uid }: { uid: string }) {
  const [params, setParams] = useSearchParams();
  const [kpis, setKPIs] = useState<KPIDefinition[] | undefined>();
  // The versions of the KPI open in the form or history, with the id they were read for.
  const [opened, setOpened] = useState<{ id: string; versions: KPIDefinition[] } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [showRetired, setShowRetired] = useState(false);
  const [retiring, setRetiring] = useState<KPIDefinition | undefined>();
  const editID = params.get('edit') ?? undefined;
  const historyID = params.get('history') ?? undefined;
  const creating = params.get('new') === '1';
  const openID = editID ?? historyID;

  const reload = useCallback(() => fetchKPIs(uid).then(setKPIs, (e: Error) => setError(e.message)), [uid]);
  useEffect(() => {
    reload();
  }, [reload]);
  useEffect(() => {
    if (openID) {
      fetchKPIVersions(uid, openID).then(
        (versions) => setOpened({ id: openID, versions }),
        (e: Error) => setError(e.message)
      );
    }
  }, [uid, openID, kpis]);
  const versions = opened && opened.id === openID ? opened.versions : undefined;

  const show = (next: Record<string, string>) => setParams(next);
  const done = async (w: KPIWrite) => {
    setNotice(writeNotice(w));
    setError(undefined);
    show({ history: w.kpi.id });
    await reload();
  };
  const save = async (record: KPIRecord) => done(await (creating ? createKPI(uid, record) : updateKPI(uid, record)));
  const retire = async (d: KPIDefinition) => {
    setRetiring(undefined);
    try {
      await done(await retireKPI(uid, d.id));
    } catch (e: unknown) {
      setError((e as Error).message);
    }
  };

  const visible = useMemo(() => (kpis ?? []).filter((d) => showRetired || d.status === 'active'), [kpis, showRetired]);
  const retiredCount = (kpis ?? []).filter((d) => d.status === 'retired').length;
  const current = versions?.[versions.length - 1];
  const columns = useMemo<Array<Column<KPIDefinition>>>(
    () => [
      {
        id: 'name',
        header: 'KPI',
        sortType: 'string',
        cell: ({ row: { original: d } }) => (
          <Stack direction="column" gap={0}>
            <Text weight="medium">{d.name}</Text>
            <Text color="secondary" variant="bodySmall">
              {d.id}
              {d.owner ? ` · owner ${d.owner}` : ''}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'direction',
        header: 'Direction',
        cell: ({ row: { original: d } }) => <DirectionLabel direction={d.direction} />,
      },
      { id: 'thresholds', header: 'Target and thresholds', cell: ({ row: { original: d } }) => thresholdSentence(d) },
      { id: 'version', header: 'Version', sortType: 'number', cell: ({ row: { original: d } }) => `v${d.version}` },
      { id: 'status', header: 'Status', cell: ({ row: { original: d } }) => <StatusBadge status={d.status} /> },
      {
        id: 'actions',
        header: '',
        disableGrow: true,
        cell: ({ row: { original: d } }) => (
          <Stack gap={1}>
            <Button
              size="sm"
              variant="secondary"
              icon="pen"
              onClick={() => show({ edit: d.id })}
              aria-label={`Edit ${d.id}`}
            >
              Edit
            </Button>
            <Button
              size="sm"
              variant="secondary"
              icon="history"
              onClick={() => show({ history: d.id })}
              aria-label={`History of ${d.id}`}
            >
              History
            </Button>
            {d.status === 'active' && (
              <Button
                size="sm"
                variant="destructive"
                fill="outline"
                icon="eye-slash"
                onClick={() => setRetiring(d)}
                aria-label={`Retire ${d.id}`}
              >
                Retire
              </Button>
            )}
          </Stack>
        ),
      },
    ],
    // show is a new function each render but only calls setParams.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    []
  );

  if (!kpis && !error) {
    return <LoadingPlaceholder text="Loading KPI definitions" />;
  }
  return (
    <Stack direction="column" gap={2}>
      {error && (
        <Alert title="The KPI catalog refused the request" onRemove={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {notice && <Alert title={notice} severity="success" onRemove={() => setNotice(undefined)} />}
      {creating && <KPIFormView onSave={save} onCancel={() => show({})} />}
      {editID && current && current.id === editID && (
        <KPIFormView
          key={`${current.id}@${current.version}`}
          current={current}
          onSave={save}
          onCancel={() => show({})}
        />
      )}
      {editID && versions && (
        <Stack direction="column" gap={1}>
          <Text element="h3" variant="h4">
            Versions so far
          </Text>
          <KPIHistory versions={versions} />
        </Stack>
      )}
      {historyID && versions && (
        <Stack direction="column" gap={1}>
          <Stack justifyContent="space-between" alignItems="center">
            <Text element="h2" variant="h3">
              Versions of {historyID}
            </Text>
            <Button variant="secondary" icon="times" onClick={() => show({})}>
              Close
            </Button>
          </Stack>
          <KPIHistory versions={versions} />
        </Stack>
      )}
      <Stack justifyContent="space-between" alignItems="center">
        <Button icon="plus" onClick={() => show({ new: '1' })}>
          New KPI
        </Button>
        <InlineSwitch
          id="kpi-show-retired"
          label={`Show retired (${retiredCount})`}
          showLabel
          value={showRetired}
          onChange={(e) => setShowRetired(e.currentTarget.checked)}
        />
      </Stack>
      {visible.length === 0 ? (
        <Text color="secondary">{kpis?.length ? 'Every KPI is retired.' : 'No KPI defined yet.'}</Text>
      ) : (
        <InteractiveTable columns={columns} data={visible} getRowId={(d) => d.id} />
      )}
      {retiring && (
        <ConfirmModal
          isOpen
          title={`Retire ${retiring.name}?`}
          body={`${retiring.id} leaves dashboards that list every active KPI and the stale audit. Its samples and its versions stay, queries that name it still read them, and editing it with status active brings it back.`}
          confirmText="Retire"
          icon="eye-slash"
          onConfirm={() => retire(retiring)}
          onDismiss={() => setRetiring(undefined)}
        />
      )}
    </Stack>
  );
}

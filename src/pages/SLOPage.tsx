import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  ConfirmModal,
  EmptyState,
  InlineField,
  InlineSwitch,
  InteractiveTable,
  LoadingPlaceholder,
  Stack,
  Text,
  TextLink,
  type Column,
} from '@grafana/ui';
import { useSearchParams } from 'react-router-dom';

import { DataSourceChooser, useKaizenDataSource } from './DataSourceChooser';
import {
  createSLO,
  deleteSLO,
  fetchSLOs,
  restoreSLO,
  retireSLO,
  updateSLO,
  type SLODefinition,
  type SLOWrite,
} from './sloApi';
import { SLOFormView } from './SLOForm';
import { budgetSentence, humanDuration, slaSentence } from './sloModel';

/** SLOs and SLAs: list, create, change, retire (and restore), delete retired ones. */
export function SLOPage() {
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
        {uid && <SLOManager key={uid} uid={uid} />}
      </Stack>
    </PluginPage>
  );
}

/** What a write did, in words. */
export function writeNotice(w: SLOWrite, id: string): string {
  switch (w.outcome) {
    case 'created':
      return `Created ${id}.`;
    case 'updated':
      return `Saved ${id}; queries now compute its whole history with this definition.`;
    case 'retired':
      return `Retired ${id}: queries leave it out (Include retired reads it). Its samples stay.`;
    case 'restored':
      return `Restored ${id}.`;
    case 'deleted':
      return `Deleted the definition of ${id}. Its samples stay; an SLO created with the same id finds them.`;
  }
}

/** "30d rolling" or "calendar month". */
function windowText(d: SLODefinition): string {
  return d.calendar ? `calendar ${d.calendar}` : `${d.window} rolling`;
}

/** How long ago the newest sample started: tells whether samples still arrive. */
export function sampleAge(d: SLODefinition, now: number): string {
  if (d.sli === 'incidents') {
    return 'from incidents';
  }
  if (!d.last_sample_at) {
    return 'no samples yet';
  }
  const age = (now - Date.parse(d.last_sample_at)) / 1000;
  return age < 60 ? 'just now' : `${humanDuration(age)} ago`;
}

function SLOManager({ uid }: { uid: string }) {
  const [params, setParams] = useSearchParams();
  const [slos, setSLOs] = useState<SLODefinition[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [showRetired, setShowRetired] = useState(false);
  const [confirm, setConfirm] = useState<{ action: 'retire' | 'delete'; slo: SLODefinition } | undefined>();
  const editID = params.get('edit') ?? undefined;
  const creating = params.get('new') === '1';

  const reload = useCallback(() => fetchSLOs(uid, true).then(setSLOs, (e: Error) => setError(e.message)), [uid]);
  useEffect(() => {
    reload();
  }, [reload]);

  const show = (next: Record<string, string>) => setParams(next);
  const run = async (id: string, op: () => Promise<SLOWrite>) => {
    try {
      const w = await op();
      setNotice(writeNotice(w, id));
      setError(undefined);
      show({});
      await reload();
    } catch (e: unknown) {
      setError((e as Error).message);
    }
  };
  // Saving lets a refusal through to the form, which shows it beside the fields.
  const save = async (d: SLODefinition) => {
    const w = await (creating ? createSLO(uid, d) : updateSLO(uid, d));
    setNotice(writeNotice(w, d.id));
    setError(undefined);
    show({});
    await reload();
  };

  const visible = useMemo(() => (slos ?? []).filter((d) => showRetired || !d.retired_at), [slos, showRetired]);
  const retiredCount = (slos ?? []).filter((d) => d.retired_at).length;
  const editing = editID ? slos?.find((d) => d.id === editID) : undefined;
  const columns = useMemo<Array<Column<SLODefinition>>>(
    () => [
      {
        id: 'name',
        header: 'SLO',
        sortType: 'string',
        cell: ({ row: { original: d } }) => (
          <Stack direction="column" gap={0}>
            <Text weight="medium">{d.name}</Text>
            <Text color="secondary" variant="bodySmall">
              {d.id}
              {d.service ? ` · ${d.service}` : ''}
              {d.team ? ` · ${d.team}` : ''}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'objective',
        header: 'Objective',
        cell: ({ row: { original: d } }) => (
          <Stack direction="column" gap={0}>
            <Text>
              {d.objective}% over {windowText(d)}
            </Text>
            <Text color="secondary" variant="bodySmall">
              {budgetSentence(d.objective, d.calendar ? 'calendar' : 'rolling', d.window ?? '', d.calendar ?? 'month')}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'sla',
        header: 'SLA',
        cell: ({ row: { original: d } }) => (d.sla ? slaSentence(d) : <Text color="secondary">none</Text>),
      },
      {
        id: 'samples',
        header: 'Latest sample',
        cell: ({ row: { original: d } }) => sampleAge(d, Date.now()),
      },
      {
        id: 'status',
        header: 'Status',
        cell: ({ row: { original: d } }) =>
          d.retired_at ? (
            <Badge color="orange" icon="eye-slash" text="Retired" />
          ) : (
            <Badge color="green" icon="check" text="Active" />
          ),
      },
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
            {d.retired_at ? (
              <>
                <Button
                  size="sm"
                  variant="secondary"
                  icon="history"
                  onClick={() => run(d.id, () => restoreSLO(uid, d.id))}
                  aria-label={`Restore ${d.id}`}
                >
                  Restore
                </Button>
                <Button
                  size="sm"
                  variant="destructive"
                  icon="trash-alt"
                  onClick={() => setConfirm({ action: 'delete', slo: d })}
                  aria-label={`Delete ${d.id}`}
                >
                  Delete
                </Button>
              </>
            ) : (
              <Button
                size="sm"
                variant="destructive"
                fill="outline"
                icon="eye-slash"
                onClick={() => setConfirm({ action: 'retire', slo: d })}
                aria-label={`Retire ${d.id}`}
              >
                Retire
              </Button>
            )}
          </Stack>
        ),
      },
    ],
    // show and run are new functions each render but only call setParams and the API.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [uid]
  );

  if (!slos && !error) {
    return <LoadingPlaceholder text="Loading SLOs" />;
  }
  return (
    <Stack direction="column" gap={2}>
      {error && (
        <Alert title="The SLO request was refused" onRemove={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {notice && <Alert title={notice} severity="success" onRemove={() => setNotice(undefined)} />}
      {creating && <SLOFormView onSave={save} onCancel={() => show({})} />}
      {editing && <SLOFormView key={editing.id} current={editing} onSave={save} onCancel={() => show({})} />}
      <Stack gap={2} alignItems="center">
        <Button icon="plus" onClick={() => show({ new: '1' })}>
          New SLO
        </Button>
        <InlineField label={`Show retired (${retiredCount})`} labelWidth={22}>
          <InlineSwitch
            id="slo-show-retired"
            value={showRetired}
            onChange={(e) => setShowRetired(e.currentTarget.checked)}
          />
        </InlineField>
      </Stack>
      {visible.length === 0 ? (
        <EmptyState variant="call-to-action" message="No SLO yet">
          <Text>
            Define one here, then send its SLI samples (good and total per interval) to the data source, or base it on
            the service&apos;s incidents.
          </Text>
        </EmptyState>
      ) : (
        <InteractiveTable columns={columns} data={visible} getRowId={(d) => d.id} />
      )}
      {confirm && (
        <ConfirmModal
          isOpen
          title={confirm.action === 'retire' ? `Retire ${confirm.slo.name}?` : `Delete ${confirm.slo.name}?`}
          body={
            confirm.action === 'retire'
              ? 'Queries leave a retired SLO out; its definition and samples stay, and it can be restored.'
              : 'The definition is deleted. Its samples stay in the store.'
          }
          confirmText={confirm.action === 'retire' ? 'Retire' : 'Delete'}
          onConfirm={() => {
            const { action, slo } = confirm;
            setConfirm(undefined);
            run(slo.id, () => (action === 'retire' ? retireSLO(uid, slo.id) : deleteSLO(uid, slo.id)));
          }}
          onDismiss={() => setConfirm(undefined)}
        />
      )}
    </Stack>
  );
}

import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
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

import { DataSourceChooser, useKaizenDataSource } from './DataSourceChooser';
import { KaizenDetail } from './KaizenDetail';
import { KaizenFormView } from './KaizenForm';
import {
  archiveEvent,
  createEvent,
  deleteEvent,
  fetchAnalysis,
  fetchBoard,
  restoreEvent,
  updateEvent,
  type BoardRow,
  type KaizenRecord,
  type KaizenWrite,
} from './kaizenApi';
import { changeSentence, day, formatP, neededSentence, stateLook, targetLabel, verdictLook } from './kaizenModel';
import { fetchCatalog, type CatalogEntry } from './kpiApi';

/** Kaizen events: the improvement backlog, whether each change worked, and whether it holds. */
export function KaizenPage() {
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
        {uid && <KaizenManager key={uid} uid={uid} />}
      </Stack>
    </PluginPage>
  );
}

/** What a write did, in words. */
export function writeNotice(w: KaizenWrite): string {
  switch (w.outcome) {
    case 'created':
      return `Created ${w.event.id}.`;
    case 'updated':
      return `Saved ${w.event.id} (revision ${w.event.revision}).`;
    case 'unchanged':
      return `Nothing changed: ${w.event.id} stays at revision ${w.event.revision}.`;
    case 'archived':
      return `Archived ${w.event.id}: it leaves lists and queries; everything about it is kept.`;
    case 'restored':
      return `Restored ${w.event.id}.`;
    case 'deleted':
      return `Deleted ${w.event.id} for good.`;
  }
}

type Confirm = { kind: 'archive' | 'delete'; row: BoardRow };

function KaizenManager({ uid }: { uid: string }) {
  const [params, setParams] = useSearchParams();
  const [rows, setRows] = useState<BoardRow[] | undefined>();
  const [catalog, setCatalog] = useState<CatalogEntry[] | undefined>();
  const [opened, setOpened] = useState<BoardRow | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [showArchived, setShowArchived] = useState(false);
  const [confirm, setConfirm] = useState<Confirm | undefined>();
  const editID = params.get('edit') ?? undefined;
  const detailID = params.get('event') ?? undefined;
  const creating = params.get('new') === '1';

  const reload = useCallback(
    () => fetchBoard(uid, showArchived).then(setRows, (e: Error) => setError(e.message)),
    [uid, showArchived]
  );
  useEffect(() => {
    reload();
  }, [reload]);
  useEffect(() => {
    if (creating || editID) {
      fetchCatalog(uid).then(setCatalog, (e: Error) => setError(e.message));
    }
  }, [uid, creating, editID]);
  useEffect(() => {
    if (detailID) {
      // The analysis shown stays until the new one arrives (after a save, the list reloads too).
      fetchAnalysis(uid, detailID).then(setOpened, (e: Error) => setError(e.message));
    }
  }, [uid, detailID, rows]);

  const show = (next: Record<string, string>) => setParams(next);
  const done = async (w: KaizenWrite, next: Record<string, string> = {}) => {
    setNotice(writeNotice(w));
    setError(undefined);
    show(next);
    await reload();
  };
  const save = async (record: KaizenRecord) =>
    done(await (creating ? createEvent(uid, record) : updateEvent(uid, record)), { event: record.id });
  const act = async (fn: () => Promise<KaizenWrite>) => {
    setConfirm(undefined);
    try {
      await done(await fn());
    } catch (e: unknown) {
      setError((e as Error).message);
    }
  };

  const editing = editID ? rows?.find((r) => r.event.id === editID)?.event : undefined;
  if (!rows && !error) {
    return <LoadingPlaceholder text="Loading kaizen events" />;
  }
  return (
    <Stack direction="column" gap={2}>
      {error && (
        <Alert title="The kaizen events request was refused" onRemove={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {notice && <Alert title={notice} severity="success" onRemove={() => setNotice(undefined)} />}
      {(creating || editID) && !catalog && <LoadingPlaceholder text="Loading the metric catalog" />}
      {creating && catalog && <KaizenFormView uid={uid} catalog={catalog} onSave={save} onCancel={() => show({})} />}
      {editID && catalog && editing && (
        <KaizenFormView
          key={`${editing.id}@${editing.revision}`}
          uid={uid}
          catalog={catalog}
          current={editing}
          onSave={save}
          onCancel={() => show({})}
        />
      )}
      {detailID && opened?.event.id !== detailID && <LoadingPlaceholder text={`Analysing ${detailID}`} />}
      {detailID && opened && opened.event.id === detailID && (
        <Stack direction="column" gap={1}>
          <KaizenDetail row={opened} />
          <div>
            <Button variant="secondary" icon="times" onClick={() => show({})}>
              Close
            </Button>
          </div>
        </Stack>
      )}
      <Stack justifyContent="space-between" alignItems="center">
        <Button icon="plus" onClick={() => show({ new: '1' })}>
          New kaizen event
        </Button>
        <InlineSwitch
          id="kaizen-show-archived"
          label="Show archived"
          showLabel
          value={showArchived}
          onChange={(e) => setShowArchived(e.currentTarget.checked)}
        />
      </Stack>
      {rows && rows.length === 0 ? (
        <EmptyState variant="call-to-action" message="No kaizen event yet">
          <Text color="secondary">
            A kaizen event names the metric an improvement should move and when it went live; the impact and
            sustainability queries then say whether it worked and whether it holds.
          </Text>
        </EmptyState>
      ) : (
        <KaizenBoard
          rows={rows ?? []}
          onAnalysis={(id) => show({ event: id })}
          onEdit={(id) => show({ edit: id })}
          onRestore={(id) => act(() => restoreEvent(uid, id))}
          onConfirm={setConfirm}
        />
      )}
      {confirm && (
        <ConfirmModal
          isOpen
          title={
            confirm.kind === 'archive'
              ? `Archive ${confirm.row.event.name}?`
              : `Delete ${confirm.row.event.name} for good?`
          }
          body={
            confirm.kind === 'archive'
              ? `${confirm.row.event.id} leaves the list, boards and alert rules that read every event. Everything about it is kept: restore it any time, or name it in a query.`
              : `${confirm.row.event.id} and its hypothesis, dates and windows are removed from the store. The target metric's data is not touched.`
          }
          confirmText={confirm.kind === 'archive' ? 'Archive' : 'Delete'}
          icon={confirm.kind === 'archive' ? 'eye-slash' : 'trash-alt'}
          onConfirm={() =>
            act(() =>
              confirm.kind === 'archive'
                ? archiveEvent(uid, confirm.row.event.id)
                : deleteEvent(uid, confirm.row.event.id)
            )
          }
          onDismiss={() => setConfirm(undefined)}
        />
      )}
    </Stack>
  );
}

interface BoardProps {
  rows: BoardRow[];
  onAnalysis: (id: string) => void;
  onEdit: (id: string) => void;
  onRestore: (id: string) => void;
  /** Archive and delete ask first. */
  onConfirm: (c: Confirm) => void;
}

/** The improvement board: every event, whether it worked, whether it holds, and what can be done with it. */
export function KaizenBoard({ rows, onAnalysis, onEdit, onRestore, onConfirm }: BoardProps) {
  const columns = useMemo<Array<Column<BoardRow>>>(
    () => [
      {
        id: 'name',
        header: 'Event',
        cell: ({ row: { original: r } }) => (
          <Stack direction="column" gap={0}>
            <Text weight="medium">{r.event.name}</Text>
            <Text color="secondary" variant="bodySmall">
              {r.event.id}
              {r.event.owner ? ` · owner ${r.event.owner}` : ''} · {r.event.status}
              {r.event.archived_at ? ' · archived' : ''}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'target',
        header: 'Target',
        cell: ({ row: { original: r } }) => (
          <Stack direction="column" gap={0}>
            <Text>{r.target ?? targetLabel(r.event.target)}</Text>
            <Text color="secondary" variant="bodySmall">
              {r.event.better} is better · deployed {day(r.event.deployed_at)}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'verdict',
        header: 'Did it work?',
        cell: ({ row: { original: r } }) => {
          const look = verdictLook(r);
          return (
            <Stack direction="column" gap={0.5} alignItems="flex-start">
              <Badge text={look.text} color={look.color} icon={look.icon} />
              <Text color="secondary" variant="bodySmall">
                {r.verdict === 'insufficient-data'
                  ? neededSentence(r.needed)
                  : r.measured
                    ? `${changeSentence(r)}, ${formatP(r.p_value)}`
                    : (r.error ?? '')}
              </Text>
            </Stack>
          );
        },
      },
      {
        id: 'reviews',
        header: 'Does it hold?',
        cell: ({ row: { original: r } }) =>
          r.reviews && r.reviews.length > 0 ? (
            <Stack gap={0.5} wrap="wrap">
              {r.reviews.map((rev) => {
                const look = stateLook(rev.state);
                return (
                  <Badge
                    key={rev.days}
                    text={
                      rev.state === 'pending'
                        ? `${rev.days}d due ${day(rev.date)}`
                        : `${rev.days}d ${look.text.toLowerCase()}`
                    }
                    color={look.color}
                    icon={look.icon}
                  />
                );
              })}
            </Stack>
          ) : (
            <Text color="secondary">{r.measured ? 'no reviews' : '—'}</Text>
          ),
      },
      {
        id: 'actions',
        header: '',
        disableGrow: true,
        cell: ({ row: { original: r } }) => (
          <Stack gap={1}>
            <Button
              size="sm"
              variant="secondary"
              icon="chart-line"
              onClick={() => onAnalysis(r.event.id)}
              aria-label={`Analysis of ${r.event.id}`}
            >
              Analysis
            </Button>
            {!r.event.archived_at && (
              <Button
                size="sm"
                variant="secondary"
                icon="pen"
                onClick={() => onEdit(r.event.id)}
                aria-label={`Edit ${r.event.id}`}
              >
                Edit
              </Button>
            )}
            {r.event.archived_at ? (
              <>
                <Button
                  size="sm"
                  variant="secondary"
                  icon="history"
                  onClick={() => onRestore(r.event.id)}
                  aria-label={`Restore ${r.event.id}`}
                >
                  Restore
                </Button>
                <Button
                  size="sm"
                  variant="destructive"
                  icon="trash-alt"
                  onClick={() => onConfirm({ kind: 'delete', row: r })}
                  aria-label={`Delete ${r.event.id}`}
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
                onClick={() => onConfirm({ kind: 'archive', row: r })}
                aria-label={`Archive ${r.event.id}`}
              >
                Archive
              </Button>
            )}
          </Stack>
        ),
      },
    ],
    // The callbacks only set the page's state and call the API.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    []
  );
  return <InteractiveTable columns={columns} data={rows} getRowId={(r) => r.event.id} />;
}

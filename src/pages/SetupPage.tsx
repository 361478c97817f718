import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  EmptyState,
  Icon,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  Text,
  TextLink,
  useStyles2,
  type IconName,
} from '@grafana/ui';

import { listKaizenDataSources } from './kpiApi';
import { loadSetup } from './setupApi';
import { driverLabel, kindRows, nextStep, totalRows, type KindState, type SourceSetup } from './setupModel';

const APP = '/a/kaizenops-suite-app';

/** Setup status: each Kaizen Ops data source's store health, what it holds, when it was last fed, what is configured. */
export function SetupPage() {
  const sources = useMemo(() => listKaizenDataSources(), []);
  const [setups, setSetups] = useState<{ list: SourceSetup[]; at: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    // Ages ("3 hours ago") are measured from when the answers came.
    loadSetup(sources).then(
      (list) => setSetups({ list, at: Date.now() }),
      (e: unknown) => setError(String(e))
    );
  }, [sources]);

  return (
    <PluginPage>
      {error && <Alert title="Could not check the data sources">{error}</Alert>}
      {!setups && !error && <LoadingPlaceholder text="Checking stores" />}
      {setups && <SetupView setups={setups.list} now={setups.at} />}
    </PluginPage>
  );
}

/** The page's content for given data; the harness renders it without a backend. */
export function SetupView({ setups, now }: { setups: SourceSetup[]; now: number }) {
  const styles = useStyles2(getStyles);
  return (
    <Stack direction="column" gap={3}>
      {setups.length === 0 && (
        <EmptyState variant="call-to-action" message="No Kaizen Ops data source yet" hideImage>
          <Text element="p">
            Add a Kaizen Ops metrics data source: it keeps events in an embedded SQLite file unless you point it at
            PostgreSQL. Then come back here to import data.
          </Text>
          <TextLink href="/connections/datasources/new">Add a Kaizen Ops metrics data source</TextLink>
        </EmptyState>
      )}
      {setups.map((s) => (
        <StoreSection key={s.uid} setup={s} now={now} />
      ))}
      <nav className={styles.links} aria-label="Kaizen Ops pages">
        <Text color="secondary">Go to</Text>
        <TextLink href={`${APP}/import`} icon="upload" inline={false}>
          Import data
        </TextLink>
        <TextLink href={`${APP}/catalog`} icon="book" inline={false}>
          Metric catalog
        </TextLink>
        <TextLink href={`${APP}/kpis`} icon="chart-line" inline={false}>
          KPIs
        </TextLink>
        <TextLink href={`${APP}/slos`} icon="shield" inline={false}>
          SLOs
        </TextLink>
        <TextLink href={`${APP}/kaizen`} icon="arrow-up" inline={false}>
          Kaizen events
        </TextLink>
        <TextLink href="/plugins/kaizenops-suite-app" icon="file-alt" inline={false}>
          Documentation
        </TextLink>
      </nav>
    </Stack>
  );
}

function StoreSection({ setup: s, now }: { setup: SourceSetup; now: number }) {
  const styles = useStyles2(getStyles);
  const total = totalRows(s);
  const next = nextStep(s);
  const schema = s.status?.schemaVersion ?? s.health.schemaVersion;
  // An unreachable store has no details: its health message still starts with the store's description.
  const driver = driverLabel(s.status?.storeType, s.status?.store ?? s.health.store ?? s.health.message);
  return (
    <section className={styles.section} aria-label={`Data source ${s.name}`}>
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
          <Text element="h2">{s.name}</Text>
          {s.health.ok ? (
            <Badge color="green" icon="check" text="Store OK" />
          ) : (
            <Badge color="red" icon="exclamation-triangle" text="Store error" />
          )}
          <LinkButton
            variant="secondary"
            size="sm"
            icon="cog"
            href={`/connections/datasources/edit/${encodeURIComponent(s.uid)}`}
          >
            Data source settings
          </LinkButton>
        </Stack>
        <div className={styles.stats}>
          <Stat label="Reachable" value={s.health.ok ? 'Yes' : 'No'} tone={s.health.ok ? 'ok' : 'bad'} />
          <Stat label="Driver" value={driver} />
          <Stat label="Schema version" value={schema === undefined ? '—' : String(schema)} />
          <Stat label="Events stored" value={total === undefined ? '—' : total.toLocaleString('en-US')} />
        </div>
        <Text element="p" color={s.health.ok ? 'secondary' : 'error'}>
          {s.health.message}
        </Text>
        {next && (
          <Alert
            severity={s.health.ok ? 'info' : 'error'}
            title={s.health.ok ? 'Next step' : 'The store does not answer'}
          >
            <Stack direction="column" gap={1}>
              <span>{withCommands(next)}</span>
              {s.health.ok && (
                <div>
                  <LinkButton icon="upload" href={`${APP}/import`}>
                    Import data
                  </LinkButton>
                </div>
              )}
            </Stack>
          </Alert>
        )}
        <Settings setup={s} />
        {s.status ? (
          <KindsTable setup={s} now={now} />
        ) : (
          s.health.ok && (
            <Text color="secondary">
              Counts and last ingest per kind are not available{s.statusError ? `: ${s.statusError}` : ''}.
            </Text>
          )
        )}
      </Stack>
    </section>
  );
}

/** Text with `commands` in backticks, the commands in bold (copied as typed). */
function withCommands(text: string) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <strong key={i}>{part}</strong> : part));
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: 'ok' | 'bad' }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stat} data-testid={`setup-stat-${label.toLowerCase().replace(/ /g, '-')}`}>
      <Text color="secondary">{label}</Text>
      <div className={tone === 'bad' ? styles.bad : tone === 'ok' ? styles.ok : styles.value}>
        {tone && <Icon name={tone === 'ok' ? 'check-circle' : 'times-circle'} size="xxl" />} {value}
      </div>
    </div>
  );
}

/** Which optional settings are filled in: the store's PostgreSQL, Prometheus, the ingest token. */
function Settings({ setup: s }: { setup: SourceSetup }) {
  const styles = useStyles2(getStyles);
  if (!s.status) {
    return null;
  }
  const c = s.status.settings;
  const items: Array<{ label: string; on: boolean; text: string }> = [
    {
      label: 'PostgreSQL',
      on: c.postgres,
      text: c.postgres
        ? `configured: the store is ${s.status.store}`
        : 'not configured: events are in the embedded SQLite file (fine for one Grafana; use PostgreSQL for several replicas)',
    },
    {
      label: 'Prometheus',
      on: c.prometheus,
      text: c.prometheus
        ? 'configured: the prometheus query type and control charts over PromQL are available'
        : 'not configured: optional, for control charts and drift over PromQL',
    },
    {
      label: 'Ingest token',
      on: c.ingestToken,
      text: c.ingestToken
        ? 'set: senders without a Grafana role (Alertmanager, CI) can write with it'
        : 'not set: only Editors and Admins can write',
    },
  ];
  return (
    <ul className={styles.settings} aria-label="Settings">
      {items.map((i) => (
        <li key={i.label}>
          <Icon name={i.on ? 'check-circle' : 'minus-circle'} className={i.on ? styles.okIcon : styles.offIcon} />
          <strong>{i.label}</strong> {i.text}
        </li>
      ))}
    </ul>
  );
}

const STATE_LOOK: Record<KindState, { icon: IconName; label: string }> = {
  fresh: { icon: 'check-circle', label: 'has data' },
  empty: { icon: 'circle', label: 'empty' },
  untracked: { icon: 'question-circle', label: 'has data' },
};

function KindsTable({ setup: s, now }: { setup: SourceSetup; now: number }) {
  const styles = useStyles2(getStyles);
  const rows = kindRows(s.status!.kinds, now);
  return (
    <table className={styles.table} aria-label="Events per kind">
      <thead>
        <tr>
          <th>Kind</th>
          <th className={styles.num}>Rows</th>
          <th>Last ingest</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.kind} data-testid={`setup-kind-${r.kind}`}>
            <td>
              <span className={r.state === 'empty' ? styles.emptyKind : undefined}>
                <Icon name={STATE_LOOK[r.state].icon} /> {r.kind}
              </span>
            </td>
            <td className={styles.num}>{r.count.toLocaleString('en-US')}</td>
            <td className={r.state === 'fresh' ? undefined : styles.muted}>{r.last}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const value = {
    fontSize: theme.typography.h2.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: 1.2,
  };
  return {
    section: css({
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(2, 3),
    }),
    stats: css({
      display: 'grid',
      gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
      gap: theme.spacing(2),
    }),
    stat: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
    value: css(value),
    ok: css({ ...value, color: theme.colors.success.text }),
    bad: css({ ...value, color: theme.colors.error.text }),
    settings: css({
      listStyle: 'none',
      margin: 0,
      padding: 0,
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.75),
      strong: { marginRight: theme.spacing(0.5) },
      svg: { marginRight: theme.spacing(1) },
    }),
    okIcon: css({ color: theme.colors.success.text }),
    offIcon: css({ color: theme.colors.text.secondary }),
    table: css({
      borderCollapse: 'collapse',
      maxWidth: theme.spacing(120),
      width: '100%',
      'th, td': {
        padding: theme.spacing(0.75, 1.5),
        borderBottom: `1px solid ${theme.colors.border.weak}`,
        textAlign: 'left',
      },
      th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    }),
    num: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums' }),
    muted: css({ color: theme.colors.text.secondary }),
    emptyKind: css({ color: theme.colors.text.secondary }),
    links: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1, 3) }),
  };
};

import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  EmptyState,
  FilterInput,
  Icon,
  InteractiveTable,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  Text,
  TextLink,
  useStyles2,
  type Column,
} from '@grafana/ui';

import { DataSourceChooser, useKaizenDataSource } from './DataSourceChooser';
import { fetchCatalog, fetchKPIs, KPI_PAGE_URL, type CatalogEntry, type KPIDefinition } from './kpiApi';
import { formatMoney, groupByFamily, searchCatalog, thresholdSentence } from './kpiModel';

/** The metric catalog: every built-in metric's standard definition, and the user's KPIs. */
export function CatalogPage() {
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
        {uid && <CatalogLoader key={uid} uid={uid} />}
      </Stack>
    </PluginPage>
  );
}

/** Loads one data source's catalog and KPIs; keyed by the data source, so a switch starts afresh. */
function CatalogLoader({ uid }: { uid: string }) {
  const [loaded, setLoaded] = useState<{ entries: CatalogEntry[]; kpis: KPIDefinition[] } | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    Promise.all([fetchCatalog(uid), fetchKPIs(uid)]).then(
      ([entries, kpis]) => !cancelled && setLoaded({ entries, kpis }),
      (e: Error) => !cancelled && setError(e.message)
    );
    return () => {
      cancelled = true;
    };
  }, [uid]);
  if (error) {
    return <Alert title="Could not load the catalog">{error}</Alert>;
  }
  if (!loaded) {
    return <LoadingPlaceholder text="Loading the catalog" />;
  }
  return <CatalogView entries={loaded.entries} kpis={loaded.kpis} />;
}

interface CatalogViewProps {
  entries: CatalogEntry[];
  kpis: KPIDefinition[];
}

/** The catalog's content: the built-in metrics by family, then the KPI definitions. */
export function CatalogView({ entries, kpis }: CatalogViewProps) {
  const [search, setSearch] = useState('');
  const styles = useStyles2(getStyles);
  const families = useMemo(() => groupByFamily(searchCatalog(entries, search)), [entries, search]);
  return (
    <Stack direction="column" gap={4}>
      <section aria-label="Built-in metrics">
        <Stack direction="column" gap={2}>
          <Text element="h2" variant="h3">
            Built-in metrics
          </Text>
          <Text color="secondary">
            One standard definition per metric: what a query of that type and metric computes, in which unit, summarized
            how by default, and where the definition comes from.
          </Text>
          <div className={styles.search}>
            <FilterInput placeholder="Search metrics, formulas, sources" value={search} onChange={setSearch} />
          </div>
          {families.length === 0 && <Text color="secondary">No metric matches “{search}”.</Text>}
          {families.map((g) => (
            <div key={g.family}>
              <Text element="h3" variant="h4">
                {g.family}
              </Text>
              <BuiltInTable entries={g.entries} />
            </div>
          ))}
        </Stack>
      </section>
      <section aria-label="KPI definitions">
        <Stack direction="column" gap={2}>
          <Stack justifyContent="space-between" alignItems="center">
            <Text element="h2" variant="h3">
              KPI definitions
            </Text>
            <LinkButton href={KPI_PAGE_URL} icon="pen" variant="secondary">
              Manage KPIs
            </LinkButton>
          </Stack>
          {kpis.length === 0 ? (
            <EmptyState variant="call-to-action" message="No KPI defined yet">
              <TextLink href={`${KPI_PAGE_URL}?new=1`}>Define a KPI</TextLink>
            </EmptyState>
          ) : (
            <KPICatalogTable kpis={kpis} />
          )}
        </Stack>
      </section>
    </Stack>
  );
}

/** "↓ lower is better" with an icon and words, never colour alone. */
export function DirectionLabel({ direction }: { direction?: string }) {
  if (direction !== 'lower' && direction !== 'higher') {
    return <Text color="secondary">—</Text>;
  }
  return (
    <span>
      <Icon name={direction === 'lower' ? 'arrow-down' : 'arrow-up'} /> {direction} is better
    </span>
  );
}

function BuiltInTable({ entries }: { entries: CatalogEntry[] }) {
  const styles = useStyles2(getStyles);
  const columns = useMemo<Array<Column<CatalogEntry>>>(
    () => [
      {
        id: 'name',
        header: 'Metric',
        cell: ({ row: { original: e } }) => (
          <div className={styles.nameCell}>
            <Text weight="medium">{e.name}</Text>
            <span className={styles.code}>
              {e.queryType} / {e.metric}
            </span>
            <Text color="secondary" variant="bodySmall">
              {e.description}
            </Text>
          </div>
        ),
      },
      {
        id: 'formula',
        header: 'Formula',
        cell: ({ row: { original: e } }) => <span className={styles.formula}>{e.formula}</span>,
      },
      {
        id: 'unit',
        header: 'Unit',
        cell: ({ row: { original: e } }) => <span className={styles.code}>{e.unit || '—'}</span>,
      },
      { id: 'defaultStat', header: 'Default stat', cell: ({ row: { original: e } }) => e.defaultStat || '—' },
      {
        id: 'direction',
        header: 'Direction',
        cell: ({ row: { original: e } }) => <DirectionLabel direction={e.direction} />,
      },
      {
        id: 'source',
        header: 'Source',
        cell: ({ row: { original: e } }) => (
          <Text color="secondary" variant="bodySmall">
            {e.source}
          </Text>
        ),
      },
    ],
    [styles]
  );
  return (
    <div className={styles.builtIn}>
      <InteractiveTable columns={columns} data={entries} getRowId={(e) => `${e.queryType}/${e.metric}`} />
    </div>
  );
}

function KPICatalogTable({ kpis }: { kpis: KPIDefinition[] }) {
  const styles = useStyles2(getStyles);
  const columns = useMemo<Array<Column<KPIDefinition>>>(
    () => [
      {
        id: 'name',
        header: 'KPI',
        sortType: 'string',
        cell: ({ row: { original: d } }) => (
          <div className={styles.nameCell}>
            <TextLink href={`${KPI_PAGE_URL}?edit=${encodeURIComponent(d.id)}`} inline={false}>
              {d.name}
            </TextLink>
            <span className={styles.code}>{d.id}</span>
            {d.description && (
              <Text color="secondary" variant="bodySmall">
                {d.description}
              </Text>
            )}
          </div>
        ),
      },
      { id: 'owner', header: 'Owner', sortType: 'string', cell: ({ row: { original: d } }) => d.owner || '—' },
      {
        id: 'target',
        header: 'Target and thresholds',
        cell: ({ row: { original: d } }) => <span className={styles.formula}>{thresholdSentence(d)}</span>,
      },
      { id: 'indicator', header: 'Indicator', cell: ({ row: { original: d } }) => d.indicator || '—' },
      {
        id: 'cost',
        header: 'Cost per unit',
        cell: ({ row: { original: d } }) =>
          d.cost_per_unit === null
            ? '—'
            : `${formatMoney(d.cost_per_unit, d.currency)}${d.service ? ` (prices ${d.service} incidents per minute)` : ''}`,
      },
      { id: 'version', header: 'Version', sortType: 'number', cell: ({ row: { original: d } }) => `v${d.version}` },
      { id: 'status', header: 'Status', cell: ({ row: { original: d } }) => <StatusBadge status={d.status} /> },
    ],
    [styles]
  );
  return <InteractiveTable columns={columns} data={kpis} getRowId={(d) => d.id} />;
}

export function StatusBadge({ status }: { status: KPIDefinition['status'] }) {
  return status === 'active' ? (
    <Badge color="green" icon="check" text="Active" />
  ) : (
    <Badge color="darkgrey" icon="eye-slash" text="Retired" />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  search: css({ maxWidth: theme.spacing(60) }),
  // Every family's table has the same columns: fixed widths keep them aligned down the page.
  builtIn: css({
    table: { tableLayout: 'fixed', width: '100%' },
    'th:nth-of-type(1)': { width: '30%' },
    'th:nth-of-type(2)': { width: '26%' },
    'th:nth-of-type(3)': { width: '9%' },
    'th:nth-of-type(4)': { width: '8%' },
    'th:nth-of-type(5)': { width: '11%' },
    'th:nth-of-type(6)': { width: '16%' },
    'td, th': { overflowWrap: 'anywhere' },
  }),
  nameCell: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25), minWidth: theme.spacing(28) }),
  code: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  formula: css({ fontSize: theme.typography.bodySmall.fontSize }),
});

import React, { useMemo } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { InteractiveTable, Text, type Column } from '@grafana/ui';

import { StatusBadge } from './CatalogPage';
import type { KPIDefinition } from './kpiApi';
import { formatMoney, formatValue, versionChanges } from './kpiModel';

/** When a version takes effect; version 1 by default covers every earlier sample. */
export function effectiveText(d: KPIDefinition): string {
  if (Date.parse(d.effective_from) <= 0) {
    return 'from the start';
  }
  return dateTimeFormat(d.effective_from, { timeZone: 'utc', format: 'YYYY-MM-DD HH:mm' }) + ' UTC';
}

/** Every version of a KPI, newest first: what judged the samples of each period. */
export function KPIHistory({ versions }: { versions: KPIDefinition[] }) {
  // Newest first, each with what it changed from the version before it.
  const rows = useMemo(
    () => versions.map((d, i) => ({ ...d, changes: versionChanges(versions[i - 1], d) })).reverse(),
    [versions]
  );
  const columns = useMemo<Array<Column<KPIDefinition & { changes: string[] }>>>(
    () => [
      { id: 'version', header: 'Version', cell: ({ row: { original: d } }) => `v${d.version}` },
      { id: 'changes', header: 'Changes', cell: ({ row: { original: d } }) => d.changes.join('; ') },
      { id: 'effective_from', header: 'In force', cell: ({ row: { original: d } }) => effectiveText(d) },
      { id: 'target', header: 'Target', cell: ({ row: { original: d } }) => formatValue(d.target, d.unit) },
      { id: 'warning', header: 'Warning', cell: ({ row: { original: d } }) => formatValue(d.warning, d.unit) },
      { id: 'critical', header: 'Critical', cell: ({ row: { original: d } }) => formatValue(d.critical, d.unit) },
      {
        id: 'cost',
        header: 'Cost per unit',
        cell: ({ row: { original: d } }) => formatMoney(d.cost_per_unit, d.currency),
      },
      { id: 'status', header: 'Status', cell: ({ row: { original: d } }) => <StatusBadge status={d.status} /> },
      {
        id: 'changed',
        header: 'Changed',
        cell: ({ row: { original: d } }) => (
          <Text color="secondary">
            {dateTimeFormat(d.created_at, { timeZone: 'utc', format: 'YYYY-MM-DD HH:mm' })} UTC by{' '}
            {d.changed_by || 'unknown'}
          </Text>
        ),
      },
    ],
    []
  );
  return <InteractiveTable columns={columns} data={rows} getRowId={(d) => String(d.version)} />;
}

import React, { useEffect, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, Card, EmptyState, LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';

import { loadStoreHealth, type StoreHealth } from './health';

/** Setup status: each Kaizen Ops data source, its store health, schema and event counts. */
export function SetupPage() {
  const [health, setHealth] = useState<StoreHealth[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    loadStoreHealth().then(setHealth, (e: unknown) => setError(String(e)));
  }, []);

  return (
    <PluginPage>
      {error && <Alert title="Could not list data sources">{error}</Alert>}
      {!health && !error && <LoadingPlaceholder text="Checking stores" />}
      {health && health.length === 0 && (
        <EmptyState variant="call-to-action" message="No Kaizen Ops data source yet">
          <TextLink href="/connections/datasources/new">Add a Kaizen Ops metrics data source</TextLink>
        </EmptyState>
      )}
      <Stack direction="column" gap={2}>
        {health?.map((h) => <StoreCard key={h.uid} health={h} />)}
      </Stack>
    </PluginPage>
  );
}

function StoreCard({ health }: { health: StoreHealth }) {
  const ok = health.status === 'OK';
  return (
    <Card>
      <Card.Heading>{health.name}</Card.Heading>
      <Card.Meta>{[`uid ${health.uid}`, health.schemaVersion ? `schema version ${health.schemaVersion}` : undefined]}</Card.Meta>
      <Card.Tags>
        <Badge color={ok ? 'green' : 'red'} icon={ok ? 'check' : 'exclamation-triangle'} text={ok ? 'Store OK' : 'Store error'} />
      </Card.Tags>
      <Card.Description>
        <Stack direction="column" gap={1}>
          <Text>{health.message}</Text>
          {health.counts && (
            <Text color="secondary">
              {Object.entries(health.counts)
                .map(([kind, n]) => `${n.toLocaleString()} ${kind}`)
                .join(' · ')}
            </Text>
          )}
        </Stack>
      </Card.Description>
    </Card>
  );
}

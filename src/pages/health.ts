import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';

export const DATASOURCE_ID = 'kaizenops-metrics-datasource';

export interface StoreHealth {
  uid: string;
  name: string;
  status: 'OK' | 'ERROR' | 'UNKNOWN';
  message: string;
  schemaVersion?: number;
  counts?: Record<string, number>;
}

interface HealthResponse {
  status: string;
  message: string;
  details?: { schemaVersion?: number; counts?: Record<string, number> };
}

/** Health of every Kaizen Ops data source instance, through Grafana's health API. */
export async function loadStoreHealth(): Promise<StoreHealth[]> {
  const instances = getDataSourceSrv().getList({ pluginId: DATASOURCE_ID });
  return Promise.all(
    instances.map(async (ds): Promise<StoreHealth> => {
      try {
        const h = await getBackendSrv().get<HealthResponse>(`/api/datasources/uid/${ds.uid}/health`, undefined, undefined, {
          showErrorAlert: false,
        });
        return {
          uid: ds.uid,
          name: ds.name,
          status: h.status === 'OK' ? 'OK' : 'ERROR',
          message: h.message,
          schemaVersion: h.details?.schemaVersion,
          counts: h.details?.counts,
        };
      } catch (e: unknown) {
        const message = (e as { data?: { message?: string } })?.data?.message ?? String(e);
        return { uid: ds.uid, name: ds.name, status: 'ERROR', message };
      }
    })
  );
}

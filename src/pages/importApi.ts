import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { CONTENT_TYPES, type ImportFormat, type IngestResult } from './importModel';
import { toApiError } from './setupApi';

/**
 * POST ingest/<kind>: the file's text with its format's Content-Type (and ?format=, which the
 * server reads first, in case a proxy rewrites the header). `source` fills records without one.
 */
export async function uploadFile(
  uid: string,
  kind: string,
  format: ImportFormat,
  text: string,
  source?: string
): Promise<IngestResult> {
  const params = new URLSearchParams({ format });
  if (source) {
    params.set('source', source);
  }
  const url = `/api/datasources/uid/${encodeURIComponent(uid)}/resources/ingest/${encodeURIComponent(kind)}?${params}`;
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<IngestResult>({
        method: 'POST',
        url,
        data: text,
        headers: { 'Content-Type': CONTENT_TYPES[format] },
        showErrorAlert: false,
      })
    );
    return res.data;
  } catch (e: unknown) {
    throw toApiError(e);
  }
}

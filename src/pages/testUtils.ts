import { of, throwError } from 'rxjs';

/** One recorded request to the data source's resources. */
export interface Call {
  method: string;
  path: string;
  data?: unknown;
}

type Reply = { status?: number; body: unknown };
type Route = (call: Call) => Reply | undefined;

/**
 * A stand-in for getBackendSrv().fetch: routes answer by resource path (without the
 * /api/datasources/uid/<uid>/resources/ prefix); a status of 400 or more is thrown as
 * Grafana's FetchError is, with the body as data.
 */
export function fakeBackend(route: Route) {
  const calls: Call[] = [];
  const fetch = jest.fn((req: { method: string; url: string; data?: unknown }) => {
    const m = /^\/api\/datasources\/uid\/([^/]+)\/resources\/(.*)$/.exec(req.url);
    const call: Call = {
      method: req.method,
      path: m ? `${decodeURIComponent(m[1])}:${m[2]}` : req.url,
      data: req.data,
    };
    calls.push(call);
    const reply = route(call) ?? { status: 404, body: { error: `no route for ${call.method} ${call.path}` } };
    if ((reply.status ?? 200) >= 400) {
      return throwError(() => ({ status: reply.status, data: reply.body }));
    }
    return of({ data: reply.body, status: reply.status ?? 200 });
  });
  return { fetch, calls };
}

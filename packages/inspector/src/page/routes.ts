/** The page's places, kept in the URL's hash so every view has a link and the back button works. */

export type Route =
  | { page: 'runs' }
  | { page: 'timeline'; instanceId: string; runId: string; from?: number; to?: number }
  | { page: 'entry'; instanceId: string; runId: string; seq: number }
  | { page: 'correlation'; instanceId: string; runId: string; key: string }
  | { page: 'markers'; instanceId: string; runId: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const parts = path
    .split('/')
    .filter((part) => part.length > 0)
    .map(decodeURIComponent);
  if (parts[0] !== 'run' || parts.length < 4) return { page: 'runs' };
  const [, instanceId = '', runId = '', view, argument] = parts;
  const numberParam = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  if (view === 'entry') return { page: 'entry', instanceId, runId, seq: Number(argument) };
  if (view === 'correlation') return { page: 'correlation', instanceId, runId, key: params.get('key') ?? '' };
  if (view === 'markers') return { page: 'markers', instanceId, runId };
  const from = numberParam('from');
  const to = numberParam('to');
  return { page: 'timeline', instanceId, runId, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

export function routeHash(route: Route): string {
  if (route.page === 'runs') return '#/';
  const base = `#/run/${encodeURIComponent(route.instanceId)}/${encodeURIComponent(route.runId)}`;
  switch (route.page) {
    case 'timeline':
      return `${base}/timeline${route.from === undefined ? '' : `?from=${route.from}&to=${route.to ?? route.from}`}`;
    case 'entry':
      return `${base}/entry/${route.seq}`;
    case 'correlation':
      return `${base}/correlation?key=${encodeURIComponent(route.key)}`;
    case 'markers':
      return `${base}/markers`;
  }
}

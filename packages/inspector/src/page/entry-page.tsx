/** One entry: its headers, index keys, decoded payload (bytes when no decoder reads it), hash and neighbours. */
import { ApiError, runApi } from './api.js';
import type { EntryJson } from './api-types.js';
import { formatNs } from './format.js';
import { type Route, routeHash } from './routes.js';
import { ErrorBox, Loading } from './status-views.js';
import { useApi } from './use-api.js';

type EntryRoute = Extract<Route, { page: 'entry' }>;

export function EntryPage({ route }: { route: EntryRoute }) {
  const loaded = useApi<EntryJson | null>(`${runApi(route.instanceId, route.runId)}/entries/${route.seq}`);
  if (loaded.state === 'loading') return <Loading what={`entry ${route.seq}`} />;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  const entry = loaded.data;
  if (entry === null) return <ErrorBox error={new ApiError('RUN_NOT_FOUND', `run ${route.runId} has no entry ${route.seq}`, 404)} />;
  const link = (seq: number) => routeHash({ page: 'entry', instanceId: route.instanceId, runId: route.runId, seq });
  const correlation = (key: string) => routeHash({ page: 'correlation', instanceId: route.instanceId, runId: route.runId, key });
  return (
    <div data-testid="entry-page" data-seq={entry.seq}>
      <h1>
        Entry {entry.seq} <span class="muted">of {entry.highWatermark.toLocaleString('en')}</span>
      </h1>
      <p class="toolbar">
        {entry.seq > 1 ? <a href={link(entry.seq - 1)}>◀ previous</a> : null}
        {entry.seq < entry.highWatermark ? <a href={link(entry.seq + 1)}>next ▶</a> : null}
        <a href={routeHash({ page: 'timeline', instanceId: route.instanceId, runId: route.runId })}>timeline</a>
      </p>
      <table class="fields">
        <tbody>
          <tr>
            <th>topic</th>
            <td data-testid="entry-topic">{entry.topic}</td>
          </tr>
          <tr>
            <th>payload type</th>
            <td data-testid="entry-payload-type">{entry.payloadType}</td>
          </tr>
          <tr>
            <th>ts_init</th>
            <td>
              {formatNs(entry.tsInit)} ({entry.tsInit})
            </td>
          </tr>
          <tr>
            <th>ts_publish</th>
            <td>
              {formatNs(entry.tsPublish)} ({entry.tsPublish})
            </td>
          </tr>
          <tr>
            <th>correlation id</th>
            <td>{entry.headers.correlationId ?? '–'}</td>
          </tr>
          <tr>
            <th>causation id</th>
            <td>{entry.headers.causationId ?? '–'}</td>
          </tr>
          <tr>
            <th>index keys</th>
            <td data-testid="entry-index-keys">
              {entry.indexKeys.length === 0
                ? '–'
                : entry.indexKeys.map(({ kind, key }) => (
                    <a key={`${kind}:${key}`} class="tag" href={correlation(key)}>
                      {kind}: {key}
                    </a>
                  ))}
            </td>
          </tr>
          <tr>
            <th>entry hash</th>
            <td class="hash" data-testid="entry-hash">
              {entry.entryHash}
            </td>
          </tr>
          <tr>
            <th>payload</th>
            <td>
              {entry.payloadBytes} bytes{entry.payload.decoded ? ', decoded' : ', no decoder reads it (base64)'}
            </td>
          </tr>
        </tbody>
      </table>
      <pre class="payload" data-testid="entry-payload" data-decoded={String(entry.payload.decoded)}>
        {entry.payload.decoded ? JSON.stringify(entry.payload.value, null, 2) : entry.payload.base64}
      </pre>
      <h2>Neighbours</h2>
      <table class="entries" data-testid="entry-neighbours">
        <tbody>
          {entry.neighbours.map((neighbour) => (
            <tr key={neighbour.seq} class={neighbour.seq === entry.seq ? 'current' : ''}>
              <td>
                <a href={link(neighbour.seq)}>{neighbour.seq}</a>
              </td>
              <td>{neighbour.topic}</td>
              <td>{neighbour.payloadType}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

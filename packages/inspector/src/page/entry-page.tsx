/** One entry: its headers, index keys, decoded payload (bytes when no decoder reads it), hash and neighbours. */
import type { ComponentChildren } from 'preact';
import { ApiError, runApi } from './api.js';
import type { EntryJson } from './api-types.js';
import { formatNs } from './format.js';
import { type Route, routeHash } from './routes.js';
import { ErrorBox, Loading } from './status-views.js';
import { useApi } from './use-api.js';

type EntryRoute = Extract<Route, { page: 'entry' }>;

/** One row of the entry's field table: its name, then its value. */
function Field({ label, testId, class: className, children }: { label: string; testId?: string; class?: string; children: ComponentChildren }) {
  return (
    <tr>
      <th>{label}</th>
      <td class={className} data-testid={testId}>
        {children}
      </td>
    </tr>
  );
}

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
          <Field label="topic" testId="entry-topic">
            {entry.topic}
          </Field>
          <Field label="payload type" testId="entry-payload-type">
            {entry.payloadType}
          </Field>
          <Field label="ts_init">
            {formatNs(entry.tsInit)} ({entry.tsInit})
          </Field>
          <Field label="ts_publish">
            {formatNs(entry.tsPublish)} ({entry.tsPublish})
          </Field>
          <Field label="correlation id">{entry.headers.correlationId ?? '–'}</Field>
          <Field label="causation id">{entry.headers.causationId ?? '–'}</Field>
          <Field label="index keys" testId="entry-index-keys">
            {entry.indexKeys.length === 0
              ? '–'
              : entry.indexKeys.map(({ kind, key }) => (
                  <a key={`${kind}:${key}`} class="tag" href={correlation(key)}>
                    {kind}: {key}
                  </a>
                ))}
          </Field>
          <Field label="entry hash" testId="entry-hash" class="hash">
            {entry.entryHash}
          </Field>
          <Field label="payload">
            {entry.payloadBytes} bytes{entry.payload.decoded ? ', decoded' : ', no decoder reads it (base64)'}
          </Field>
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

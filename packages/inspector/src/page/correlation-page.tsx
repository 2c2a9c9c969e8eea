/** One order's whole story: every entry that carries the id or is caused by one that does, as a list and a sequence diagram. */
import { query, runApi } from './api.js';
import type { CorrelationJson } from './api-types.js';
import { formatNs } from './format.js';
import { type Route, routeHash } from './routes.js';
import { SequenceDiagram } from './sequence-diagram.js';
import { ErrorBox, Loading } from './status-views.js';
import { TableHead } from './table-head.js';
import { useApi } from './use-api.js';

type CorrelationRoute = Extract<Route, { page: 'correlation' }>;

export function CorrelationPage({ route }: { route: CorrelationRoute }) {
  const loaded = useApi<CorrelationJson>(route.key === '' ? undefined : `${runApi(route.instanceId, route.runId)}/correlation${query({ key: route.key })}`);
  if (route.key === '') return <p>Type an order id (client or venue) in the search box.</p>;
  if (loaded.state === 'loading') return <Loading what={`the entries of ${route.key}`} />;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  const { entries } = loaded.data;
  const link = (seq: number) => routeHash({ page: 'entry', instanceId: route.instanceId, runId: route.runId, seq });
  return (
    <div data-testid="correlation-page">
      <h1>{route.key}</h1>
      {entries.length === 0 ? (
        <p data-testid="correlation-empty">No entry of this run carries or refers to {route.key}.</p>
      ) : (
        <>
          <p>
            {entries.length} entries{loaded.data.truncated ? ' (the first ones only: the key is carried by very many entries)' : ''}; “refers” entries do not
            name the id but were caused by an entry that does.
          </p>
          <table class="entries" data-testid="correlation-list">
            <TableHead columns={['seq', 'time (UTC)', '', 'from → to', 'topic', 'payload type']} />
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq} data-testid="correlation-row" data-seq={entry.seq}>
                  <td>
                    <a href={link(entry.seq)}>{entry.seq}</a>
                  </td>
                  <td>{formatNs(entry.tsInit)}</td>
                  <td>
                    <span class={`tag relation-${entry.relation}`}>{entry.relation}</span>
                  </td>
                  <td>
                    {entry.from} → {entry.to}
                  </td>
                  <td>{entry.topic}</td>
                  <td>{entry.payloadType}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Sequence</h2>
          <div class="scroll">
            <SequenceDiagram entries={entries} onOpen={(seq) => (location.hash = link(seq))} />
          </div>
        </>
      )}
    </div>
  );
}

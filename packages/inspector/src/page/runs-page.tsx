/**
 * The runs page: for every instance its lineage graph and one row per run (status, size, time
 * span, chain head, identity fields) with a button that runs the verifier in a child process.
 */
import { useState } from 'preact/hooks';
import { ApiError, postJson, runApi } from './api.js';
import type { ListedRunJson, ManifestJson, VerifyJson } from './api-types.js';
import { formatBytes, formatDuration, formatNs, shortHash } from './format.js';
import { LineageGraph } from './lineage-graph.js';
import { routeHash } from './routes.js';
import { ErrorBox, Loading } from './status-views.js';
import { TableHead } from './table-head.js';
import { useApi } from './use-api.js';

function VerifyButton({ instanceId, runId }: { instanceId: string; runId: string }) {
  const [state, setState] = useState<{ busy: boolean; result?: VerifyJson; error?: ApiError }>({ busy: false });
  const verify = () => {
    setState({ busy: true });
    postJson<VerifyJson>(`${runApi(instanceId, runId)}/verify`).then(
      (result) => setState({ busy: false, result }),
      (error: unknown) => setState({ busy: false, error: error instanceof ApiError ? error : new ApiError('BACKEND', String(error), 0) }),
    );
  };
  return (
    <div class="verify">
      <button type="button" onClick={verify} disabled={state.busy} data-testid="verify-button">
        {state.busy ? 'Verifying…' : 'Verify'}
      </button>
      {state.error === undefined ? null : <ErrorBox error={state.error} />}
      {state.result === undefined ? null : (
        <div class={`verdict verdict-${state.result.verdict}`} data-testid="verify-result">
          <strong>{state.result.verdict}</strong>
          {state.result.entriesScanned === undefined ? null : ` ${state.result.entriesScanned} entries scanned`}
          {state.result.unchecked !== undefined && state.result.unchecked.length > 0 ? ` (unchecked: ${state.result.unchecked.join(', ')})` : null}
          {state.result.markers === undefined ? null : ` markers ${state.result.markers.state}`}
          {state.result.error === undefined ? null : <div>{state.result.error}</div>}
          <ul>
            {state.result.findings.map((finding) => (
              <li key={finding}>{finding}</li>
            ))}
            {state.result.markers?.state === 'clean' ? null : state.result.markers?.lines.map((line) => <li key={line}>markers: {line}</li>)}
          </ul>
        </div>
      )}
    </div>
  );
}

function RunRow({ run, instanceId }: { run: ListedRunJson; instanceId: string }) {
  if (run.manifest.status === 'Incomplete') {
    return (
      <tr data-testid="run-row" data-run={run.manifest.runId}>
        <td>{run.manifest.runId}</td>
        <td>
          <span class="status status-Incomplete">Incomplete</span>
        </td>
        <td colSpan={6}>never fully created; kept at {run.manifest.location}</td>
      </tr>
    );
  }
  const manifest = run.manifest as ManifestJson;
  const sealed = manifest.status !== 'Running';
  const span = manifest.endTsInit === undefined ? undefined : Number(BigInt(manifest.endTsInit) - BigInt(manifest.startTsInit));
  return (
    <tr data-testid="run-row" data-run={manifest.runId} data-status={manifest.status}>
      <td>
        {sealed ? <a href={routeHash({ page: 'timeline', instanceId, runId: manifest.runId })}>{manifest.runId}</a> : manifest.runId}
        {run.hasMarkers ? <span class="tag">markers</span> : null}
      </td>
      <td>
        <span class={`status status-${manifest.status}`}>{manifest.status}</span>
      </td>
      <td data-testid="run-parent">{manifest.parentRunId ?? '–'}</td>
      <td class="number">
        {manifest.highWatermark.toLocaleString('en')} entries
        <br />
        {formatBytes(run.sizeBytes)}
      </td>
      <td>
        {formatNs(manifest.startTsInit)}
        <br />
        {manifest.endTsInit === undefined ? 'no end (not sealed)' : `${formatNs(manifest.endTsInit)} (${formatDuration(span ?? 0)})`}
      </td>
      <td title={manifest.chainHead ?? ''} class="hash">
        {shortHash(manifest.chainHead)}
      </td>
      <td class="identity">
        schema {manifest.schemaVersion}
        <br />
        binary {manifest.binaryHash || '–'}
        <br />
        config {manifest.configHash || '–'}
        {manifest.seed === undefined ? null : (
          <>
            <br />
            seed {manifest.seed}
          </>
        )}
      </td>
      <td>{sealed ? <VerifyButton instanceId={instanceId} runId={manifest.runId} /> : <span class="muted">recover it first</span>}</td>
    </tr>
  );
}

function InstanceRuns({ instanceId }: { instanceId: string }) {
  const loaded = useApi<ListedRunJson[]>(`/api/instances/${encodeURIComponent(instanceId)}/runs`);
  return (
    <section class="instance" data-testid="instance" data-instance={instanceId}>
      <h2>{instanceId}</h2>
      {loaded.state === 'loading' ? <Loading what="runs" /> : null}
      {loaded.state === 'failed' ? <ErrorBox error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        loaded.data.length === 0 ? (
          <p>No runs.</p>
        ) : (
          <>
            <LineageGraph runs={loaded.data} />
            <table class="runs">
              <TableHead columns={['run', 'status', 'parent', 'size', 'time span (UTC)', 'chain head', 'identity', '']} />
              <tbody>
                {loaded.data.map((run) => (
                  <RunRow key={run.manifest.runId} run={run} instanceId={instanceId} />
                ))}
              </tbody>
            </table>
          </>
        )
      ) : null}
    </section>
  );
}

export function RunsPage() {
  const loaded = useApi<string[]>('/api/instances');
  if (loaded.state === 'loading') return <Loading what="instances" />;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  if (loaded.data.length === 0) return <p>This store holds no runs.</p>;
  return (
    <div data-testid="runs-page">
      {loaded.data.map((instanceId) => (
        <InstanceRuns key={instanceId} instanceId={instanceId} />
      ))}
    </div>
  );
}

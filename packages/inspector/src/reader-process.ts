/**
 * The reader process of the inspector: the only place a run is opened. The server starts it as a
 * child (core dumps off), so a damaged run that makes LevelDB abort its reader takes this process
 * down, never the server; the server answers that page with a clear error and starts a new one.
 */
import { TapelogError } from '@tapelog/core';
import { queryCorrelation } from './reader/correlation-query.js';
import { queryEntry } from './reader/entry-query.js';
import { queryMarkers } from './reader/markers-query.js';
import { RunCatalog } from './reader/run-catalog.js';
import { type OverviewAnswer, queryTimeline, runSpan } from './reader/timeline-query.js';
import type { ReaderInit, ReaderReading, ReaderReply, ReaderRequest } from './reader-protocol.js';
import { parseStoreLocation } from './store-location.js';
import { LANES } from './topic-lanes.js';

let catalog: RunCatalog | undefined;

function text(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value.length === 0) throw new TapelogError('INVALID_ARGUMENT', `missing ${name}`);
  return value;
}

function number(params: Record<string, unknown>, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

async function answer(open: RunCatalog, request: ReaderRequest): Promise<unknown> {
  const { params } = request;
  if (request.method === 'instances') return open.listInstances();
  const instanceId = text(params, 'instanceId');
  if (request.method === 'runs') return open.listRuns(instanceId);
  const runId = text(params, 'runId');
  const run = await open.openRun(instanceId, runId);
  const { summary, store } = run;
  if (run.failure !== undefined) throw run.failure;
  // Only the overview and the timeline are answered while the summary fills; the rest wait for it.
  if (request.method !== 'overview' && request.method !== 'timeline') await run.ready;
  switch (request.method) {
    case 'overview':
      return {
        entries: summary.entries,
        walked: summary.walked,
        sampled: summary.sample?.read.size ?? 0,
        complete: summary.complete,
        originNs: summary.originNs,
        span: runSpan(summary),
        lanes: LANES,
        anchor: summary.anchor ?? null,
        manifest: run.manifest,
      } satisfies OverviewAnswer;
    case 'timeline':
      return queryTimeline(summary, {
        from: number(params, 'from', Number.NaN),
        to: number(params, 'to', Number.NaN),
        buckets: number(params, 'buckets', 200),
      });
    case 'entry':
      return (await queryEntry(summary, store, number(params, 'seq', 0))) ?? null;
    case 'correlate':
      return queryCorrelation(summary, store, text(params, 'key'));
    case 'markers':
      return queryMarkers(summary, open.markersCopyPath(instanceId, runId));
    default:
      throw new TapelogError('INVALID_ARGUMENT', `unknown reader method ${String(request.method)}`);
  }
}

function reply(message: ReaderReply): void {
  process.send?.(message);
}

process.on('message', (message: ReaderInit | ReaderRequest) => {
  if ('init' in message) {
    const reading = (instanceId: string, runId: string, done: boolean) => process.send?.({ reading: { instanceId, runId, done } } satisfies ReaderReading);
    catalog = new RunCatalog(parseStoreLocation(message.init.store), message.init.instances, message.init.copiesDirectory, reading);
    return;
  }
  const open = catalog;
  if (open === undefined) return reply({ id: message.id, ok: false, error: { code: 'INVALID_ARGUMENT', message: 'reader not initialised' } });
  answer(open, message).then(
    (result) => reply({ id: message.id, ok: true, result }),
    (error: unknown) =>
      reply({
        id: message.id,
        ok: false,
        error: { code: TapelogError.isInstance(error) ? error.code : 'BACKEND', message: error instanceof Error ? error.message : String(error) },
      }),
  );
});

// The server closing the channel (or dying) ends this process; the copies go with it.
process.on('disconnect', () => {
  void (catalog?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});

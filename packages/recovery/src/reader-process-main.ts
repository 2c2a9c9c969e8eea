/**
 * The child half of `runInReaderProcess`: rebuilds the provider from its module spec, runs one
 * job against it, sends the result (or the error) to the parent and exits.
 */
import type { EventStoreProvider } from '@tapelog/core';
import { type BackendModuleSpec, carryFailure, type ReaderJob, type ReaderMessage } from './reader-process.js';
import { recoverRun } from './recover-run.js';
import { probeRestoreSource } from './restore.js';

function send(message: ReaderMessage): Promise<void> {
  return new Promise((settle) => process.send!(message, undefined, {}, () => settle()));
}

async function runJob(provider: EventStoreProvider, job: ReaderJob): Promise<unknown> {
  const log = (line: string): void => void send({ log: line });
  switch (job.kind) {
    case 'recover-run': {
      const outcome = await recoverRun(provider, job.instanceId, job.runId, log);
      return 'skipped' in outcome ? { skipped: { ...outcome.skipped, error: carryFailure(outcome.skipped.error) } } : outcome;
    }
    case 'probe-restore':
      return probeRestoreSource(provider, job.instanceId, job.runId);
  }
}

process.once('message', async (request: { backend: BackendModuleSpec; job: ReaderJob }) => {
  try {
    const backend = (await import(request.backend.module)) as { createProvider(options: unknown): EventStoreProvider };
    const result = await runJob(backend.createProvider(request.backend.options), request.job);
    await send({ result });
  } catch (error) {
    await send({ failure: carryFailure(error) });
  }
  process.disconnect();
});

/**
 * The child process of the crash and sync-audit areas: builds the backend from its module,
 * opens a run and appends batches one after another, writing `ack <hwm>` to file descriptor 3
 * as each append resolves. It never closes the store: it is killed, or exits after `batches`.
 */
import { writeSync } from 'node:fs';
import type { EventStoreProvider } from '@tapelog/core';
import { clientOrderId, entry, manifest } from '../fixtures.js';

/** What the parent passes as the one command-line argument (JSON). */
export interface AppendChildRequest {
  module: string;
  options: unknown;
  instanceId: string;
  runId: string;
  batchSize: number;
  /** Batches to append before exiting without close; 0 appends until killed. */
  batches: number;
}

export const ACK_FD = 3;

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]!) as AppendChildRequest;
  const backend = (await import(request.module)) as { createProvider(options: unknown): EventStoreProvider };
  const provider = backend.createProvider(request.options);
  const store = await provider.openRun(manifest(request.runId, 0n, request.instanceId));
  writeSync(ACK_FD, 'open\n');
  let hwm = 0;
  for (let batch = 0; request.batches === 0 || batch < request.batches; batch++) {
    const entries = [];
    for (let seq = hwm + 1; seq <= hwm + request.batchSize; seq++) entries.push(entry(seq, BigInt(seq) * 10n, { keys: [clientOrderId(`O-${seq}`)] }));
    hwm = await store.appendBatch(entries);
    writeSync(ACK_FD, `ack ${hwm}\n`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`append child failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(70);
});

/** Test fixtures of the LMDB backend: a temporary base directory per test, runs of hash-valid entries. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppendEntry, buildAppendEntry, newManifest, type RunManifest } from '@tapelog/core';

export const INSTANCE = 'trader-001';

/** A fresh temporary directory; call the returned function to remove it. */
export function temporaryDirectory(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function manifestFor(runId: string): RunManifest {
  return newManifest({ runId, instanceId: INSTANCE, startTsInit: 1_700_000_000n });
}

/** Hash-valid entries `from..to`, each with a 64-byte payload. */
export function entriesFrom(from: number, to: number): AppendEntry[] {
  const payload = new Uint8Array(64).fill(9);
  return Array.from({ length: to - from + 1 }, (_, index) =>
    buildAppendEntry(
      { headers: {}, topic: 'events.order', payloadType: 'OrderFilled', payload, tsInit: BigInt(from + index), indexKeys: [] },
      from + index,
      BigInt(from + index),
    ),
  );
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the operation to fail, but it succeeded');
    },
    (error: unknown) => error as { code?: string; message: string },
  );
}

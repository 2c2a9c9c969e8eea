/**
 * Sync-audit area (persistent backends with `childProvider` and a `directory`; Linux with
 * strace): the child's system calls are traced, and every acknowledged append must have been
 * preceded by a completed fsync/fdatasync/sync_file_range/syncfs of a file under the backend's
 * directory. Nothing in-process can see a backend that never syncs; this can.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppendChild, straceUnavailable } from '../child/spawn-child.js';
import { auditSyncTrace, TRACED_CALLS } from '../child/sync-trace.js';
import { INSTANCE } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';
import { childAreasUnavailable, skipWithReason } from './crash.js';

const BATCHES = 6;

export function syncAuditArea(options: ConformanceOptions): void {
  defineArea(options, 'sync audit', 'Syncing', () => {
    defineCase(options, 'every acknowledged append was preceded by a sync of the run files (traced with strace)', async (context) => {
      const { expect, provider, options: suite } = context;
      const unavailable = childAreasUnavailable(context) ?? straceUnavailable();
      if (unavailable !== undefined) return skipWithReason(context, unavailable);
      const spec = suite.childProvider!(provider.inner);
      if (spec.directory === undefined) return skipWithReason(context, 'childProvider gave no directory: the backend keeps no local files for strace to watch');
      const traceDirectory = mkdtempSync(join(tmpdir(), 'tapelog-sync-audit-'));
      try {
        const traceFile = join(traceDirectory, 'trace');
        const child = startAppendChild(
          { module: spec.module, options: spec.options, instanceId: INSTANCE, runId: 'run-sync', batchSize: 3, batches: BATCHES },
          { traceFile, calls: TRACED_CALLS },
        );
        const { code, stderr } = await child.ended;
        expect(code, `the traced append child failed; stderr: ${stderr}`).toBe(0);
        const audit = auditSyncTrace(readFileSync(traceFile, 'utf8'), realpathSync(spec.directory));
        expect(audit.acks, 'the trace holds no acknowledgement writes; the audit could not run').toBe(BATCHES);
        expect(
          audit.unsynced,
          `appends acknowledged (hwm ${audit.unsynced.join(', ')}) without a completed sync of any file under ${spec.directory} since the previous acknowledgement (${audit.syncs} syncs seen in all): an append may resolve only after its rows are synced to disk`,
        ).toEqual([]);
      } finally {
        rmSync(traceDirectory, { recursive: true, force: true });
      }
    });
  });
}

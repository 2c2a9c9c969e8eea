/** Test hooks that damage a stored run directly in its tables, for the conformance damage area. */
import { backendError, type TamperHooks } from '@tapelog/core';
import type pg from 'pg';
import type { Tables } from './schema.js';

export function createTamperHooks(pool: pg.Pool, t: Tables, ready: () => Promise<void>): TamperHooks {
  const runKey = async (instanceId: string, runId: string): Promise<number> => {
    await ready();
    const { rows } = await pool.query(`SELECT id FROM ${t.runs} WHERE instance_id = $1 AND run_id = $2`, [instanceId, runId]);
    if (rows.length === 0) throw backendError(`tamper: no run ${instanceId}/${runId}`);
    return Number(rows[0].id);
  };
  return {
    async deleteEntry(instanceId, runId, seq) {
      await pool.query(`DELETE FROM ${t.entries} WHERE run = $1 AND seq = $2`, [await runKey(instanceId, runId), seq]);
    },
    async overwriteEntry(instanceId, runId, seq, bytes) {
      await pool.query(`UPDATE ${t.entries} SET entry = $3 WHERE run = $1 AND seq = $2`, [await runKey(instanceId, runId), seq, Buffer.from(bytes)]);
    },
    async overwriteAnchor(instanceId, runId, bytes) {
      await pool.query(`UPDATE ${t.anchors} SET anchor = $2 WHERE run = $1`, [await runKey(instanceId, runId), Buffer.from(bytes)]);
    },
    async deleteManifest(instanceId, runId) {
      await pool.query(`UPDATE ${t.runs} SET manifest = NULL WHERE id = $1`, [await runKey(instanceId, runId)]);
    },
    async setFormatMarker(instanceId, runId, version) {
      await pool.query(`UPDATE ${t.runs} SET store_format = $2 WHERE id = $1`, [await runKey(instanceId, runId), version ?? null]);
    },
  };
}

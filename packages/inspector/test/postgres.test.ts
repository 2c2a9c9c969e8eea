/**
 * The inspector over a PostgreSQL store (the real server the test setup starts, or TAPELOG_PG_URL):
 * the runs list, the first answers drawn from the sample, then the exact timeline, an entry and
 * an order's story once the run is read.
 */
import { randomBytes } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import { createProvider } from '@tapelog/backend-postgres';
import { buildAppendEntry, INDEX_KIND_CLIENT_ORDER_ID, newManifest, RUN_STARTED_PAYLOAD_TYPE } from '@tapelog/core';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
// The built package, as the CLI runs it: its child-process scripts and page assets live in dist.
import { type Inspector, startInspector } from '../dist/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const INSTANCE = 'pg-kernel-001';
const RUN_ID = '1704067200000000000-0000pg01';
const ENTRIES = 3000;
const ORIGIN_NS = 1_704_067_200_000_000_000n;
const schema = `inspect_${randomBytes(6).toString('hex')}`;
let inspector: Inspector;

beforeAll(async () => {
  const provider = createProvider({ connectionString: inject('postgresUrl'), schema }, { warn: () => undefined });
  const store = await provider.openRun(newManifest({ runId: RUN_ID, instanceId: INSTANCE, startTsInit: ORIGIN_NS }));
  const entries = [];
  for (let seq = 1; seq <= ENTRIES; seq += 1) {
    const tsInit = ORIGIN_NS + BigInt(seq) * 1_000_000n;
    const draft =
      seq === 1
        ? { topic: 'run.lifecycle.RunStarted', payloadType: RUN_STARTED_PAYLOAD_TYPE, payload: encode({ actors: {}, strategies: {} }), indexKeys: [] }
        : seq % 3 === 0
          ? {
              topic: 'RiskEngine.execute',
              payloadType: 'SubmitOrder',
              payload: encode({ commandId: `c-${seq}`, clientOrderId: `O-${seq}` }),
              indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: `O-${seq}` }],
            }
          : { topic: 'ExecEngine.process', payloadType: 'OrderAccepted', payload: encode({ clientOrderId: `O-${seq - (seq % 3)}` }), indexKeys: [] };
    entries.push(buildAppendEntry({ headers: {}, tsInit, ...draft }, seq, tsInit));
  }
  await store.appendBatch(entries);
  await store.seal('Ended');
  await store.close();
  await provider.close();
  const url = new URL(inject('postgresUrl'));
  url.searchParams.set('schema', schema);
  inspector = await startInspector({ store: url.toString(), instances: [INSTANCE] });
});

afterAll(async () => {
  await inspector?.close();
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${inspector.port}${path}`, { headers: { authorization: `Bearer ${inspector.token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

const runApi = (rest: string) => `/api/runs/${INSTANCE}/${RUN_ID}/${rest}`;

interface Overview {
  entries: number;
  walked: number;
  sampled: number;
  complete: boolean;
  span: { from: number; to: number };
}

test('the runs of a PostgreSQL store are listed with their status', async () => {
  const { status, body } = await api<Array<{ manifest: { runId: string; status: string } }>>(`/api/instances/${INSTANCE}/runs`);
  expect(status).toBe(200);
  expect(body.map((run) => [run.manifest.runId, run.manifest.status])).toEqual([[RUN_ID, 'Ended']]);
});

test('a PostgreSQL run is sampled across, then read whole: exact timeline, an entry, an order story', async () => {
  const first = await api<Overview>(runApi('overview'));
  expect(first.status).toBe(200);
  expect(first.body.entries).toBe(ENTRIES);
  expect(first.body.sampled).toBeGreaterThan(0);
  expect(first.body.sampled).toBeLessThan(ENTRIES);
  // From the first answer on, the span is the whole run's (the sample read its last entry).
  expect(first.body.span).toEqual({ from: 0, to: (ENTRIES - 1) * 1_000_000 });
  let overview = first.body;
  while (!overview.complete) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    overview = (await api<Overview>(runApi('overview'))).body;
  }
  const whole = (await api<{ counts: number[][]; total: number; estimated: boolean }>(runApi('timeline?buckets=30'))).body;
  expect(whole.estimated).toBe(false);
  expect(whole.total).toBe(ENTRIES);
  expect(whole.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(ENTRIES);
  const entry = (await api<{ payloadType: string; payload: { value: { clientOrderId: string } } }>(runApi('entries/9'))).body;
  expect(entry.payloadType).toBe('SubmitOrder');
  expect(entry.payload.value.clientOrderId).toBe('O-9');
  const story = (await api<{ entries: Array<{ seq: number }> }>(runApi('correlation?key=O-9'))).body;
  expect(story.entries.map((item) => item.seq)).toEqual([9, 10, 11]);
});

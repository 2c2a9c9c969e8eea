/**
 * The inspector's HTTP API over a store the kernel app wrote (a crashed run and the run that
 * recovered it): the token is required, answers are right, a damaged run fails its own pages with
 * CORRUPTED while the server goes on, and a round of browsing leaves every file of the store as it was.
 */
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-level';
import { buildAppendEntry, newManifest } from '@tapelog/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The built package, as the CLI runs it: its child-process scripts and page assets live in dist.
import { type Inspector, startInspector } from '../dist/index.js';
import { makeDamagedRun } from './fixtures/damaged-run.js';
import { fingerprintTree, INSTANCE, type KernelStore, makeKernelStore } from './fixtures/kernel-store.js';

const DAMAGED_INSTANCE = 'damaged-001';
const DAMAGED_RUN = '1000-damaged0';
let store: KernelStore;
let inspector: Inspector;
let before: Record<string, string>;

beforeAll(async () => {
  store = makeKernelStore();
  await makeDamagedRun(store.baseDir, DAMAGED_INSTANCE, DAMAGED_RUN);
  before = fingerprintTree(store.baseDir);
  inspector = await startInspector({ store: store.baseDir });
});

afterAll(async () => {
  await inspector?.close();
  if (store !== undefined) rmSync(store.baseDir, { recursive: true, force: true });
});

function origin(): string {
  return `http://127.0.0.1:${inspector.port}`;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${origin()}${path}`, { ...init, headers: { authorization: `Bearer ${inspector.token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

function runApi(runId: string, rest: string, instanceId = INSTANCE): string {
  return `/api/runs/${instanceId}/${runId}/${rest}`;
}

/** The run's overview once the reader has read all of it (it answers with what it has read meanwhile), or the error that stopped it. */
async function overviewWhenRead(
  runId: string,
  instanceId = INSTANCE,
): Promise<{ status: number; body: { entries: number; complete: boolean; error?: { code: string; message: string } } }> {
  for (;;) {
    const answer = await api<{ entries: number; complete: boolean; error?: { code: string; message: string } }>(runApi(runId, 'overview', instanceId));
    if (answer.status !== 200 || answer.body.complete) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('access', () => {
  test('a request without the token, or with a wrong one, gets 401', async () => {
    expect((await fetch(`${origin()}/api/instances`)).status).toBe(401);
    expect((await fetch(`${origin()}/`)).status).toBe(401);
    expect((await fetch(`${origin()}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${origin()}/api/instances`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  test('the printed URL sets a cookie that later requests carry', async () => {
    const page = await fetch(inspector.url);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect((await fetch(`${origin()}/assets/app.js`, { headers: { cookie } })).status).toBe(200);
  });

  test('the server listens on 127.0.0.1 only and refuses other host names', async () => {
    expect(inspector.url.startsWith('http://127.0.0.1:')).toBe(true);
    // fetch() will not send another Host header; node:http will.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const sent = request(
        { host: '127.0.0.1', port: inspector.port, path: '/api/instances', headers: { authorization: `Bearer ${inspector.token}`, host: 'evil.example' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      sent.on('error', reject);
      sent.end();
    });
    expect(status).toBe(421);
  });
});

describe('answers', () => {
  test('runs: the crashed run is CrashedRecovered and the parent of the run that recovered it', async () => {
    const { body } = await api<Array<{ manifest: { runId: string; status: string; parentRunId?: string } }>>(`/api/instances/${INSTANCE}/runs`);
    const byId = new Map(body.map((run) => [run.manifest.runId, run.manifest]));
    expect(byId.get(store.crashedRunId)?.status).toBe('CrashedRecovered');
    expect(byId.get(store.recoveredRunId)?.status).toBe('Ended');
    expect(byId.get(store.recoveredRunId)?.parentRunId).toBe(store.crashedRunId);
  });

  test('timeline: the counts of the whole run add up to its entries, and a narrow window lists them', async () => {
    const overview = (await overviewWhenRead(store.recoveredRunId)).body;
    const whole = (
      await api<{ counts: number[][]; total: number; entries: unknown[] | null; marks: Array<{ kind: string }>; estimated: boolean }>(
        runApi(store.recoveredRunId, 'timeline?buckets=50'),
      )
    ).body;
    // The sample read part of the run before the full pass; once read, nothing is estimated any more.
    const { sampled } = overview as { sampled?: number };
    expect(sampled).toBeGreaterThan(0);
    expect(sampled).toBeLessThanOrEqual(overview.entries);
    expect(whole.estimated).toBe(false);
    expect(whole.total).toBe(overview.entries);
    expect(whole.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(overview.entries);
    expect(whole.marks.map((mark) => mark.kind)).toEqual(expect.arrayContaining(['RunStarted', 'RunEnded']));
    const narrow = (await api<{ total: number; entries: Array<{ seq: number }> }>(runApi(store.recoveredRunId, `timeline?from=0&to=1000000&buckets=10`))).body;
    expect(narrow.entries.length).toBe(narrow.total);
    expect(narrow.entries[0]?.seq).toBe(1);
  });

  test('correlation: an order id gives its entries in seq order, each carrying or caused by it', async () => {
    const entry = (await api<{ indexKeys: Array<{ kind: string; key: string }> }>(runApi(store.recoveredRunId, 'entries/1'))).body;
    expect(entry.indexKeys).toEqual([]);
    const { body: timeline } = await api<{ entries: Array<{ seq: number; payloadType: string }> }>(
      runApi(store.recoveredRunId, 'timeline?from=0&to=3000000000&buckets=10'),
    );
    const submit = timeline.entries.find((candidate) => candidate.payloadType === 'SubmitOrder')!;
    const submitted = (
      await api<{ indexKeys: Array<{ kind: string; key: string }>; payload: { value: { clientOrderId: string } } }>(
        runApi(store.recoveredRunId, `entries/${submit.seq}`),
      )
    ).body;
    const orderId = submitted.payload.value.clientOrderId;
    const { body } = await api<{ entries: Array<{ seq: number; relation: string; payloadType: string }> }>(
      runApi(store.recoveredRunId, `correlation?key=${orderId}`),
    );
    const seqs = body.entries.map((found) => found.seq);
    expect(seqs).toEqual([...seqs].sort((left, right) => left - right));
    expect(seqs[0]).toBe(submit.seq);
    expect(body.entries.map((found) => found.payloadType)).toEqual(expect.arrayContaining(['SubmitOrder', 'OrderSubmitted']));
  });

  test('entry: the payload comes decoded, with the entry hash and its neighbours', async () => {
    const { body } = await api<{ payload: { decoded: boolean; value: Record<string, unknown> }; entryHash: string; neighbours: Array<{ seq: number }> }>(
      runApi(store.recoveredRunId, 'entries/2'),
    );
    expect(body.payload.decoded).toBe(true);
    expect(body.entryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.neighbours.map((neighbour) => neighbour.seq)).toContain(1);
  });

  test('markers: the sidecar cursors come back with their streams', async () => {
    const { body } = await api<{ present: boolean; streams: unknown[]; cursors: unknown[] }>(runApi(store.recoveredRunId, 'markers'));
    expect(body.present).toBe(true);
    expect(body.streams.length).toBeGreaterThan(0);
    expect(body.cursors.length).toBeGreaterThan(0);
  });

  test('verify: the verifier runs in a child process and finds the run clean', async () => {
    const { body } = await api<{ verdict: string; findings: string[]; markers?: { state: string; lines: string[] } }>(runApi(store.recoveredRunId, 'verify'), {
      method: 'POST',
    });
    expect(body.verdict).toBe('clean');
    expect(body.findings).toEqual([]);
    expect(body.markers?.state).toBe('clean');
    expect(body.markers?.lines.join('\n')).toContain(`path=${store.baseDir}/`);
  });
});

describe('damage', () => {
  test('a damaged run brings down the reader, not the server: its page gets CORRUPTED, the others still answer', async () => {
    const { status, body } = await overviewWhenRead(DAMAGED_RUN, DAMAGED_INSTANCE);
    expect(status).toBe(422);
    expect(body.error?.code).toBe('CORRUPTED');
    expect(body.error?.message).toContain(DAMAGED_RUN);
    // Held damaged from then on: asking again answers at once, without bringing down another reader.
    const pid = inspector.readerPid();
    expect((await api<{ error: { code: string } }>(runApi(DAMAGED_RUN, 'timeline', DAMAGED_INSTANCE))).body.error.code).toBe('CORRUPTED');
    expect(inspector.readerPid()).toBe(pid);
    const again = await overviewWhenRead(store.recoveredRunId);
    expect(again.status).toBe(200);
    expect(again.body.entries).toBeGreaterThan(0);
  });

  test('verifying the damaged run reports it corrupt', async () => {
    const { body } = await api<{ verdict: string }>(`/api/runs/${DAMAGED_INSTANCE}/${DAMAGED_RUN}/verify`, { method: 'POST' });
    expect(body.verdict).toBe('corrupt');
  });
});

test('a run a writer still holds open is listed as Running, refused for reading, and the writer goes on undisturbed', async () => {
  const provider = createProvider({ baseDir: store.baseDir }, { warn: () => {} });
  const live = await provider.openRun(newManifest({ runId: '9000-livewrit', instanceId: 'live-001', startTsInit: 100n }));
  const entry = (seq: number) =>
    buildAppendEntry(
      { headers: {}, topic: 'events.order', payloadType: 'OrderFilled', payload: new Uint8Array([seq]), tsInit: 100n + BigInt(seq), indexKeys: [] },
      seq,
      100n + BigInt(seq),
    );
  try {
    await live.appendBatch([entry(1)]);
    const { body } = await api<Array<{ manifest: { runId: string; status: string } }>>('/api/instances/live-001/runs');
    expect(body.map((run) => [run.manifest.runId, run.manifest.status])).toEqual([['9000-livewrit', 'Running']]);
    const refused = await api<{ error: { code: string } }>(runApi('9000-livewrit', 'overview', 'live-001'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('RUN_NOT_SEALED');
    expect(await live.appendBatch([entry(2)])).toBe(2);
  } finally {
    await live.close();
    rmSync(join(store.baseDir, 'live-001'), { recursive: true, force: true });
  }
});

test('a round of browsing leaves every file of the store unchanged', async () => {
  for (const runId of [store.crashedRunId, store.recoveredRunId]) {
    for (const rest of ['overview', 'timeline', 'entries/3', 'correlation?key=O-MM-001-1', 'markers'])
      expect((await api(runApi(runId, rest))).status).toBe(200);
    await api(runApi(runId, 'verify'), { method: 'POST' });
  }
  await api(`/api/instances/${INSTANCE}/runs`);
  expect(fingerprintTree(store.baseDir)).toEqual(before);
});

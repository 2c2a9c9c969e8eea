import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@msgpack/msgpack';
import { createProvider } from '@tapelog/backend-level';
import {
  buildAppendEntry,
  computeRunIntegrity,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
  newManifest,
  RUN_STARTED_PAYLOAD_TYPE,
} from '@tapelog/core';
import { startInspector } from '../dist/index.js';
import { launchChromium } from './chromium-launch.mjs';

const baseDir = process.argv[2] ?? join(tmpdir(), 'tapelog-inspector-1m');
const target = Number(process.argv[3] ?? 1_000_000);
const INSTANCE = 'bench-001';
const RUN_ID = `1704067200000000000-${target.toString(16).padStart(8, '0').slice(-8)}`;
const BATCH = 10_000;

function uuid(n) {
  const hex = n.toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-0000-4000-8000-${hex}`;
}

/** The entries of one order, kernel-shaped. */
function orderStory(order, nextId) {
  const clientOrderId = `O-MM-001-${order}`;
  const venueOrderId = `V-${order}`;
  const commandId = uuid(nextId());
  const correlationId = uuid(nextId());
  const story = [
    {
      topic: 'RiskEngine.execute',
      payloadType: 'SubmitOrder',
      payload: { commandId, clientOrderId, strategyId: 'MM-001', side: 'BUY', quantity: '50' },
      keys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: clientOrderId }],
      causation: undefined,
    },
    {
      topic: 'ExecEngine.process',
      payloadType: 'OrderSubmitted',
      payload: { eventId: uuid(nextId()), clientOrderId, strategyId: 'MM-001' },
      keys: [],
      causation: commandId,
    },
    {
      topic: 'ExecEngine.process',
      payloadType: 'OrderAccepted',
      payload: { eventId: uuid(nextId()), clientOrderId, venueOrderId },
      keys: [{ kind: INDEX_KIND_VENUE_ORDER_ID, key: venueOrderId }],
      causation: commandId,
    },
    {
      topic: 'reconciliation.raw.OrderStatusReport',
      payloadType: 'OrderStatusReport',
      payload: { reportId: uuid(nextId()), clientOrderId, venueOrderId, status: 'ACCEPTED' },
      keys: [],
      causation: undefined,
    },
    {
      topic: 'ExecEngine.process',
      payloadType: 'OrderFilled',
      payload: { eventId: uuid(nextId()), clientOrderId, venueOrderId, lastQuantity: '50' },
      keys: [],
      causation: commandId,
    },
    {
      topic: 'reconciliation.raw.FillReport',
      payloadType: 'FillReport',
      payload: { reportId: uuid(nextId()), clientOrderId, venueOrderId },
      keys: [],
      causation: undefined,
    },
    {
      topic: 'events.position.MM-001',
      payloadType: 'PositionChanged',
      payload: { eventId: uuid(nextId()), openingOrderId: clientOrderId, quantity: '50' },
      keys: [],
      causation: undefined,
    },
    {
      topic: 'Portfolio.update_account',
      payloadType: 'AccountState',
      payload: { eventId: uuid(nextId()), accountId: 'SIM-001', total: '100000' },
      keys: [],
      causation: undefined,
    },
  ];
  if (order % 10 === 0)
    story.push({
      topic: 'clock.time_event',
      payloadType: 'TimeEvent',
      payload: { eventId: uuid(nextId()), name: 'MM-001.requote' },
      keys: [],
      causation: undefined,
    });
  return story.map((entry) => ({ ...entry, correlation: correlationId }));
}

async function writeRun() {
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const existing = await provider.listRuns(INSTANCE).catch(() => []);
  if (existing.some((run) => run.runId === RUN_ID && run.status !== 'Running')) return;
  const started = Date.now();
  const store = await provider.openRun(newManifest({ runId: RUN_ID, instanceId: INSTANCE, startTsInit: 1_704_067_200_000_000_000n }));
  let id = 1;
  const nextId = () => id++;
  let seq = 0;
  let ts = 1_704_067_200_000_000_000n;
  let batch = [];
  const push = (draft) => {
    seq += 1;
    // About 1 ms between entries, in bursts: an order's entries share a millisecond.
    batch.push(
      buildAppendEntry(
        { headers: draft.headers, topic: draft.topic, payloadType: draft.payloadType, payload: draft.payload, tsInit: ts, indexKeys: draft.keys },
        seq,
        ts,
      ),
    );
  };
  push({ headers: {}, topic: 'run.lifecycle.RunStarted', payloadType: RUN_STARTED_PAYLOAD_TYPE, payload: encode({ actors: {}, strategies: {} }), keys: [] });
  for (let order = 1; seq < target - 1; order += 1) {
    ts += 5_000_000n + BigInt((order * 7919) % 4_000_000);
    for (const entry of orderStory(order, nextId)) {
      if (seq >= target - 1) break;
      const headers = { correlationId: entry.correlation, ...(entry.causation === undefined ? {} : { causationId: entry.causation }) };
      push({ headers, topic: entry.topic, payloadType: entry.payloadType, payload: encode(entry.payload), keys: entry.keys });
      ts += 100_000n;
    }
    if (batch.length >= BATCH) {
      await store.appendBatch(batch);
      batch = [];
    }
  }
  push({ headers: {}, topic: 'run.lifecycle.RunEnded', payloadType: 'RunEnded', payload: new Uint8Array(), keys: [] });
  await store.appendBatch(batch);
  await store.seal('Ended', undefined, await computeRunIntegrity(store));
  await store.close();
  console.log(`wrote ${seq.toLocaleString('en')} entries in ${((Date.now() - started) / 1000).toFixed(1)} s to ${baseDir}`);
}

async function main() {
  await writeRun();
  const inspector = await startInspector({ store: baseDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => message.type() === 'error' && console.log(`page console error: ${message.text()}`));
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    const origin = `http://127.0.0.1:${inspector.port}`;
    await page.goto(inspector.url);
    const timeline = `${origin}/#/run/${INSTANCE}/${RUN_ID}/timeline`;
    let started = performance.now();
    await page.goto(timeline);
    await page.locator('[data-testid=lanes-chart][data-ready]').waitFor({ timeout: 180_000 });
    console.log(`first visit, first paint (of the entries read so far): ${(performance.now() - started).toFixed(0)} ms`);
    await page.locator('[data-testid=timeline-page][data-complete=true]').waitFor({ timeout: 600_000 });
    console.log(`first visit, whole run read and summarised (once per run and reader): ${(performance.now() - started).toFixed(0)} ms`);
    started = performance.now();
    await page.reload();
    await page.locator('[data-testid=lanes-chart][data-ready]').waitFor();
    console.log(`first paint of the timeline, page load to chart drawn: ${(performance.now() - started).toFixed(0)} ms`);
    for (let step = 1; step <= 8; step += 1) {
      const before = await page.locator('[data-testid=lanes-chart]').getAttribute('data-ready');
      started = performance.now();
      await page.locator('[data-testid=zoom-in]').click();
      await page.waitForFunction((previous) => document.querySelector('[data-testid=lanes-chart]')?.getAttribute('data-ready') !== previous, before);
      const elapsed = performance.now() - started;
      const timings = await page.evaluate(() => window.__inspectorTimings ?? []);
      const last = timings[timings.length - 1];
      console.log(
        `zoom step ${step}: ${elapsed.toFixed(0)} ms click to chart drawn (page: ${last?.ms.toFixed(0)} ms fetch to frame), ${last?.total.toLocaleString('en')} entries in window`,
      );
    }
  } finally {
    await browser.close();
    await inspector.close();
  }
}

await main();

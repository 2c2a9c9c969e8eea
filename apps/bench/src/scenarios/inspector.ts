/**
 * The run inspector's timeline in headless Chromium over one large run (1,000,000 entries with
 * --full): the first paint of a first visit (nothing read yet), how long reading the whole run
 * takes, the first paint once it is read, and zoom steps. Needs Debian's `chromium`
 * (tooling/ensure-test-deps installs it) or CHROMIUM_PATH.
 */
import { existsSync } from 'node:fs';
import { encode } from '@msgpack/msgpack';
import { createProvider } from '@tapelog/backend-level';
import {
  type AppendEntry,
  buildAppendEntry,
  computeRunIntegrity,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
  newManifest,
  RUN_ENDED_PAYLOAD_TYPE,
  RUN_STARTED_PAYLOAD_TYPE,
} from '@tapelog/core';
import { startInspector } from '@tapelog/inspector';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

const INSTANCE = 'bench-001';
const ORIGIN_NS = 1_704_067_200_000_000_000n;
const BATCH = 10_000;
const ZOOM_STEPS = 8;
/** The target for a 1,000,000-entry run: first paint and each zoom step under 1 s. */
const TARGET_MS = 1000;
const TARGET_ENTRIES = 1_000_000;
const TARGET_SOURCE = 'issue 21 (run inspector)';

function uuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-0000-4000-8000-${hex}`;
}

interface DraftEntry {
  topic: string;
  payloadType: string;
  payload: Record<string, unknown>;
  keys: Array<{ kind: string; key: string }>;
  causation?: string;
}

/** The entries of one order, kernel-shaped: a command, its order events, the venue's reports, a position and an account update. */
function orderStory(order: number, nextId: () => number): DraftEntry[] {
  const clientOrderId = `O-MM-001-${order}`;
  const venueOrderId = `V-${order}`;
  const commandId = uuid(nextId());
  const story: DraftEntry[] = [
    {
      topic: 'RiskEngine.execute',
      payloadType: 'SubmitOrder',
      payload: { commandId, clientOrderId, strategyId: 'MM-001', side: 'BUY', quantity: '50' },
      keys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: clientOrderId }],
    },
    { topic: 'ExecEngine.process', payloadType: 'OrderSubmitted', payload: { eventId: uuid(nextId()), clientOrderId }, keys: [], causation: commandId },
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
    },
    {
      topic: 'ExecEngine.process',
      payloadType: 'OrderFilled',
      payload: { eventId: uuid(nextId()), clientOrderId, venueOrderId, lastQuantity: '50' },
      keys: [],
      causation: commandId,
    },
    { topic: 'reconciliation.raw.FillReport', payloadType: 'FillReport', payload: { reportId: uuid(nextId()), clientOrderId, venueOrderId }, keys: [] },
    { topic: 'events.position.MM-001', payloadType: 'PositionChanged', payload: { eventId: uuid(nextId()), openingOrderId: clientOrderId }, keys: [] },
    { topic: 'Portfolio.update_account', payloadType: 'AccountState', payload: { eventId: uuid(nextId()), accountId: 'SIM-001' }, keys: [] },
  ];
  if (order % 10 === 0)
    story.push({ topic: 'clock.time_event', payloadType: 'TimeEvent', payload: { eventId: uuid(nextId()), name: 'MM-001.requote' }, keys: [] });
  return story;
}

/** Writes and seals one run of `target` entries (orders about 5-9 ms apart, their entries 0.1 ms apart); returns its run id. */
async function writeRun(baseDir: string, target: number): Promise<string> {
  const runId = `${ORIGIN_NS}-${target.toString(16).padStart(8, '0')}`;
  const store = await createProvider({ baseDir }, { warn: () => {} }).openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit: ORIGIN_NS }));
  let id = 1;
  const nextId = () => id++;
  let seq = 0;
  let ts = ORIGIN_NS;
  let batch: AppendEntry[] = [];
  const push = (topic: string, payloadType: string, payload: Uint8Array, headers: Record<string, string>, indexKeys: DraftEntry['keys']) => {
    seq += 1;
    batch.push(buildAppendEntry({ headers, topic, payloadType, payload, tsInit: ts, indexKeys }, seq, ts));
  };
  push('run.lifecycle.RunStarted', RUN_STARTED_PAYLOAD_TYPE, encode({ actors: {}, strategies: {} }), {}, []);
  for (let order = 1; seq < target - 1; order += 1) {
    ts += 5_000_000n + BigInt((order * 7919) % 4_000_000);
    const correlationId = uuid(nextId());
    for (const entry of orderStory(order, nextId)) {
      if (seq >= target - 1) break;
      push(
        entry.topic,
        entry.payloadType,
        encode(entry.payload),
        { correlationId, ...(entry.causation === undefined ? {} : { causationId: entry.causation }) },
        entry.keys,
      );
      ts += 100_000n;
    }
    if (batch.length >= BATCH) {
      await store.appendBatch(batch);
      batch = [];
    }
  }
  push('run.lifecycle.RunEnded', RUN_ENDED_PAYLOAD_TYPE, new Uint8Array(), {}, []);
  await store.appendBatch(batch);
  await store.seal('Ended', undefined, await computeRunIntegrity(store));
  await store.close();
  return runId;
}

function launchChromium(): Promise<Browser> {
  const named = process.env.CHROMIUM_PATH;
  const executablePath = named !== undefined && named !== '' ? named : ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (executablePath === undefined)
    throw new Error("no chromium binary: run `bash tooling/ensure-test-deps` as root (it installs Debian's chromium) or set CHROMIUM_PATH");
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Navigates (to the timeline page) and waits for its lanes chart to be drawn: ms from navigation, and the window drawn. */
async function paintTimeline(page: Page, navigate: () => Promise<unknown>): Promise<{ ms: number; window: string; estimated: boolean }> {
  const started = performance.now();
  await navigate();
  await page.locator('[data-testid=lanes-chart][data-ready]').waitFor({ timeout: 180_000 });
  const ms = performance.now() - started;
  const window = (await page.locator('[data-testid=lanes-chart]').getAttribute('data-ready')) ?? '';
  const estimated = (await page.locator('[data-testid=timeline-page]').getAttribute('data-estimated')) === 'true';
  return { ms, window, estimated };
}

export const scenario: Scenario = {
  name: 'inspector',
  description: 'run inspector timeline in headless Chromium: first visit to a large run (first paint, whole run read), later paints, zoom steps',
  async run({ full, scratchDir }) {
    const entries = full ? TARGET_ENTRIES : 50_000;
    const firstVisits = full ? 5 : 2;
    const writeStarted = performance.now();
    const runId = await writeRun(scratchDir, entries);
    const writeMs = performance.now() - writeStarted;
    const target = entries >= TARGET_ENTRIES ? { value: TARGET_MS, kind: 'max' as const, source: TARGET_SOURCE } : undefined;
    const browser = await launchChromium();
    const consoleErrors: string[] = [];
    try {
      // First visits: a fresh inspector each time, so nothing of the run is read yet.
      const firstPaints: Array<{ ms: number; window: string; estimated: boolean }> = [];
      let wholeRunMs = 0;
      let laterPaintMs = 0;
      const zoomMs: number[] = [];
      for (let visit = 0; visit < firstVisits; visit += 1) {
        const inspector = await startInspector({ store: scratchDir });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.on('console', (message) => {
          if (message.type() === 'error') consoleErrors.push(message.text());
        });
        try {
          await page.goto(inspector.url);
          await page.waitForLoadState('networkidle');
          const timeline = `http://127.0.0.1:${inspector.port}/#/run/${INSTANCE}/${runId}/timeline`;
          const started = performance.now();
          firstPaints.push(await paintTimeline(page, () => page.goto(timeline)));
          if (visit > 0) continue;
          await page.locator('[data-testid=timeline-page][data-complete=true]').waitFor({ timeout: 600_000 });
          wholeRunMs = performance.now() - started;
          laterPaintMs = (await paintTimeline(page, () => page.reload())).ms;
          for (let step = 0; step < ZOOM_STEPS; step += 1) {
            const before = await page.locator('[data-testid=lanes-chart]').getAttribute('data-ready');
            const clicked = performance.now();
            await page.locator('[data-testid=zoom-in]').click();
            await page.locator(`[data-testid=lanes-chart][data-ready]:not([data-ready="${before}"])`).waitFor({ timeout: 60_000 });
            zoomMs.push(performance.now() - clicked);
          }
        } finally {
          await page.close();
          await inspector.close();
        }
      }
      const wholeRunDrawn = firstPaints.every((paint) => paint.window === firstPaints[0]!.window);
      return {
        figures: [
          {
            name: `first visit: first paint of the timeline, ${entries.toLocaleString('en')} entries (median of ${firstVisits})`,
            value: median(firstPaints.map((paint) => paint.ms)),
            unit: 'ms',
            ...(target === undefined ? {} : { target }),
            note: `navigation to lanes chart drawn, fresh inspector each time; ${firstPaints.filter((paint) => paint.estimated).length} of ${firstVisits} drawn while still estimated; whole run in every first paint: ${wholeRunDrawn}`,
          },
          {
            name: `first visit: whole run read and summarised, ${entries.toLocaleString('en')} entries`,
            value: wholeRunMs,
            unit: 'ms',
            note: 'once per run and reader',
          },
          {
            name: 'first paint once the run is summarised (page load to chart drawn)',
            value: laterPaintMs,
            unit: 'ms',
            ...(target === undefined ? {} : { target }),
          },
          {
            name: `zoom step ×4, click to chart drawn (slowest of ${ZOOM_STEPS})`,
            value: Math.max(...zoomMs),
            unit: 'ms',
            ...(target === undefined ? {} : { target }),
            note: `median ${median(zoomMs).toFixed(0)} ms`,
          },
          { name: 'page console errors', value: consoleErrors.length, unit: 'errors', target: { value: 0, kind: 'max', source: TARGET_SOURCE } },
          { name: `writing the run (setup, once)`, value: writeMs / 1000, unit: 's' },
        ],
        details: { entries, firstPaints, wholeRunMs, laterPaintMs, zoomMs, consoleErrors },
      };
    } finally {
      await browser.close();
    }
  },
};

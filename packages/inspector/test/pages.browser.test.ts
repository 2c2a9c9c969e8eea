/**
 * The inspector page in headless Chromium over a store the kernel app wrote (a crashed run and the
 * run that recovered it): the runs page shows both and the parent link, searching an order id lists
 * its entries in seq order, opening one shows its decoded payload, a request without the token gets
 * 401, a damaged run's page shows a clear error, and browsing raises no console error. With
 * INSPECTOR_SCREENSHOTS=1 it saves a screenshot of each page into docs/screenshots (the README's).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Inspector, startInspector } from '../dist/index.js';
import { launchChromium } from '../scripts/chromium-launch.mjs';
import { makeDamagedRun } from './fixtures/damaged-run.js';
import { INSTANCE, type KernelStore, makeKernelStore } from './fixtures/kernel-store.js';

const SCREENSHOTS = process.env.INSPECTOR_SCREENSHOTS === '1' ? fileURLToPath(new URL('../docs/screenshots/', import.meta.url)) : undefined;
let store: KernelStore;
let inspector: Inspector;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  store = makeKernelStore();
  await makeDamagedRun(store.baseDir, 'damaged-001', '1000-damaged0');
  inspector = await startInspector({ store: store.baseDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  if (SCREENSHOTS !== undefined) mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await inspector?.close();
  if (store !== undefined) rmSync(store.baseDir, { recursive: true, force: true });
});

/** The visible part only: a long list below a chart would make the picture unreadable. */
async function screenshot(name: string): Promise<void> {
  if (SCREENSHOTS !== undefined) await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

function origin(): string {
  return `http://127.0.0.1:${inspector.port}`;
}

function runHash(runId: string, rest: string): string {
  return `${origin()}/#/run/${INSTANCE}/${runId}/${rest}`;
}

test('the runs page shows the crashed-then-recovered pair and the parent link', async () => {
  await page.goto(inspector.url);
  await page.locator(`[data-testid=run-row][data-run="${store.recoveredRunId}"]`).waitFor();
  expect(await page.locator(`[data-testid=run-row][data-run="${store.crashedRunId}"]`).getAttribute('data-status')).toBe('CrashedRecovered');
  expect(await page.locator(`[data-testid=run-row][data-run="${store.recoveredRunId}"]`).getAttribute('data-status')).toBe('Ended');
  const link = page.locator(`[data-testid=parent-link][data-child="${store.recoveredRunId}"]`);
  expect(await link.getAttribute('data-parent')).toBe(store.crashedRunId);
  expect(await page.locator(`[data-testid=run-row][data-run="${store.recoveredRunId}"] [data-testid=run-parent]`).textContent()).toBe(store.crashedRunId);
  await page.locator(`[data-testid=run-row][data-run="${store.recoveredRunId}"] [data-testid=verify-button]`).click();
  await page.locator('[data-testid=verify-result]').waitFor();
  expect(await page.locator('[data-testid=verify-result] strong').textContent()).toBe('clean');
  await screenshot('runs');
});

test('the timeline draws the run and zooms', async () => {
  await page.goto(runHash(store.recoveredRunId, 'timeline'));
  const lanes = page.locator('[data-testid=lanes-chart][data-ready]');
  await lanes.waitFor();
  await page.locator('[data-testid=timeline-page][data-complete=true]').waitFor();
  const whole = await lanes.getAttribute('data-ready');
  await screenshot('timeline');
  await page.locator('[data-testid=zoom-in]').click();
  await page.waitForFunction((previous) => document.querySelector('[data-testid=lanes-chart]')?.getAttribute('data-ready') !== previous, whole);
  await page.locator('[data-testid=zoom-in]').click();
  await page.locator('[data-testid=window-entries]').waitFor();
  expect(await page.locator('[data-testid=window-entries] tbody tr').count()).toBeGreaterThan(0);
});

test('searching an order id shows its entries in seq order; opening one shows its decoded payload', async () => {
  await page.goto(runHash(store.recoveredRunId, 'entry/2'));
  await page.locator('[data-testid=entry-page]').waitFor();
  // An order id of this run, found the way a person would: the client order id of its first SubmitOrder.
  const orderId = await page.evaluate(async (url) => {
    const timeline = (await (await fetch(`${url}/timeline?from=0&to=3000000000&buckets=1`)).json()) as { entries: Array<{ seq: number; payloadType: string }> };
    const submit = timeline.entries.find((entry) => entry.payloadType === 'SubmitOrder')!;
    const entry = (await (await fetch(`${url}/entries/${submit.seq}`)).json()) as { payload: { value: { clientOrderId: string } } };
    return entry.payload.value.clientOrderId;
  }, `/api/runs/${INSTANCE}/${store.recoveredRunId}`);
  await page.locator('[data-testid=order-search]').fill(orderId);
  await page.locator('[data-testid=order-search]').press('Enter');
  await page.locator('[data-testid=correlation-row]').first().waitFor();
  const seqs = await page.locator('[data-testid=correlation-row]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))));
  expect(seqs.length).toBeGreaterThan(1);
  expect(seqs).toEqual([...seqs].sort((left, right) => left - right));
  expect(await page.locator('[data-testid=sequence-message]').count()).toBe(seqs.length);
  await screenshot('correlation');
  await page.locator('[data-testid=correlation-row] a').first().click();
  await page.locator(`[data-testid=entry-page][data-seq="${seqs[0]}"]`).waitFor();
  const payload = page.locator('[data-testid=entry-payload]');
  expect(await payload.getAttribute('data-decoded')).toBe('true');
  expect(await payload.textContent()).toContain(`"clientOrderId": "${orderId}"`);
  expect(await page.locator('[data-testid=entry-payload-type]').textContent()).toBe('SubmitOrder');
  await screenshot('entry');
});

test('the markers page shows the delivery cursors', async () => {
  await page.goto(runHash(store.recoveredRunId, 'markers'));
  await page.locator('[data-testid=markers-streams] tbody tr').first().waitFor();
  expect(await page.locator('[data-testid=markers-chart] canvas').count()).toBeGreaterThan(0);
  await screenshot('markers');
});

test('browsing raised no console error', () => {
  expect(consoleErrors).toEqual([]);
});

test('a page opened without the token gets 401', async () => {
  const stranger = await browser.newPage();
  try {
    const response = await stranger.goto(`${origin()}/`);
    expect(response?.status()).toBe(401);
  } finally {
    await stranger.close();
  }
});

test("a damaged run's page shows a clear CORRUPTED error and the server goes on", async () => {
  const other = await browser.newPage();
  try {
    await other.goto(inspector.url);
    await other.goto(`${origin()}/#/run/damaged-001/1000-damaged0/timeline`);
    const error = other.locator('[data-testid=error]');
    await error.waitFor();
    expect(await error.locator('strong').textContent()).toBe('CORRUPTED');
    await other.goto(runHash(store.recoveredRunId, 'entry/1'));
    await other.locator('[data-testid=entry-page]').waitFor();
  } finally {
    await other.close();
  }
});

/**
 * `tapelog runs` shows a Running run's durable high-watermark (recomputed as recovery would, from a
 * copy of the run's files), not the 0 its manifest holds until the seal: for a run whose writer was
 * killed and for one whose writer is still alive, which keeps writing undisturbed.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import { durableHighWatermarkOfRunning } from '../src/running-high-watermark.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/open-writer.mjs', import.meta.url));
const INSTANCE = 'trader-001';
const RUN_ID = '1000-runningx';

const writers: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
});

/** Starts a writer holding `RUN_ID` open with `count` entries; resolves with it and a reader of its next output line. */
async function startWriter(backend: 'level' | 'lmdb', baseDir: string, count: number) {
  const writer = spawn(process.execPath, [WRITER, backend, baseDir, INSTANCE, RUN_ID, String(count)]);
  writers.push(writer);
  const lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => String((await lines.next()).value);
  expect(await nextLine()).toBe(`ready ${count}`);
  return { writer, nextLine };
}

async function killed(writer: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => writer.once('exit', resolve));
  writer.kill('SIGKILL');
  await exited;
}

function runsJson(store: string): Array<Record<string, unknown>> {
  const result = spawnSync(process.execPath, [BIN, 'runs', store, INSTANCE, '--json'], { encoding: 'utf8', timeout: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

/** Every file of a directory tree with its size and content, to show a listing changed nothing. */
function snapshotOf(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(directory, { recursive: true }) as string[]) {
    const path = join(directory, name);
    if (statSync(path).isFile()) files[name] = readFileSync(path).toString('base64');
  }
  return files;
}

describe('tapelog runs on a Running run', () => {
  test('LevelDB, writer killed: the durable high-watermark, and the run left exactly as it was', async () => {
    const baseDir = temporaryDirectory('tapelog-cli-running-');
    const { writer } = await startWriter('level', baseDir, 7);
    await killed(writer);
    // Reading the figure changes nothing of the run (the listing itself is the provider's business).
    const runDirectory = join(baseDir, INSTANCE, `${RUN_ID}.level`);
    const before = snapshotOf(runDirectory);
    expect(await durableHighWatermarkOfRunning(baseDir, INSTANCE, RUN_ID)).toBe(7);
    expect(snapshotOf(runDirectory)).toEqual(before);
    expect(runsJson(baseDir)).toEqual([expect.objectContaining({ runId: RUN_ID, status: 'Running', highWatermark: 7 })]);
    const text = spawnSync(process.execPath, [BIN, 'runs', baseDir, INSTANCE], { encoding: 'utf8' }).stdout;
    expect(text).toContain(`${RUN_ID} status=Running start_ts_init=1000 end_ts_init=- high_watermark=7 `);
  });

  test('LevelDB, writer alive: the durable high-watermark, and the writer keeps appending to its run', async () => {
    const baseDir = temporaryDirectory('tapelog-cli-running-');
    const { writer, nextLine } = await startWriter('level', baseDir, 5);
    expect(runsJson(baseDir)).toEqual([expect.objectContaining({ runId: RUN_ID, status: 'Running', highWatermark: 5 })]);
    writer.stdin.write('one more\n');
    expect(await nextLine()).toBe('appended 6');
    expect(runsJson(baseDir)).toEqual([expect.objectContaining({ highWatermark: 6 })]);
  });

  test('LMDB, writer alive and then killed: the durable high-watermark, the live run left exactly as it was', async () => {
    const baseDir = temporaryDirectory('tapelog-cli-running-');
    const { writer, nextLine } = await startWriter('lmdb', baseDir, 4);
    const before = snapshotOf(join(baseDir, INSTANCE, `${RUN_ID}.lmdb`));
    expect(await durableHighWatermarkOfRunning(`lmdb:${baseDir}`, INSTANCE, RUN_ID)).toBe(4);
    expect(snapshotOf(join(baseDir, INSTANCE, `${RUN_ID}.lmdb`))).toEqual(before);
    expect(runsJson(`lmdb:${baseDir}`)).toEqual([expect.objectContaining({ runId: RUN_ID, status: 'Running', highWatermark: 4 })]);
    writer.stdin.write('one more\n');
    expect(await nextLine()).toBe('appended 5');
    await killed(writer);
    expect(runsJson(`lmdb:${baseDir}`)).toEqual([expect.objectContaining({ runId: RUN_ID, status: 'Running', highWatermark: 5 })]);
  });
});

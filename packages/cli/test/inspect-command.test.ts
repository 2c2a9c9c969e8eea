/**
 * `tapelog inspect`: prints a URL with a token on 127.0.0.1, refuses requests without the token,
 * answers with it, and stops with exit 0 on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import { buildAppendEntry, computeRunIntegrity, newManifest } from '@tapelog/core';
import { afterAll, beforeAll, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let baseDir: string;

beforeAll(async () => {
  baseDir = mkdtempSync(join(tmpdir(), 'tapelog-cli-inspect-'));
  const store = await createProvider({ baseDir }, { warn: () => {} }).openRun(
    newManifest({ runId: '1000-aaaaaaaa', instanceId: 'trader-001', startTsInit: 100n }),
  );
  await store.appendBatch([
    buildAppendEntry({ headers: {}, topic: 'events.order', payloadType: 'OrderFilled', payload: new Uint8Array([1]), tsInit: 101n, indexKeys: [] }, 1, 101n),
  ]);
  await store.seal('Ended', undefined, await computeRunIntegrity(store));
  await store.close();
});

afterAll(() => rmSync(baseDir, { recursive: true, force: true }));

test('inspect serves the store behind its token and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'inspect', baseDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout);
      if (match !== null) resolve(match[0]);
    });
    child.on('exit', () => reject(new Error(`inspect ended before printing its URL: ${stdout}`)));
  });
  const origin = new URL(url).origin;
  const token = new URL(url).searchParams.get('token')!;
  expect((await fetch(`${origin}/api/instances`)).status).toBe(401);
  const answer = await fetch(`${origin}/api/instances/trader-001/runs`, { headers: { authorization: `Bearer ${token}` } });
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as Array<{ manifest: { runId: string } }>).map((run) => run.manifest.runId)).toEqual(['1000-aaaaaaaa']);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

test('inspect without a store is a usage error (exit 2)', async () => {
  const child = spawn(process.execPath, [BIN, 'inspect'], { stdio: ['ignore', 'pipe', 'pipe'] });
  expect(await new Promise((resolve) => child.on('exit', (code) => resolve(code)))).toBe(2);
});

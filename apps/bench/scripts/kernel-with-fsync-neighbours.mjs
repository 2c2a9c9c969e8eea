#!/usr/bin/env node
/**
 * A manual soak check: `kernel run` for a long simulated session while neighbour processes write
 * and fsync 4 MiB blocks in a loop on the same disk, as other programs on a trading host do. It
 * passes when the run seals `Ended` and its verify is clean. Build first (`pnpm build`), then:
 *
 *   node apps/bench/scripts/kernel-with-fsync-neighbours.mjs [--duration 600s] [--instruments 8] [--neighbours 2] [--dir /path]
 *
 * The directory (default: a fresh one under the OS temporary directory) must be on the disk to
 * test; it is removed afterwards. Exit 0 when the run is clean, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '600s' },
    instruments: { type: 'string', default: '8' },
    neighbours: { type: 'string', default: '2' },
    dir: { type: 'string' },
  },
});
const kernelMain = join(dirname(fileURLToPath(import.meta.url)), '../../kernel/dist/main.js');
const root = mkdtempSync(join(values.dir ?? tmpdir(), 'tapelog-soak-'));

// Each neighbour rewrites one 4 MiB file and fsyncs it, as fast as the disk allows.
const NEIGHBOUR = `
const { openSync, writeSync, fsyncSync } = require('node:fs');
const block = Buffer.alloc(4 * 1024 * 1024, 7);
const fd = openSync(process.argv[1], 'w');
let writes = 0;
process.on('SIGTERM', () => { console.log(JSON.stringify({ writes })); process.exit(0); });
// One write per turn of the event loop, so SIGTERM is handled.
const loop = () => { writeSync(fd, block, 0, block.length, 0); fsyncSync(fd); writes++; setImmediate(loop); };
loop();
`;
const neighbours = [];
for (let i = 0; i < Number(values.neighbours); i++) {
  const child = spawn(process.execPath, ['-e', NEIGHBOUR, join(root, `neighbour-${i}.bin`)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  neighbours.push({ child, done: new Promise((resolve) => child.on('exit', () => resolve(output))) });
}

const started = performance.now();
const kernel = spawn(
  process.execPath,
  [kernelMain, 'run', '--duration', values.duration, '--instruments', values.instruments, '--base', join(root, 'store'), '--json'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let stdout = '';
kernel.stdout.on('data', (chunk) => (stdout += chunk));
const code = await new Promise((resolve) => kernel.on('exit', (exitCode) => resolve(exitCode)));
const wallSeconds = (performance.now() - started) / 1000;
for (const { child } of neighbours) child.kill('SIGTERM');
process.on('exit', () => {
  for (const { child } of neighbours) child.kill('SIGKILL');
});
const neighbourWrites = (await Promise.all(neighbours.map(({ done }) => done))).map((text) => JSON.parse(text || '{"writes":0}').writes);
rmSync(root, { recursive: true, force: true });

let summary;
try {
  summary = JSON.parse(stdout);
} catch {
  console.error(`kernel exited ${code} without a JSON summary`);
  process.exit(1);
}
const clean = summary.status === 'Ended' && summary.verify?.clean === true;
console.log(
  JSON.stringify(
    {
      clean,
      status: summary.status,
      haltReason: summary.haltReason,
      verify: summary.verify,
      entries: summary.entries,
      messages: summary.messages,
      wallSeconds: Math.round(wallSeconds),
      storeWaitMilliseconds: summary.storeWaitMilliseconds,
      storeWaits: summary.storeWaits,
      commits: summary.commits,
      largestBatch: summary.largestBatch,
      commitLatencyP50Ms: summary.commitLatencyP50Ms,
      commitLatencyP99Ms: summary.commitLatencyP99Ms,
      neighbourFsyncs: neighbourWrites,
    },
    null,
    2,
  ),
);
process.exit(clean ? 0 : 1);

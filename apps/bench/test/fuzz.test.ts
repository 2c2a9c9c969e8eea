/**
 * The short byte-flip fuzz of `tapelog verify`, through the built script: real runs damaged on
 * disk, verified and read back in child processes. No trial may break a rule.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { FuzzSummary } from '../src/fuzz/fuzz-trials.js';

const FUZZ = fileURLToPath(new URL('../dist/fuzz-main.js', import.meta.url));
const TRIALS = 20;
/** LMDB trials each cost a few seconds more (every copy is hashed at open); the 1,000-trial run is done by hand. */
const LMDB_TRIALS = 8;

function fuzzTrials(backend: 'level' | 'lmdb', trials: number): void {
  const seed = String(Date.now());
  const result = spawnSync(process.execPath, [FUZZ, '--trials', String(trials), '--seed', seed, '--backend', backend, '--json'], {
    encoding: 'utf8',
    timeout: 880_000,
  });
  // The seed is in the message, so a failure reproduces with `--seed`.
  expect(result.status, `seed ${seed}: ${result.stderr}`).toBe(0);
  const summary = JSON.parse(result.stdout) as FuzzSummary;
  expect(summary.trials).toBe(trials);
  expect(summary.backend).toBe(backend);
  expect({
    seed,
    silentCorruptions: summary.silentCorruptions,
    badExitCodes: summary.badExitCodes,
    stackTraces: summary.stackTraces,
    nonJsonStdout: summary.nonJsonStdout,
  }).toEqual({
    seed,
    silentCorruptions: 0,
    badExitCodes: 0,
    stackTraces: 0,
    nonJsonStdout: 0,
  });
  expect(Object.values(summary.verdicts).reduce((sum, count) => sum + count, 0)).toBe(trials);
}

test(`${TRIALS} byte-flip trials: no silent corruption, exit codes 0/1/2 only, no stack trace, one JSON object on every stdout`, { timeout: 900_000 }, () => {
  fuzzTrials('level', TRIALS);
});

test(`${LMDB_TRIALS} byte-flip trials on an LMDB run: the same rules`, { timeout: 900_000 }, () => {
  fuzzTrials('lmdb', LMDB_TRIALS);
});

/**
 * The byte-flip fuzz of `tapelog verify`: each trial copies a sealed run (with its marker
 * sidecar), flips 1–8 random bytes of one random file of the copy, runs `tapelog verify --json`
 * on it, and compares the verdict with what the copy really reads back. Verify must never say
 * clean while a read differs from the original (a silent corruption), and must always exit
 * 0/1/2 with one JSON object on stdout and no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import { SeededRandom } from '@tapelog/kernel-app';
import type { FuzzBackendName } from './fuzz-backend.js';
import { indexKeysOf, READ_KINDS, type Readback } from './fuzz-readback.js';
import { FUZZ_INSTANCE, fuzzRunPaths, writeFuzzRun } from './fuzz-run.js';

export interface FuzzOptions {
  trials: number;
  seed: bigint;
  /** The backend the damaged run is stored on (default LevelDB). */
  backend?: FuzzBackendName;
  /** Called after each trial, e.g. for progress. */
  onTrial?: (trial: TrialRecord) => void;
}

export interface TrialRecord {
  trial: number;
  /** The damaged file, relative to the instance directory. */
  file: string;
  flips: Array<{ offset: number; xor: number }>;
  verifyExit: number | null;
  verdict: string;
  /** Read kinds that differ from the original; `aborted` when the reader process died, `reader-failed: …` when it failed by itself. */
  differs: string[];
  silentCorruption: boolean;
  badExitCode: boolean;
  stackTrace: boolean;
  nonJsonStdout: boolean;
}

export interface FuzzSummary {
  seed: string;
  backend: FuzzBackendName;
  trials: number;
  verdicts: Record<string, number>;
  silentCorruptions: number;
  badExitCodes: number;
  stackTraces: number;
  nonJsonStdout: number;
  /** Trials whose read-back killed its reader process (counted, not fatal). */
  readerAborts: number;
  /** Every trial that broke a rule, to reproduce with the same seed. */
  failures: TrialRecord[];
}

const STACK_LINE = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

function cliBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@tapelog/cli/package.json')), 'dist', 'bin.js');
}

/** The built child entry; this module is bundled into a file of `dist/`, the entry sits in `dist/fuzz/`. */
function readerScript(): string {
  return fileURLToPath(new URL('./fuzz/fuzz-read-main.js', import.meta.url));
}

/**
 * Reads a copy back in a child process: its digests, `aborted` when a signal killed it (a native
 * abort), or `reader-failed: …` when it exited with an error of its own (a fault of this harness).
 */
function readBackIsolated(baseDir: string, keysFile: string, backend: FuzzBackendName): Readback | string {
  const command = readerSpawnCommand([readerScript(), baseDir, keysFile, backend]);
  const result = spawnSync(command.command, command.args, { encoding: 'utf8', timeout: 120_000 });
  if (result.signal !== null || (result.status ?? 0) > 128) return 'aborted';
  if (result.status !== 0) return `reader-failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  return JSON.parse(result.stdout) as Readback;
}

function filesUnder(root: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (statSync(path).size > 0) files.push(relative(root, path));
  }
  return files.sort();
}

function verifyCopy(runDirectory: string): { exit: number | null; verdict: string; stackTrace: boolean; nonJsonStdout: boolean } {
  const command = readerSpawnCommand([cliBin(), 'verify', runDirectory, '--json']);
  const result = spawnSync(command.command, command.args, { encoding: 'utf8', timeout: 120_000 });
  let verdict = 'unparsed';
  let nonJsonStdout = false;
  try {
    const parsed = JSON.parse(result.stdout) as unknown;
    const oneLine = result.stdout.trimEnd().split('\n').length === 1;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !oneLine) nonJsonStdout = true;
    else verdict = String((parsed as { result?: unknown }).result);
  } catch {
    nonJsonStdout = true;
  }
  return { exit: result.status, verdict, stackTrace: STACK_LINE.test(result.stdout) || STACK_LINE.test(result.stderr), nonJsonStdout };
}

/** Runs the fuzz; every temporary file is removed before it returns. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const random = new SeededRandom(options.seed);
  const backend = options.backend ?? 'level';
  const work = mkdtempSync(join(tmpdir(), 'tapelog-fuzz-'));
  const summary: FuzzSummary = {
    seed: options.seed.toString(),
    backend,
    trials: 0,
    verdicts: {},
    silentCorruptions: 0,
    badExitCodes: 0,
    stackTraces: 0,
    nonJsonStdout: 0,
    readerAborts: 0,
    failures: [],
  };
  try {
    const original = join(work, 'original');
    await writeFuzzRun(original, random.fork('run'), backend);
    const keysFile = join(work, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(await indexKeysOf(original, backend)));
    const truth = readBackIsolated(original, keysFile, backend);
    if (typeof truth === 'string') throw new Error(`the undamaged fuzz run cannot be read back: ${truth}`);
    const instanceDirectory = join(original, FUZZ_INSTANCE);
    const files = filesUnder(instanceDirectory);
    const flipper = random.fork('flips');
    for (let trial = 1; trial <= options.trials; trial++) {
      const copy = join(work, 'copy');
      rmSync(copy, { recursive: true, force: true });
      cpSync(original, copy, { recursive: true });
      const file = files[flipper.nextInt(files.length)]!;
      const path = join(copy, FUZZ_INSTANCE, file);
      const bytes = readFileSync(path);
      const flips = Array.from({ length: 1 + flipper.nextInt(8) }, () => ({ offset: flipper.nextInt(bytes.length), xor: 1 + flipper.nextInt(255) }));
      for (const { offset, xor } of flips) bytes[offset] = bytes[offset]! ^ xor;
      writeFileSync(path, bytes);

      const verified = verifyCopy(fuzzRunPaths(copy, backend).run);
      const readback = readBackIsolated(copy, keysFile, backend);
      const differs: TrialRecord['differs'] = typeof readback === 'string' ? [readback] : READ_KINDS.filter((kind) => readback[kind] !== truth[kind]);
      const record: TrialRecord = {
        trial,
        file,
        flips,
        verifyExit: verified.exit,
        verdict: verified.verdict,
        differs,
        silentCorruption: verified.exit === 0 && differs.length > 0,
        badExitCode: verified.exit !== 0 && verified.exit !== 1 && verified.exit !== 2,
        stackTrace: verified.stackTrace,
        nonJsonStdout: verified.nonJsonStdout,
      };
      summary.trials++;
      summary.verdicts[record.verdict] = (summary.verdicts[record.verdict] ?? 0) + 1;
      if (readback === 'aborted') summary.readerAborts++;
      if (record.silentCorruption) summary.silentCorruptions++;
      if (record.badExitCode) summary.badExitCodes++;
      if (record.stackTrace) summary.stackTraces++;
      if (record.nonJsonStdout) summary.nonJsonStdout++;
      if (record.silentCorruption || record.badExitCode || record.stackTrace || record.nonJsonStdout) summary.failures.push(record);
      options.onTrial?.(record);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return summary;
}

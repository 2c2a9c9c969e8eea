#!/usr/bin/env node
/**
 * The `kernel` command: `kernel run [options]` trades the simulated markets with tapelog capturing
 * the bus, shows a live progress line on a terminal, and prints the run summary with the verify
 * result of the sealed run. Exit 0 clean, 1 when verify found problems or the run did not seal,
 * 2 on bad arguments or an error.
 */
import { createRequire } from 'node:module';
import { TapelogError } from '@tapelog/core';
import { type CliCommand, parseArguments, USAGE, UsageError } from './cli-arguments.js';
import { KERNEL_PHASES, type KernelPhase, KernelRunError } from './kernel-run-error.js';
import { formatReplayCheck, replayCheck } from './replay-check.js';
import { formatRestoredState, replayOnly } from './replay-only.js';
import { runKernel } from './run-kernel.js';
import { formatProgress, formatSummary, summaryToJson } from './run-report.js';

// Test hook (not for operators): makes the named phase fail, to prove every failure exits cleanly.
const FAIL_PHASE_VARIABLE = 'KERNEL_TEST_FAIL_PHASE';
// A failed run exits by itself once its resources are released; this only guards against a
// handle some dependency forgot, so a failure can never leave the process hanging.
const FAILURE_EXIT_GRACE_MS = 5_000;

function failPhase(): KernelPhase | undefined {
  const value = process.env[FAIL_PHASE_VARIABLE];
  return (KERNEL_PHASES as readonly string[]).includes(value ?? '') ? (value as KernelPhase) : undefined;
}

function oneLine(error: unknown): string {
  const code = TapelogError.isInstance(error) ? ` code=${error.code}` : '';
  return `kernel: error${code}: ${(error instanceof Error ? error.message : String(error)).replaceAll('\n', ' ')}\n`;
}

/** `kernel replay-check <runPath> [--json]`: exit 0 reproduced, 1 differs, 2 cannot run. */
async function replayCheckCommand(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const paths = argv.filter((argument) => argument !== '--json');
  if (paths.length !== 1 || paths[0]!.startsWith('--')) {
    process.stderr.write('kernel: replay-check takes one run directory: kernel replay-check <baseDir>/<instanceId>/<runId>.level|.lmdb [--json]\n');
    return 2;
  }
  const result = await replayCheck(paths[0]!);
  if (json) process.stdout.write(`${summaryToJson(result)}\n`);
  else {
    const [line, warning] = formatReplayCheck(result).split('\n');
    process.stdout.write(`${line}\n`);
    if (warning !== undefined) process.stderr.write(`${warning}\n`);
  }
  return result.reproduced ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'replay-check') return replayCheckCommand(argv.slice(1));
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`${(createRequire(import.meta.url)('../package.json') as { version: string }).version}\n`);
    return 0;
  }
  let command: CliCommand;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // Asked-for help goes to stdout with exit 0; a usage error goes to stderr with exit 2.
    if (error.message === '') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`kernel: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (command.replayOnly) {
    const state = await replayOnly(command.options.baseDir ?? './event_store', command.options.instanceId ?? 'kernel-001', command.options.replayFromRunId!);
    process.stdout.write(`${command.json ? summaryToJson(state) : formatRestoredState(state)}\n`);
    return 0;
  }
  const fault = failPhase();
  if (fault !== undefined) command.options.failAt = fault;
  const live = process.stderr.isTTY === true && !command.json;
  let lastDraw = 0;
  const summary = await runKernel({
    ...command.options,
    ...(live
      ? {
          onProgress: (progress) => {
            const now = performance.now();
            if (now - lastDraw < 100) return;
            lastDraw = now;
            process.stderr.write(`\r\x1b[2K${formatProgress(progress)}`);
          },
        }
      : {}),
  });
  if (live) process.stderr.write('\r\x1b[2K');
  process.stdout.write(`${command.json ? summaryToJson(summary) : formatSummary(summary)}\n`);
  return summary.verify?.clean === true ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One line: the phase, the run and what became of it (KernelRunError), or the error itself.
    process.stderr.write(error instanceof KernelRunError ? `kernel: ${error.message}\n` : oneLine(error));
    process.exitCode = 2;
    setTimeout(() => process.exit(2), FAILURE_EXIT_GRACE_MS).unref();
  },
);

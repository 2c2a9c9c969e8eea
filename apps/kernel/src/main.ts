#!/usr/bin/env node
/**
 * The `kernel` command: `kernel run [options]` trades the simulated markets with tapelog capturing
 * the bus, shows a live progress line on a terminal, and prints the run summary with the verify
 * result of the sealed run. Exit 0 clean, 1 when verify found problems or the run did not seal,
 * 2 on bad arguments or an error.
 */
import { UsageError, USAGE, parseArguments } from './cli-arguments.js';
import { runKernel } from './run-kernel.js';
import { formatProgress, formatSummary, summaryToJson } from './run-report.js';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message !== '') process.stderr.write(`kernel: ${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return error.message === '' ? 0 : 2;
  }
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
    process.stderr.write(`kernel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);

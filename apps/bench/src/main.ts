/**
 * The benchmark harness: `pnpm bench` runs every scenario (short), `pnpm bench --full` runs
 * longer, `pnpm bench <name>…` runs the named ones. Scenarios live one per file in
 * `src/scenarios/` and are found at run time; a scenario that fails to load or run is reported
 * as failed, the others still run, and the exit code is non-zero. Results go to `results/`.
 */
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArguments, USAGE } from './arguments.js';
import { formatFigureLine } from './console-output.js';
import { collectEnvironment } from './environment.js';
import { loadScenarios } from './load-scenarios.js';
import type { BenchmarkRun } from './results.js';
import { loadFailureOutcome, runScenarios } from './run-scenarios.js';
import { writeResults } from './write-results.js';

/** A scenario taking longer than this in the short mode puts the 3-minute total at risk. */
const SHORT_BUDGET_SECONDS = 35;

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const distDirectory = dirname(fileURLToPath(import.meta.url));
  const benchDirectory = dirname(distDirectory);
  const { scenarios, failures } = await loadScenarios(join(distDirectory, 'scenarios'));
  const available = [...scenarios.map((scenario) => scenario.name), ...failures.map((failure) => failure.name)].sort();
  const unknown = args.names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
    return 2;
  }
  const wanted = (name: string): boolean => args.names.length === 0 || args.names.includes(name);

  const startedAt = new Date();
  const start = process.hrtime.bigint();
  const environment = collectEnvironment(tmpdir(), benchDirectory);
  console.log(
    `tapelog bench (${args.full ? 'full' : 'short'}), Node ${environment.node}, ${environment.cpuModel} × ${environment.cpuCores}, ${environment.filesystem}, load ${environment.loadAverageAtStart.toFixed(2)}`,
  );

  const outcomes = failures.filter((failure) => wanted(failure.name)).map(loadFailureOutcome);
  for (const outcome of outcomes) console.error(`${outcome.name}: FAILED to load\n${indent(outcome.error ?? '')}`);
  outcomes.push(
    ...(await runScenarios(
      scenarios.filter((scenario) => wanted(scenario.name)),
      {
        full: args.full,
        scratchRoot: tmpdir(),
        onStart: (scenario) => console.log(`${scenario.name}: ${scenario.description}`),
        onEnd: (outcome) => {
          if (outcome.status === 'failed')
            console.error(`${outcome.name}: FAILED after ${outcome.durationSeconds.toFixed(1)} s\n${indent(outcome.error ?? '')}`);
          for (const figure of outcome.figures) console.log(formatFigureLine(figure));
          const overBudget = !args.full && outcome.durationSeconds > SHORT_BUDGET_SECONDS ? ` (over the ${SHORT_BUDGET_SECONDS} s short budget)` : '';
          console.log(`  (${outcome.durationSeconds.toFixed(1)} s${overBudget})`);
        },
      },
    )),
  );
  outcomes.sort((a, b) => a.name.localeCompare(b.name));

  const run: BenchmarkRun = {
    startedAt: startedAt.toISOString(),
    mode: args.full ? 'full' : 'short',
    durationSeconds: Number(process.hrtime.bigint() - start) / 1e9,
    environment: { ...environment, loadAverageAtEnd: loadavg()[0]! },
    scenarios: outcomes,
  };
  console.log(`done in ${run.durationSeconds.toFixed(1)} s`);
  if (args.write) {
    const written = writeResults(run, join(benchDirectory, 'results'));
    console.log(`wrote ${written.map((path) => relative(process.cwd(), path)).join(', ')}`);
  }
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length > 0) {
    console.error(`${failed.length} scenario(s) failed: ${failed.map((outcome) => outcome.name).join(', ')}`);
    return 1;
  }
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

process.exitCode = await main();

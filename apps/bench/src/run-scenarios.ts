/**
 * Runs the selected scenarios one after another, each in its own scratch directory, and turns a
 * throw into a failed outcome so the remaining scenarios still run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { flushDisk } from './flush-disk.js';
import { describeError, type LoadFailure } from './load-scenarios.js';
import type { ScenarioOutcome } from './results.js';
import type { Scenario, ScenarioResult } from './scenario.js';

export interface RunOptions {
  full: boolean;
  /** Each scenario gets a fresh directory under this one, removed afterwards. */
  scratchRoot: string;
  /** Told when a scenario starts and when it ends. */
  onStart?: (scenario: Scenario) => void;
  onEnd?: (outcome: ScenarioOutcome) => void;
}

/** The outcome recorded for a scenario file that could not be loaded. */
export function loadFailureOutcome(failure: LoadFailure): ScenarioOutcome {
  return {
    name: failure.name,
    description: `could not load ${failure.file}`,
    status: 'failed',
    durationSeconds: 0,
    figures: [],
    charts: [],
    tables: [],
    error: failure.error,
  };
}

/**
 * Quiet time before each scenario. The writeback of the previous scenario's files (hundreds of MB
 * from the durable-append scenarios) otherwise runs in kernel threads during the next one, and
 * the CPU-bound figures right after them (hashing, capture) came out 15-40% worse than alone.
 */
const SETTLE_MS = 1000;

export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) {
    flushDisk();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    options.onStart?.(scenario);
    const scratchDir = mkdtempSync(join(options.scratchRoot, `tapelog-bench-${scenario.name}-`));
    const start = process.hrtime.bigint();
    let outcome: ScenarioOutcome;
    try {
      const result: ScenarioResult = await scenario.run({ full: options.full, scratchDir });
      outcome = {
        name: scenario.name,
        description: scenario.description,
        status: 'passed',
        durationSeconds: secondsSince(start),
        figures: result.figures,
        charts: result.charts ?? [],
        tables: result.tables ?? [],
        details: result.details,
      };
    } catch (error) {
      outcome = {
        name: scenario.name,
        description: scenario.description,
        status: 'failed',
        durationSeconds: secondsSince(start),
        figures: [],
        charts: [],
        tables: [],
        error: describeError(error),
      };
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
    options.onEnd?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

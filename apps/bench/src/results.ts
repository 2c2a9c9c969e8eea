/** The record of one harness run, as written to `results/latest.json` and rendered to Markdown and SVG. */
import type { Environment } from './environment.js';
import type { Chart, Figure, Table } from './scenario.js';

export interface ScenarioOutcome {
  name: string;
  description: string;
  status: 'passed' | 'failed';
  durationSeconds: number;
  figures: Figure[];
  charts: Chart[];
  tables: Table[];
  /** Why the scenario failed to load or run; set only when `status` is 'failed'. */
  error?: string;
  details?: Record<string, unknown>;
}

export interface BenchmarkRun {
  startedAt: string;
  /** `--full`, or the short default. */
  mode: 'short' | 'full';
  durationSeconds: number;
  environment: Environment;
  scenarios: ScenarioOutcome[];
}

/** JSON text of a run: bigints become strings, NaN and infinities become null. */
export function serializeRun(run: BenchmarkRun): string {
  return `${JSON.stringify(run, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}

/**
 * The benchmark harness: `pnpm bench` runs every scenario (short), `pnpm bench --full` runs
 * longer, `pnpm bench <name>…` runs the named ones. Scenarios live one per file in
 * `src/scenarios/` and are found at run time.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure, Scenario, ScenarioResult } from './scenario.js';

async function loadScenarios(): Promise<Scenario[]> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');
  const files = readdirSync(dir).filter((file) => file.endsWith('.js')).sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { scenario?: Scenario };
    if (module.scenario) scenarios.push(module.scenario);
  }
  return scenarios;
}

function formatFigure(figure: Figure): string {
  const value = Math.abs(figure.value) >= 100 ? Math.round(figure.value).toLocaleString('en-US') : figure.value.toFixed(3);
  let line = `  ${figure.name.padEnd(58)} ${value.padStart(14)} ${figure.unit}`;
  if (figure.target) {
    const met = figure.target.kind === 'min' ? figure.value >= figure.target.value : figure.value <= figure.target.value;
    line += `   target ${figure.target.kind === 'min' ? '≥' : '≤'} ${figure.target.value} (${figure.target.source}): ${met ? 'met' : 'NOT met'}`;
  }
  if (figure.note) line += `   [${figure.note}]`;
  return line;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const all = await loadScenarios();
  const unknown = names.filter((name) => !all.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${all.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length === 0 ? all : all.filter((scenario) => names.includes(scenario.name));
  const results: Array<{ scenario: string; result: ScenarioResult }> = [];
  for (const scenario of selected) {
    const scratchDir = mkdtempSync(join(tmpdir(), `tapelog-bench-${scenario.name}-`));
    console.log(`${scenario.name}: ${scenario.description}`);
    try {
      const result = await scenario.run({ full, scratchDir });
      for (const figure of result.figures) console.log(formatFigure(figure));
      results.push({ scenario: scenario.name, result });
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  }
  process.exitCode = 0;
  void results;
}

await main();

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadScenarios } from '../src/load-scenarios.js';
import { loadFailureOutcome, runScenarios } from '../src/run-scenarios.js';
import type { Scenario } from '../src/scenario.js';

const directories: string[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tapelog-bench-test-'));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('loading scenario files', () => {
  test('a file that fails to import, or exports no scenario, is a failure; the others load', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'good.js'), "export const scenario = { name: 'good', description: 'fine', run: async () => ({ figures: [] }) };\n");
    writeFileSync(join(directory, 'broken.js'), "import 'a-package-that-is-not-installed';\nexport const scenario = {};\n");
    writeFileSync(join(directory, 'empty.js'), 'export const somethingElse = 1;\n');
    writeFileSync(join(directory, 'notes.txt'), 'not a scenario\n');
    const { scenarios, failures } = await loadScenarios(directory);
    expect(scenarios.map((scenario) => scenario.name)).toEqual(['good']);
    expect(failures.map((failure) => failure.name)).toEqual(['broken', 'empty']);
    expect(failures[0]!.error).toMatch(/a-package-that-is-not-installed/);
    expect(failures[1]!.error).toMatch(/exports no `scenario`/);
    const outcome = loadFailureOutcome(failures[0]!);
    expect(outcome).toMatchObject({ name: 'broken', status: 'failed', figures: [] });
  });
});

describe('running scenarios', () => {
  test('a scenario that throws is reported failed, the next still runs, and scratch directories are removed', async () => {
    const scratchRoot = temporaryDirectory();
    const seen: Array<{ full: boolean; scratchDir: string }> = [];
    const failing: Scenario = {
      name: 'failing',
      description: 'throws',
      run: async (options) => {
        seen.push(options);
        writeFileSync(join(options.scratchDir, 'left-behind'), 'x');
        throw new Error('disk on fire');
      },
    };
    const passing: Scenario = {
      name: 'passing',
      description: 'returns one figure',
      run: async (options) => {
        seen.push(options);
        return { figures: [{ name: 'rate', value: 42, unit: 'entries/s' }], charts: [{ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series: [] }] };
      },
    };
    const ended: string[] = [];
    const outcomes = await runScenarios([failing, passing], { full: true, scratchRoot, onEnd: (outcome) => ended.push(outcome.name) });
    expect(outcomes.map((outcome) => `${outcome.name}:${outcome.status}`)).toEqual(['failing:failed', 'passing:passed']);
    expect(outcomes[0]!.error).toMatch(/Error: disk on fire/);
    expect(outcomes[1]!.figures).toEqual([{ name: 'rate', value: 42, unit: 'entries/s' }]);
    expect(outcomes[1]!.charts).toHaveLength(1);
    expect(outcomes[1]!.tables).toEqual([]);
    expect(ended).toEqual(['failing', 'passing']);
    expect(seen.every((options) => options.full)).toBe(true);
    for (const options of seen) expect(existsSync(options.scratchDir)).toBe(false);
    expect(readdirSync(scratchRoot)).toEqual([]);
  });
});

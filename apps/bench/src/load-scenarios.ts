/**
 * Finds the scenario files of a directory at run time and imports them one by one, so that one
 * file that fails to import is reported as a failed scenario instead of stopping the harness.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario } from './scenario.js';

/** A scenario file that could not be imported, or exports no valid `scenario`. */
export interface LoadFailure {
  /** The file name without extension: scenario files are named after their scenario. */
  name: string;
  file: string;
  error: string;
}

export interface LoadedScenarios {
  scenarios: Scenario[];
  failures: LoadFailure[];
}

export type ModuleImporter = (url: string) => Promise<unknown>;

function isScenario(value: unknown): value is Scenario {
  const candidate = value as Partial<Scenario> | undefined;
  return typeof candidate?.name === 'string' && typeof candidate.description === 'string' && typeof candidate.run === 'function';
}

/** Imports every `.js` file of `directory` (sorted by name); a file exporting no `scenario` is a failure. */
export async function loadScenarios(directory: string, importModule: ModuleImporter = (url) => import(url)): Promise<LoadedScenarios> {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.js'))
    .sort();
  const scenarios: Scenario[] = [];
  const failures: LoadFailure[] = [];
  for (const file of files) {
    const name = basename(file, '.js');
    try {
      const module = (await importModule(pathToFileURL(join(directory, file)).href)) as { scenario?: unknown };
      if (!isScenario(module.scenario)) throw new Error(`${file} exports no \`scenario\` with a name, a description and a run()`);
      scenarios.push(module.scenario);
    } catch (error) {
      failures.push({ name, file, error: describeError(error) });
    }
  }
  return { scenarios, failures };
}

/** The message of an error with the first frames of its stack, enough to find the cause. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? '')
      .split('\n')
      .slice(1, 4)
      .map((line) => line.trim());
    return [`${error.name}: ${error.message}`, ...frames].join('\n');
  }
  return String(error);
}

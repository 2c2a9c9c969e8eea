/** Writes a run to a results directory: `latest.json`, `latest.md` and one SVG per chart. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from './markdown-report.js';
import { type BenchmarkRun, serializeRun } from './results.js';
import { renderChartSvg } from './svg-chart.js';

/** Returns the paths written. */
export function writeResults(run: BenchmarkRun, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const path = join(directory, name);
    writeFileSync(path, text);
    written.push(path);
  };
  write('latest.json', serializeRun(run));
  write('latest.md', renderMarkdown(run));
  for (const scenario of run.scenarios) for (const chart of scenario.charts) write(`${chart.id}.svg`, renderChartSvg(chart));
  return written;
}

/**
 * Renders a run as Markdown: the environment, every stated target with its verdict, then one
 * table per scenario (figure, value, unit, target, verdict, note), and failures with their cause.
 */
import { formatValue } from './format-value.js';
import { REPORTED_FIGURES } from './reported-figures.js';
import type { BenchmarkRun, ScenarioOutcome } from './results.js';
import { describeTarget, targetVerdict } from './target.js';

/** A table cell: pipes escaped and line breaks flattened so the row stays one row. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function verdictCell(verdict: ReturnType<typeof targetVerdict>): string {
  if (verdict === undefined) return '';
  return verdict === 'met' ? 'met' : '**NOT met**';
}

function environmentSection(run: BenchmarkRun): string[] {
  const environment = run.environment;
  const load =
    environment.loadAverageAtEnd === undefined
      ? environment.loadAverageAtStart.toFixed(2)
      : `${environment.loadAverageAtStart.toFixed(2)} at start, ${environment.loadAverageAtEnd.toFixed(2)} at end`;
  const versions = Object.entries(environment.storeVersions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    '## Environment',
    '',
    '| | |',
    '| --- | --- |',
    `| Node | ${cell(`${environment.node} (V8 ${environment.v8})`)} |`,
    `| OS | ${cell(environment.os)} |`,
    `| CPU | ${cell(`${environment.cpuModel}, ${environment.cpuCores} cores`)} |`,
    `| Memory | ${environment.memoryGiB} GiB |`,
    `| Filesystem of the scratch directories | ${cell(`${environment.filesystem}, ${environment.scratchDirectory}`)} |`,
    `| Load average (1 min) | ${load} |`,
    `| fsync mode | ${cell(environment.fsyncMode)} |`,
    `| Store versions | ${cell(versions)} |`,
    '',
  ];
}

function targetsSection(run: BenchmarkRun): string[] {
  const rows: string[] = [];
  for (const scenario of run.scenarios) {
    for (const figure of scenario.figures) {
      const reported = REPORTED_FIGURES.find((candidate) => candidate.scenario === scenario.name && candidate.figure === figure.name);
      if (reported !== undefined && figure.target === undefined) {
        rows.push(
          `| ${cell(reported.source)} | ${cell(scenario.name)} | ${cell(figure.name)} | ${formatValue(figure.value)} ${cell(figure.unit)} | no threshold set | reported |`,
        );
      }
      if (figure.target === undefined) continue;
      rows.push(
        `| ${cell(figure.target.source)} | ${cell(scenario.name)} | ${cell(figure.name)} | ${formatValue(figure.value)} ${cell(figure.unit)} | ${cell(describeTarget(figure))} | ${verdictCell(targetVerdict(figure))} |`,
      );
    }
  }
  if (rows.length === 0) return [];
  return ['## Targets', '', '| issue | scenario | figure | measured | target | verdict |', '| --- | --- | --- | ---: | --- | --- |', ...rows, ''];
}

function scenarioSection(scenario: ScenarioOutcome): string[] {
  const heading = `### ${scenario.name}${scenario.status === 'failed' ? ' — FAILED' : ''}`;
  const lines = [heading, '', `${scenario.description} (${scenario.durationSeconds.toFixed(1)} s)`, ''];
  if (scenario.status === 'failed') {
    lines.push('```', scenario.error ?? 'unknown error', '```', '');
    return lines;
  }
  for (const table of scenario.tables) {
    lines.push(
      `**${cell(table.title)}**`,
      '',
      `| ${table.columns.map(cell).join(' | ')} |`,
      `| ${table.columns.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    );
    for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
    lines.push('');
  }
  lines.push('| figure | value | unit | target | verdict | note |', '| --- | ---: | --- | --- | --- | --- |');
  for (const figure of scenario.figures) {
    lines.push(
      `| ${cell(figure.name)} | ${formatValue(figure.value)} | ${cell(figure.unit)} | ${cell(describeTarget(figure))} | ${verdictCell(targetVerdict(figure))} | ${cell(figure.note ?? '')} |`,
    );
  }
  for (const chart of scenario.charts) lines.push('', `![${chart.title}](${chart.id}.svg)`);
  lines.push('');
  return lines;
}

export function renderMarkdown(run: BenchmarkRun): string {
  const failed = run.scenarios.filter((scenario) => scenario.status === 'failed');
  const lines = [
    '# tapelog benchmark results',
    '',
    `Written by \`pnpm bench${run.mode === 'full' ? ' --full' : ''}\` on ${run.startedAt}: ${run.mode} mode, ${run.scenarios.length} scenarios` +
      `${failed.length > 0 ? ` (${failed.length} failed: ${failed.map((scenario) => scenario.name).join(', ')})` : ''}, ${run.durationSeconds.toFixed(0)} s in all. ` +
      'Values are medians over repetitions; ratios compare stores measured in the same run.',
    '',
    ...environmentSection(run),
    ...targetsSection(run),
    '## Scenarios',
    '',
    ...run.scenarios.flatMap(scenarioSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

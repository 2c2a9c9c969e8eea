import { describe, expect, test } from 'vitest';
import { formatValue } from '../src/format-value.js';
import { renderMarkdown } from '../src/markdown-report.js';
import { serializeRun } from '../src/results.js';
import { describeTarget, targetVerdict } from '../src/target.js';
import { sampleRun } from './fixtures.js';

describe('targets', () => {
  test('min and max targets, and an unmeasured figure never meets its target', () => {
    const [met, notMet, tail] = sampleRun().scenarios[0]!.figures;
    expect(targetVerdict(met!)).toBe('met');
    expect(targetVerdict(notMet!)).toBe('not met');
    expect(targetVerdict(tail!)).toBe('not met');
    expect(targetVerdict({ name: 'x', value: Number.NaN, unit: 'ns', target: { value: 1, kind: 'max', source: 's' } })).toBe('not met');
    expect(targetVerdict({ name: 'x', value: 1, unit: 'ns' })).toBeUndefined();
    expect(describeTarget(met!)).toBe('≥ 1,000,000 hashes/s');
    expect(describeTarget(tail!)).toBe('≤ 20,000 ns');
  });

  test('values print with separators when large and three significant digits when small', () => {
    expect(formatValue(1_234_567.8)).toBe('1,234,568');
    expect(formatValue(12.345)).toBe('12.35');
    expect(formatValue(0.0123456)).toBe('0.0123');
    expect(formatValue(Number.NaN)).toBe('n/a');
  });
});

describe('Markdown report', () => {
  const markdown = renderMarkdown(sampleRun());

  test('starts with the environment block', () => {
    expect(markdown).toContain('| Node | v20.20.2 (V8 11.3) |');
    expect(markdown).toContain('| CPU | AMD EPYC, 2 cores |');
    expect(markdown).toContain('| Filesystem of the scratch directories | ext4 (/dev/vda on /), /tmp |');
    expect(markdown).toContain('| fsync mode | sync: true everywhere |');
    expect(markdown).toContain('| Load average (1 min) | 1.50 at start, 2.25 at end |');
    expect(markdown).toContain('classic-level 3.0.0, lmdb 3.5.6');
  });

  test('gathers every target with its figure and verdict', () => {
    expect(markdown).toContain('| issue 2 | hash | computeEntryHash (median) | 1,234,567 hashes/s | ≥ 1,000,000 hashes/s | met |');
    expect(markdown).toContain('| issue 3 | hash | ratio \\| with a pipe | 0.700 ratio | ≥ 0.800 ratio | **NOT met** |');
    expect(markdown).toContain('| issue 9 | peers | not measured | n/a entries/s | ≥ 1 entries/s | **NOT met** |');
  });

  test('one table per scenario, its extra tables and charts, and failures with their cause', () => {
    expect(markdown).toContain('### hash\n');
    expect(markdown).toContain('| batch | tapelog |\n| --- | ---: |\n| 100 | 80,000 |');
    expect(markdown).toContain('![Throughput <&> batch](throughput-vs-batch.svg)');
    expect(markdown).toContain('### kernel — FAILED');
    expect(markdown).toContain('Error: Cannot find module @tapelog/kernel-app');
    expect(markdown).toContain('(1 failed: kernel)');
  });

  test('JSON keeps every scenario, with NaN as null', () => {
    const parsed = JSON.parse(serializeRun(sampleRun())) as { scenarios: Array<{ name: string; status: string; figures: Array<{ value: number | null }> }> };
    expect(parsed.scenarios.map((scenario) => `${scenario.name}:${scenario.status}`)).toEqual(['hash:passed', 'peers:passed', 'kernel:failed']);
    expect(parsed.scenarios[1]!.figures[0]!.value).toBeNull();
  });
});

describe('figures reported without a threshold', () => {
  test('appear in the targets table as reported', () => {
    const run = sampleRun();
    run.scenarios.push({
      name: 'writer',
      description: 'writer',
      status: 'passed',
      durationSeconds: 1,
      figures: [{ name: 'submit→durable latency p99 at 10,000/s offered', value: 12.5, unit: 'ms' }],
      charts: [],
      tables: [],
    });
    expect(renderMarkdown(run)).toContain(
      '| writer issue (issue 4) | writer | submit→durable latency p99 at 10,000/s offered | 12.50 ms | no threshold set | reported |',
    );
  });

  test('a fractional target prints like a value', () => {
    expect(describeTarget({ name: 'x', value: 1, unit: 'ns', target: { value: 1.6330000000000027, kind: 'max', source: 's' } })).toBe('≤ 1.63 ns');
  });
});

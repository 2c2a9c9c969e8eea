/** A small benchmark run for the report tests: two passed scenarios (targets met and not met, a chart, a table) and a failed one. */
import type { BenchmarkRun } from '../src/results.js';

export function sampleRun(): BenchmarkRun {
  return {
    startedAt: '2026-01-02T03:04:05.000Z',
    mode: 'short',
    durationSeconds: 123.4,
    environment: {
      node: 'v20.20.2',
      v8: '11.3',
      os: 'linux 6.1 x64',
      cpuModel: 'AMD EPYC',
      cpuCores: 2,
      memoryGiB: 24,
      scratchDirectory: '/tmp',
      filesystem: 'ext4 (/dev/vda on /)',
      loadAverageAtStart: 1.5,
      loadAverageAtEnd: 2.25,
      fsyncMode: 'sync: true everywhere',
      storeVersions: { 'classic-level': '3.0.0', lmdb: '3.5.6' },
    },
    scenarios: [
      {
        name: 'hash',
        description: 'entry hash',
        status: 'passed',
        durationSeconds: 4.2,
        figures: [
          {
            name: 'computeEntryHash (median)',
            value: 1_234_567,
            unit: 'hashes/s',
            target: { value: 1_000_000, kind: 'min', source: 'issue 2' },
            note: '200-byte payload',
          },
          { name: 'ratio | with a pipe', value: 0.7, unit: 'ratio', target: { value: 0.8, kind: 'min', source: 'issue 3' } },
          { name: 'p99', value: 25_000, unit: 'ns', target: { value: 20_000, kind: 'max', source: 'issue 4' } },
        ],
        charts: [],
        tables: [{ title: 'At a glance', columns: ['batch', 'tapelog'], rows: [['100', '80,000']] }],
      },
      {
        name: 'peers',
        description: 'peers',
        status: 'passed',
        durationSeconds: 10,
        figures: [{ name: 'not measured', value: Number.NaN, unit: 'entries/s', target: { value: 1, kind: 'min', source: 'issue 9' } }],
        charts: [
          {
            id: 'throughput-vs-batch',
            title: 'Throughput <&> batch',
            xLabel: 'batch',
            yLabel: 'entries/s',
            series: [
              {
                name: 'tapelog',
                points: [
                  { x: 1, y: 3_000 },
                  { x: 100, y: 80_000 },
                  { x: 512, y: 300_000 },
                  { x: 4096, y: 200_000 },
                ],
              },
              {
                name: 'raw "classic-level"',
                points: [
                  { x: 1, y: 3_500 },
                  { x: 100, y: 160_000 },
                  { x: 512, y: Number.NaN },
                  { x: 4096, y: 320_000 },
                ],
              },
              {
                name: 'lmdb & co',
                points: [
                  { x: 100, y: 110_000 },
                  { x: 4096, y: 340_000 },
                ],
              },
            ],
          },
        ],
        tables: [],
      },
      {
        name: 'kernel',
        description: 'could not load kernel.js',
        status: 'failed',
        durationSeconds: 0,
        figures: [],
        charts: [],
        tables: [],
        error: 'Error: Cannot find module @tapelog/kernel-app',
      },
    ],
  };
}

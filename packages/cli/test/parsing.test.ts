import { join, resolve } from 'node:path';
import { DEFAULT_VERIFY_TIMEOUT_SECS, parseRetentionMode, parseRunPath, verifyTimeoutSeconds } from '@tapelog/cli';
import { describe, expect, test } from 'vitest';
import { ProgressBar } from '../src/progress-bar.js';

describe('parseRunPath', () => {
  test('splits <baseDir>/<instanceId>/<runId>.level, tolerating a trailing slash', () => {
    expect(parseRunPath('/data/tapelog/trader-001/1000-abcd1234.level/')).toEqual({
      path: '/data/tapelog/trader-001/1000-abcd1234.level',
      baseDir: '/data/tapelog',
      instanceId: 'trader-001',
      runId: '1000-abcd1234',
    });
    expect(parseRunPath('runs/i/r.level').baseDir).toBe(resolve('runs'));
  });

  test.each(['/data/tapelog/trader-001', '/data/tapelog/trader-001/r.markers.level', join('/x', '.level')])('rejects %s', (path) => {
    // A usage error (exit 2) that names the path it refused.
    expect(() => parseRunPath(path)).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringContaining(path) }));
  });
});

describe('verifyTimeoutSeconds', () => {
  test('whole seconds; absent or anything else falls back to 30; 0 is valid', () => {
    expect(DEFAULT_VERIFY_TIMEOUT_SECS).toBe(30);
    expect(verifyTimeoutSeconds(undefined)).toBe(30);
    expect(verifyTimeoutSeconds('5')).toBe(5);
    expect(verifyTimeoutSeconds('0')).toBe(0);
    for (const text of [' 5', '5s', '-1', '1.5', '']) expect(verifyTimeoutSeconds(text)).toBe(30);
  });
});

describe('parseRetentionMode', () => {
  test('full, bounded:N and snapshot-anchored', () => {
    expect(parseRetentionMode('full')).toEqual({ kind: 'Full' });
    expect(parseRetentionMode('bounded:3')).toEqual({ kind: 'Bounded', keepLast: 3 });
    expect(parseRetentionMode('snapshot-anchored')).toEqual({ kind: 'SnapshotAnchored' });
    expect(() => parseRetentionMode('bounded:-1')).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringContaining('bounded:-1') }));
  });
});

describe('ProgressBar', () => {
  function fakeStream() {
    const writes: string[] = [];
    return { writes, stream: { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
  }

  test('draws on a terminal and erases itself when finished', () => {
    const { writes, stream } = fakeStream();
    const bar = new ProgressBar('verify', stream, true);
    bar.update(50, 100);
    bar.update(100, 100);
    bar.finish();
    expect(writes[0]).toContain(' 50% 50/100 entries');
    expect(writes[1]).toContain('100% 100/100 entries');
    expect(writes[2]).toBe('\r\u001b[2K');
  });

  test('draws nothing when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream();
    const bar = new ProgressBar('verify', stream, false);
    bar.update(1, 2);
    bar.finish();
    expect(writes).toEqual([]);
  });
});

describe('command table', () => {
  test('the parent knows every command the worker runs, and only those', async () => {
    const { COMMAND_NAMES } = await import('../src/main.js');
    const { COMMANDS } = await import('../src/run-command.js');
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  test('error lines name the run directory, or the instance directory for runs and retention', async () => {
    const { commandSubject } = await import('../src/command-subject.js');
    expect(commandSubject('scan', ['--from', '3', '/b/i/r.level'])).toBe('/b/i/r.level');
    expect(commandSubject('scan', ['--json', '/b/i/r.level', '--to=9'])).toBe('/b/i/r.level');
    expect(commandSubject('runs', ['/b', 'i', '--json'])).toBe('/b/i');
    expect(commandSubject('markers', ['verify', '/b/i/r.markers.level'])).toBe('/b/i/r.markers.level');
  });
});

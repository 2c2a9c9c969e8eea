/**
 * `runConformance` for a backend whose provider keeps everything under one local directory: the
 * wiring every such backend repeats (a fresh temporary directory per provider, a restart as a new
 * provider over it, the child process of the crash and sync-audit areas, removal afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStoreProvider } from '@tapelog/core';
import type { ConformanceOptions, DescribeFunction, TestFunction } from './harness.js';

export interface DirectoryConformanceOptions<Options> {
  test: TestFunction;
  describe: DescribeFunction;
  /** The backend's `createProvider`. */
  createProvider: (options: Options) => EventStoreProvider;
  /** The backend's options for a provider over `directory`, such as `{ baseDir: directory }` (plain data: the child process gets them too). */
  options: (directory: string) => Options;
  /** An ES module (absolute path or file URL) exporting the same `createProvider`, for the crash and sync-audit areas; without it they skip. */
  childModule?: string;
  /** Name prefix of the temporary directories; default `tapelog-conformance-`. */
  directoryPrefix?: string;
  /** Per-test timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
}

/** Runs the whole suite, each provider over a fresh temporary directory that is removed after its test. */
export function runConformanceInDirectories<Options>(settings: DirectoryConformanceOptions<Options>, run: (options: ConformanceOptions) => void): void {
  const directories = new WeakMap<EventStoreProvider, string>();
  const providerOver = (directory: string): EventStoreProvider => {
    const provider = settings.createProvider(settings.options(directory));
    directories.set(provider, directory);
    return provider;
  };
  const directoryOf = (provider: EventStoreProvider): string => {
    const directory = directories.get(provider);
    if (directory === undefined) throw new Error('runConformanceInDirectories was handed a provider it did not create');
    return directory;
  };
  const { childModule } = settings;
  run({
    test: settings.test,
    describe: settings.describe,
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    factory: () => providerOver(mkdtempSync(join(tmpdir(), settings.directoryPrefix ?? 'tapelog-conformance-'))),
    // A restarted process: a new provider over the same directory.
    reopen: (provider) => providerOver(directoryOf(provider)),
    ...(childModule === undefined
      ? {}
      : {
          childProvider: (provider: EventStoreProvider) => ({
            module: childModule,
            options: settings.options(directoryOf(provider)),
            directory: directoryOf(provider),
          }),
        }),
    cleanup: (provider) => rmSync(directoryOf(provider), { recursive: true, force: true }),
  });
}

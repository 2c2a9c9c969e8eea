/**
 * Conformance wiring for a backend whose provider keeps everything under one local directory: a
 * fresh temporary directory per provider, a restart as a new provider over it, the child process
 * of the crash and sync-audit areas over it, and its removal afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStoreProvider } from '@tapelog/core';
import type { ConformanceOptions } from './harness.js';

/** How to build the backend's providers over a directory. */
export interface DirectoryProviders<Options> {
  /** The backend's `createProvider`. */
  createProvider: (options: Options) => EventStoreProvider;
  /** The backend's options for a provider over `directory`, such as `{ baseDir: directory }` (plain data: the child process gets them too). */
  options: (directory: string) => Options;
  /** An ES module (absolute path or file URL) exporting the same `createProvider`, for the crash and sync-audit areas; without it they skip. */
  childModule?: string;
  /** Name prefix of the temporary directories; default `tapelog-conformance-`. */
  directoryPrefix?: string;
}

/** The suite's provider options (`factory`, `reopen`, `childProvider`, `cleanup`) for a backend kept in one directory per provider. */
export function directoryProviderOptions<Options>(settings: DirectoryProviders<Options>): Omit<ConformanceOptions, 'test' | 'describe'> {
  const directories = new WeakMap<EventStoreProvider, string>();
  const providerOver = (directory: string): EventStoreProvider => {
    const provider = settings.createProvider(settings.options(directory));
    directories.set(provider, directory);
    return provider;
  };
  const directoryOf = (provider: EventStoreProvider): string => {
    const directory = directories.get(provider);
    if (directory === undefined) throw new Error('the conformance suite was handed a provider its directory options did not create');
    return directory;
  };
  const { childModule } = settings;
  return {
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
  };
}

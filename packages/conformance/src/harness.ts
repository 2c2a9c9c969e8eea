/**
 * How the suite talks to a test runner without importing one: structural types for `test`,
 * `describe` and the test context, and the wrapper that gives every test a fresh provider and
 * always closes what it opened.
 */
import type { BackendCapabilities, EventStore, EventStoreProvider, RunManifest } from '@tapelog/core';

/** A capability a case can be gated on. */
export type Capability = keyof BackendCapabilities;

/** True when `capabilities` declares `capability` as true; an optional one left out counts as false. */
export function declares(capabilities: BackendCapabilities, capability: Capability): boolean {
  return capabilities[capability] === true;
}

/** The matchers the suite uses; vitest's and jest's `expect` satisfy it. */
export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  toContain(expected: unknown): void;
  toMatch(expected: RegExp | string): void;
  toBeGreaterThanOrEqual(expected: number | bigint): void;
  toHaveLength(expected: number): void;
  toBeTruthy(): void;
  not: Omit<Matchers, 'not'>;
}

export type ExpectFunction = (actual: unknown, message?: string) => Matchers;

/** The part of a test context the suite needs (vitest provides both). */
export interface TestContext {
  expect: ExpectFunction;
  /** Marks the running test as skipped. */
  skip(note?: string): void;
}

export type TestFunction = (name: string, body: (context: TestContext) => Promise<void>, timeout?: number) => void;
export type DescribeFunction = (name: string, body: () => void) => void;

export interface ConformanceOptions {
  test: TestFunction;
  describe: DescribeFunction;
  /** Returns a fresh, isolated provider on every call. */
  factory: () => EventStoreProvider | Promise<EventStoreProvider>;
  /**
   * Persistent backends: a new provider instance over the same storage as `provider`, as a
   * restarted process would see it. Required when `capabilities.persistent` is true.
   */
  reopen?: (provider: EventStoreProvider) => EventStoreProvider | Promise<EventStoreProvider>;
  /**
   * Persistent backends: how a child process builds a provider over the same storage as
   * `provider`, for the crash and sync-audit areas: `module` (an absolute path or file URL of
   * an ES module exporting `createProvider(options)`), its JSON `options`, and the local
   * `directory` holding the run files (the sync audit checks syncs of files under it). Without
   * it those areas are skipped, with the reason printed.
   */
  childProvider?: (provider: EventStoreProvider) => ChildProviderSpec;
  /** Releases what `factory` created (temporary directories …). Runs after every test. */
  cleanup?: (provider: EventStoreProvider) => void | Promise<void>;
  /** Per-test timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
}

/** How the child process of the crash and sync-audit areas builds its provider. */
export interface ChildProviderSpec {
  module: string;
  options: unknown;
  /** Where the backend keeps its files; absent when it keeps none locally (a database server). */
  directory?: string;
}

/** Opens stores through the provider and remembers them so the test can always close them. */
export class TrackedProvider {
  readonly inner: EventStoreProvider;
  readonly #stores: EventStore[] = [];

  constructor(inner: EventStoreProvider) {
    this.inner = inner;
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  #track(store: EventStore): EventStore {
    this.#stores.push(store);
    return store;
  }

  async openRun(manifest: RunManifest): Promise<EventStore> {
    return this.#track(await this.inner.openRun(manifest));
  }

  async openForRecovery(instanceId: string, runId: string): Promise<EventStore> {
    return this.#track(await this.inner.openForRecovery(instanceId, runId));
  }

  async openSealed(instanceId: string, runId: string): Promise<EventStore> {
    return this.#track(await this.inner.openSealed(instanceId, runId));
  }

  listRuns(instanceId: string): Promise<RunManifest[]> {
    return this.inner.listRuns(instanceId);
  }

  async closeAll(): Promise<void> {
    for (const store of this.#stores.splice(0)) await store.close().catch(() => undefined);
  }
}

/** Where the rules the suite enforces are written down. */
export const RULES_DOCUMENT = "@tapelog/core README, section 'Building on AbstractEventStore' › 'Rules'";

/** The rules section of the area being registered (registration is synchronous). */
let currentSection: string | undefined;

/**
 * Registers one area: a describe block whose cases name `section` (a subsection of the rules
 * in core's README) in every failure.
 */
export function defineArea(options: ConformanceOptions, name: string, section: string, body: () => void): void {
  options.describe(name, () => {
    const outer = currentSection;
    currentSection = section;
    try {
      body();
    } finally {
      currentSection = outer;
    }
  });
}

/**
 * Prefixes a failure with the rule (the case name) and where it is documented, keeping the
 * original assertion (expected/actual) below it. A skip signal passes through untouched.
 */
export function explainFailure(error: unknown, rule: string, section: string | undefined, document = RULES_DOCUMENT): unknown {
  if (isSkipSignal(error)) return error;
  const where = section === undefined ? document : `${document} › '${section}'`;
  const prefix = `tapelog conformance: rule broken: ${rule}\n  documented in ${where}\n  `;
  if (error instanceof Error) {
    if (!error.message.startsWith('tapelog conformance: rule broken')) error.message = prefix + error.message;
    return error;
  }
  return new Error(prefix + String(error));
}

export interface CaseContext extends TestContext {
  provider: TrackedProvider;
  options: ConformanceOptions;
}

export type CaseBody = (context: CaseContext) => Promise<void>;

/** Registers one conformance case: fresh provider, optional capability gate, guaranteed cleanup. */
export function defineCase(options: ConformanceOptions, name: string, body: CaseBody, requires: readonly Capability[] = []): void {
  const section = currentSection;
  options.test(
    name,
    async (context) => {
      const inner = await options.factory();
      const provider = new TrackedProvider(inner);
      try {
        const missing = requires.filter((capability) => !declares(inner.capabilities, capability));
        if (missing.length > 0) {
          context.skip(`backend declares no ${missing.join(', ')} support`);
          return;
        }
        await body({ expect: context.expect, skip: context.skip, provider, options });
      } catch (error) {
        throw explainFailure(error, name, section);
      } finally {
        await provider.closeAll();
        await options.cleanup?.(inner);
      }
    },
    options.timeoutMs ?? 30_000,
  );
}

/** vitest signals a skip by throwing an error with code VITEST_PENDING; it must pass through untouched. */
function isSkipSignal(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'VITEST_PENDING';
}

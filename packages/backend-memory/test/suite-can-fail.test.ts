/**
 * Proves the conformance suite can fail: it is run, case by case, against deliberately broken
 * variants of the memory backend, and the cases that pin each broken rule must fail.
 */
import { failingCases as collectFailures, type TestContext } from '@tapelog/conformance';
import type { AppendEntry, EventStore, EventStoreProvider, RunManifest, SealedRunStatus } from '@tapelog/core';
import { describe, expect, test } from 'vitest';
import { createProvider } from '../src/index.js';

/** The names of the cases the suite fails for providers from `factory`. */
async function failingCases(factory: () => EventStoreProvider): Promise<string[]> {
  return [...(await collectFailures({ factory }, expect as unknown as TestContext['expect'])).keys()];
}

/** A provider whose stores are wrapped by `wrap`; `claims` overrides what it says of itself. */
function brokenProvider(
  wrap: (store: EventStore) => EventStore,
  claims: Partial<Pick<EventStoreProvider, 'name' | 'capabilities'>> = {},
): () => EventStoreProvider {
  return () => {
    const inner = createProvider();
    return {
      name: 'broken',
      capabilities: inner.capabilities,
      ...claims,
      tamper: inner.tamper,
      faults: inner.faults,
      openRun: async (manifest: RunManifest) => wrap(await inner.openRun(manifest)),
      openForRecovery: async (instanceId: string, runId: string) => wrap(await inner.openForRecovery(instanceId, runId)),
      openSealed: async (instanceId: string, runId: string) => wrap(await inner.openSealed(instanceId, runId)),
      listRuns: (instanceId: string) => inner.listRuns(instanceId),
    };
  };
}

/** Delegates every method of `store`, with `overrides` on top. */
function override(store: EventStore, overrides: Partial<EventStore>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property in overrides) return (overrides as Record<string | symbol, unknown>)[property];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the conformance suite fails broken backends', () => {
  test('the healthy memory backend fails no case under the same collector', async () => {
    expect(await failingCases(() => createProvider())).toEqual([]);
  });

  test('a backend that accepts an out-of-order seq fails the contiguity cases', async () => {
    const failures = await failingCases(
      brokenProvider((store) =>
        override(store, {
          // Renumbers whatever it is given so that nothing is ever rejected.
          appendBatch: async (batch: readonly AppendEntry[]) => {
            const hwm = await store.highWatermark();
            return store.appendBatch(batch.map((item, i) => ({ ...item, entry: { ...item.entry, seq: hwm + 1 + i } })));
          },
        }),
      ),
    );
    expect(failures).toContain('tapelog backend conformance > append > append rejects a first seq that is not hwm + 1');
    expect(failures).toContain('tapelog backend conformance > append > a batch with a gap inside is rejected whole: no entry and no index row lands');
  });

  test('a backend that skips the hash check on read fails the tamper cases', async () => {
    const failures = await failingCases(
      brokenProvider((store) =>
        override(store, {
          // Swallows the mismatch: a corrupted row reads as "not there" instead of failing.
          scanSeq: async (seq: number) => store.scanSeq(seq).catch(() => undefined),
        }),
      ),
    );
    expect(failures).toContain(
      'tapelog backend conformance > append > the backend stores a tampered entry without checking its hash; reads report HASH_MISMATCH',
    );
  });

  test('a backend whose index keeps the last write fails the first-write-wins cases', async () => {
    const failures = await failingCases(
      brokenProvider((store) =>
        override(store, {
          lookup: async (kind: string, key: string) => {
            const first = await store.lookup(kind, key);
            return first === undefined ? undefined : store.highWatermark();
          },
        }),
      ),
    );
    expect(failures).toContain('tapelog backend conformance > index > lookup records the first occurrence per kind, across entries and batches');
  });

  test('a backend that stamps the last tsInit instead of the maximum fails the seal cases', async () => {
    const failures = await failingCases(
      brokenProvider((store) =>
        override(store, {
          seal: async (status: SealedRunStatus, chainHead?: string) => {
            const sealed = await store.seal(status, chainHead);
            const last = sealed.highWatermark > 0 ? await store.scanSeq(sealed.highWatermark) : undefined;
            return { ...sealed, endTsInit: last?.tsInit };
          },
        }),
      ),
    );
    expect(failures).toContain('tapelog backend conformance > seal > seal Ended stamps the maximum tsInit as endTsInit and blocks a second seal');
  });

  test('a backend that declares pipelinedAppends but applies overlapping calls out of order fails the pipelined cases', async () => {
    const wrap = (store: EventStore): EventStore => {
      let calls = 0;
      return override(store, {
        capabilities: { ...store.capabilities, pipelinedAppends: true },
        // Earlier calls wait longer before reaching the store, so overlapping calls land last-first.
        appendBatch: async (batch: readonly AppendEntry[]) => {
          const call = ++calls;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30 - 10 * call)));
          return store.appendBatch(batch);
        },
      });
    };
    const failures = await failingCases(
      brokenProvider(wrap, { name: 'reordering', capabilities: { ...createProvider().capabilities, pipelinedAppends: true } }),
    );
    expect(failures).toContain(
      'tapelog backend conformance > append > pipelined: three appends issued without awaiting land in call order, each on the hwm the previous left',
    );
    // Awaited one at a time, as every other case does, the reordering backend is correct.
    expect(failures.filter((name) => !name.includes('> append > pipelined:'))).toEqual([]);
  });

  test('a backend that claims persistence but keeps nothing fails the durability cases', async () => {
    const failures = await failingCases(() => {
      const inner = createProvider();
      return new Proxy(inner, {
        get(target, property, receiver) {
          if (property === 'capabilities') return { ...target.capabilities, persistent: true };
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
    expect(failures.filter((name) => name.includes('> durability >')).length).toBe(3);
  });
});

/** Builds runs directly through a provider, the way a writer would, so tests can crash or damage them. */
import {
  type AppendEntry,
  buildAppendEntry,
  ChainHasher,
  computeRunIntegrity,
  type EntryDraft,
  type EventStoreProvider,
  encodeEntry,
  type IndexKey,
  newManifest,
  RUN_ENDED_PAYLOAD_TYPE,
  RUN_ENDED_TOPIC,
  type RunManifest,
  type SealedRunStatus,
  type SnapshotAnchor,
} from '@tapelog/core';

export const INSTANCE = 'trader-001';

export function draft(tsInit: bigint, options: Partial<EntryDraft> & { indexKeys?: IndexKey[] } = {}): EntryDraft {
  return {
    headers: {},
    topic: 'events.order.O-1',
    payloadType: 'OrderFilled',
    payload: new Uint8Array([1, 2, 3, Number(tsInit % 256n)]),
    tsInit,
    indexKeys: [],
    ...options,
  };
}

export function runEnded(tsInit: bigint): EntryDraft {
  return draft(tsInit, { topic: RUN_ENDED_TOPIC, payloadType: RUN_ENDED_PAYLOAD_TYPE, payload: new Uint8Array(0) });
}

export interface RunSpec {
  runId: string;
  startTsInit?: bigint;
  drafts?: EntryDraft[];
  /** Record an anchor at this hwm after appending. */
  anchor?: Omit<SnapshotAnchor, 'highWatermark'> & { highWatermark?: number };
  /** Seal with this status (and the true chain head unless `chainHead` is given); omit to leave it Running (a crash). */
  seal?: SealedRunStatus;
  chainHead?: string;
  /** Seal without the integrity commitment, as runs sealed before manifest record version 2 were. */
  withoutIntegrity?: boolean;
  parentRunId?: string;
}

export interface BuiltRun {
  manifest: RunManifest;
  entries: AppendEntry[];
  chainHead: string;
}

/** Creates the run, appends every draft in one batch, optionally anchors and seals, then closes it. */
export async function buildRun(provider: EventStoreProvider, spec: RunSpec, instanceId = INSTANCE): Promise<BuiltRun> {
  const store = await provider.openRun(newManifest({ runId: spec.runId, instanceId, startTsInit: spec.startTsInit ?? 100n, parentRunId: spec.parentRunId }));
  try {
    const entries = (spec.drafts ?? []).map((entryDraft, index) => buildAppendEntry(entryDraft, index + 1, entryDraft.tsInit + 1n));
    if (entries.length > 0) await store.appendBatch(entries);
    const chain = new ChainHasher();
    for (const { entry } of entries) chain.update(entry.entryHash);
    if (spec.anchor !== undefined) {
      await store.recordSnapshotAnchor({
        highWatermark: spec.anchor.highWatermark ?? entries.length,
        blobRef: spec.anchor.blobRef,
        contentHash: spec.anchor.contentHash,
      });
    }
    const manifest =
      spec.seal === undefined
        ? await store.manifest()
        : await store.seal(spec.seal, spec.chainHead ?? chain.headHex, spec.withoutIntegrity === true ? undefined : await computeRunIntegrity(store));
    return { manifest, entries, chainHead: chain.headHex };
  } finally {
    await store.close();
  }
}

/** `count` plain drafts with tsInit 101, 102, … */
export function drafts(count: number, firstTsInit = 101n): EntryDraft[] {
  return Array.from({ length: count }, (_, index) => draft(firstTsInit + BigInt(index)));
}

/** The stored bytes of `entry` with one payload byte flipped: decodes, but the hash no longer matches. */
export function flippedPayloadBytes(entry: AppendEntry['entry']): Uint8Array {
  const payload = Uint8Array.from(entry.payload);
  payload[0] = payload[0]! ^ 0xff;
  return encodeEntry({ ...entry, payload });
}

/** A valid, correctly hashed entry of another seq, stored under a key it does not belong to. */
export function relocatedEntryBytes(entryDraft: EntryDraft, embeddedSeq: number): Uint8Array {
  return encodeEntry(buildAppendEntry(entryDraft, embeddedSeq, entryDraft.tsInit).entry);
}

/** Wraps a store or provider, overriding some of its methods (upstream's wrapper backends for manufactured states). */
export function withOverrides<T extends object>(wrapped: T, overrides: Partial<T>): T {
  return new Proxy(wrapped, {
    get(target, property, receiver) {
      if (property in overrides) return (overrides as Record<PropertyKey, unknown>)[property];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

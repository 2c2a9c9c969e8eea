/**
 * MessagePack record bodies inside the storage frame, for manifests, anchors and sidecar
 * records. Encoding is deterministic; decoding is bounded by the input size and wraps every
 * failure as CORRUPTED.
 */
import { decode, encode } from '@msgpack/msgpack';
import { corruptedError } from '../errors.js';
import { type IndexKindCommitment, RUN_STATUSES, type RunIntegrity, type RunManifest, type RunStatus, type SnapshotAnchor } from '../types.js';
import { checkFrame, FRAME_HEADER_LENGTH, writeFrameHeader } from './frame.js';
import { ShapeReader } from './shape.js';

export const RECORD_VERSION = 1;
/**
 * Manifests are written at version 2, which adds the `integrity` field (the run's commitment to
 * its index rows and anchor); version 1 manifests still decode, without it.
 */
export const MANIFEST_RECORD_VERSION = 2;

/** Frames the MessagePack encoding of `value` (bigints as 64-bit integers). */
export function encodeRecord(value: unknown, version: number = RECORD_VERSION): Uint8Array {
  const body = encode(value, { useBigInt64: true, sortKeys: false, ignoreUndefined: false });
  const out = new Uint8Array(FRAME_HEADER_LENGTH + body.length);
  writeFrameHeader(out, version);
  out.set(body, FRAME_HEADER_LENGTH);
  return out;
}

/** Unframes and decodes a MessagePack record; no length claim may exceed the input. */
export function decodeRecord(bytes: Uint8Array, what: string, versions: readonly number[] = [RECORD_VERSION]): unknown {
  const offset = checkFrame(bytes, versions, what);
  const body = bytes.subarray(offset);
  const limit = body.length;
  try {
    return decode(body, {
      useBigInt64: true,
      maxStrLength: limit,
      maxBinLength: limit,
      maxArrayLength: limit,
      maxMapLength: limit,
      maxExtLength: limit,
    });
  } catch (error) {
    throw corruptedError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}

export function encodeManifest(manifest: RunManifest): Uint8Array {
  const rc = manifest.registeredComponents;
  return encodeRecord(
    {
      runId: manifest.runId,
      parentRunId: manifest.parentRunId ?? null,
      instanceId: manifest.instanceId,
      binaryHash: manifest.binaryHash,
      schemaVersion: manifest.schemaVersion,
      packageVersions: manifest.packageVersions,
      featureFlags: manifest.featureFlags,
      adapterVersions: manifest.adapterVersions,
      configHash: manifest.configHash,
      registeredComponents: {
        actors: rc.actors,
        strategies: rc.strategies,
        algorithms: rc.algorithms,
        subscriptions: rc.subscriptions,
        endpoints: rc.endpoints,
      },
      seed: manifest.seed ?? null,
      startTsInit: manifest.startTsInit,
      endTsInit: manifest.endTsInit ?? null,
      highWatermark: manifest.highWatermark,
      status: manifest.status,
      chainHead: manifest.chainHead ?? null,
      integrity: manifest.integrity === undefined ? null : { indexKinds: manifest.integrity.indexKinds, anchor: manifest.integrity.anchor },
    },
    MANIFEST_RECORD_VERSION,
  );
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const INDEX_KIND = /^[a-z][a-z0-9_]{0,63}$/;

function decodeIntegrity(record: ShapeReader): RunIntegrity | undefined {
  const raw = record.raw('integrity');
  if (raw === undefined || raw === null) return undefined;
  const integrity = record.nested('integrity');
  const anchorRaw = integrity.raw('anchor');
  const anchor = anchorRaw === null ? null : integrity.string('anchor');
  if (anchor !== null && !HEX_DIGEST.test(anchor)) integrity.fail('anchor', '64 lowercase hex characters or null');
  const kinds = integrity.nested('indexKinds');
  const indexKinds: Record<string, IndexKindCommitment> = {};
  for (const kind of Object.keys(integrity.raw('indexKinds') as object)) {
    if (!INDEX_KIND.test(kind)) integrity.fail(`indexKinds.${kind}`, 'a valid index kind');
    const commitment = kinds.nested(kind);
    const digest = commitment.string('digest');
    if (!HEX_DIGEST.test(digest)) commitment.fail('digest', '64 lowercase hex characters');
    indexKinds[kind] = { rows: commitment.safeInteger('rows'), digest };
  }
  return { indexKinds, anchor };
}

export function decodeManifest(bytes: Uint8Array): RunManifest {
  const what = 'decode manifest';
  const record = ShapeReader.of(what, decodeRecord(bytes, what, [RECORD_VERSION, MANIFEST_RECORD_VERSION]));
  const status = record.string('status');
  if (!RUN_STATUSES.includes(status as RunStatus)) record.fail('status', `one of ${RUN_STATUSES.join(', ')}`);
  const rc = record.nested('registeredComponents');
  const chainHead = record.optionalString('chainHead');
  if (chainHead !== undefined && !/^[0-9a-f]{64}$/.test(chainHead)) record.fail('chainHead', '64 lowercase hex characters');
  const integrity = decodeIntegrity(record);
  const manifest: RunManifest = {
    runId: record.string('runId'),
    parentRunId: record.optionalString('parentRunId'),
    instanceId: record.string('instanceId'),
    binaryHash: record.string('binaryHash'),
    schemaVersion: record.safeInteger('schemaVersion', 0xffffffff),
    packageVersions: record.string('packageVersions'),
    featureFlags: record.stringArray('featureFlags'),
    adapterVersions: record.stringRecord('adapterVersions'),
    configHash: record.string('configHash'),
    registeredComponents: {
      actors: rc.stringRecord('actors'),
      strategies: rc.stringRecord('strategies'),
      algorithms: rc.stringRecord('algorithms'),
      subscriptions: rc.stringArray('subscriptions'),
      endpoints: rc.stringArray('endpoints'),
    },
    seed: record.optionalBigint('seed'),
    startTsInit: record.bigint('startTsInit'),
    endTsInit: record.optionalBigint('endTsInit'),
    highWatermark: record.safeInteger('highWatermark'),
    status: status as RunStatus,
    chainHead,
  };
  if (integrity !== undefined) manifest.integrity = integrity;
  return manifest;
}

export function encodeAnchor(anchor: SnapshotAnchor): Uint8Array {
  return encodeRecord({ highWatermark: anchor.highWatermark, blobRef: anchor.blobRef, contentHash: anchor.contentHash });
}

export function decodeAnchor(bytes: Uint8Array): SnapshotAnchor {
  const what = 'decode snapshot anchor';
  const record = ShapeReader.of(what, decodeRecord(bytes, what));
  return {
    highWatermark: record.safeInteger('highWatermark'),
    blobRef: record.string('blobRef'),
    contentHash: record.string('contentHash'),
  };
}

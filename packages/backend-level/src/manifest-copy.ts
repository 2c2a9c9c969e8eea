/**
 * The durable copy of a run's manifest kept beside its LevelDB, so `listRuns` can read one small
 * file instead of opening thousands of databases. The LevelDB row stays the source of truth: the
 * copy is written after each manifest commit, checksummed, and ignored whenever it is in doubt.
 */
import { readFile, rm } from 'node:fs/promises';
import { blake3, decodeManifest, encodeManifest, type RunManifest, STORE_FORMAT_VERSION } from '@tapelog/core';
import { writeFileDurably } from '@tapelog/core/backend';
import { manifestCopyPath } from './paths.js';

const MAGIC = Buffer.from('TLMC');
const COPY_VERSION = 1;
const HEADER_LENGTH = MAGIC.length + 1 + 4 + 32;

/** Copy layout: `TLMC` · version u8 · store-format u32 BE · BLAKE3(body) · body (framed manifest). */
export function encodeManifestCopy(manifest: RunManifest): Buffer {
  const body = encodeManifest(manifest);
  const out = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = COPY_VERSION;
  out.writeUInt32BE(STORE_FORMAT_VERSION, MAGIC.length + 1);
  out.set(blake3(body), MAGIC.length + 5);
  out.set(body, HEADER_LENGTH);
  return out;
}

/** The manifest in a copy, or undefined when the copy is damaged, foreign or of another format. */
export function decodeManifestCopy(bytes: Uint8Array): RunManifest | undefined {
  if (bytes.length <= HEADER_LENGTH) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC) || buffer[MAGIC.length] !== COPY_VERSION) return undefined;
  if (buffer.readUInt32BE(MAGIC.length + 1) !== STORE_FORMAT_VERSION) return undefined;
  const body = buffer.subarray(HEADER_LENGTH);
  if (!Buffer.from(blake3(body)).equals(buffer.subarray(MAGIC.length + 5, HEADER_LENGTH))) return undefined;
  try {
    return decodeManifest(body);
  } catch {
    return undefined;
  }
}

/** Reads the copy of the run at `runDirectory`; undefined when it is missing or cannot be trusted. */
export async function readManifestCopy(runDirectory: string): Promise<RunManifest | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(manifestCopyPath(runDirectory));
  } catch {
    return undefined;
  }
  return decodeManifestCopy(bytes);
}

export async function writeManifestCopy(runDirectory: string, manifest: RunManifest): Promise<void> {
  await writeFileDurably(manifestCopyPath(runDirectory), encodeManifestCopy(manifest));
}

/** Removes the copy, so the next listing reads the LevelDB itself (used after direct edits). */
export async function removeManifestCopy(runDirectory: string): Promise<void> {
  await rm(manifestCopyPath(runDirectory), { force: true });
}

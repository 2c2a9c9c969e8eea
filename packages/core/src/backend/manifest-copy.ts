/**
 * The durable copy of a run's manifest that a per-run-directory backend keeps beside its run, so
 * listings read one small file instead of opening every run. The run's own manifest row stays
 * the source of truth: the copy is checksummed and ignored whenever it is in doubt.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3 } from '../blake3.js';
import { decodeManifest, encodeManifest } from '../codec/record-codec.js';
import { sealedManifest } from '../manifest.js';
import { STORE_FORMAT_VERSION } from '../store-format.js';
import type { RunManifest } from '../types.js';
import { writeFileDurably } from './durable-files.js';

/** The copy's file name inside a run directory. */
export const MANIFEST_COPY_FILE = 'tapelog-manifest';

const MAGIC = Buffer.from('TLMC');
const COPY_VERSION = 1;
const HEADER_LENGTH = MAGIC.length + 1 + 4 + 32;
/** Copies written by earlier LMDB runs: 16 bytes of BLAKE3(record) ‖ record (store-format u32 BE ‖ framed manifest). */
const CHECKSUMMED_COPY_CHECKSUM_BYTES = 16;

/** Where the copy of the run at `runDirectory` lives. */
export function manifestCopyPath(runDirectory: string): string {
  return join(runDirectory, MANIFEST_COPY_FILE);
}

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

/**
 * The manifest in a copy, or undefined when the copy is damaged, foreign or of another store
 * format. Reads both layouts found on disk: the `TLMC` one written today and the checksummed
 * one earlier LMDB runs carry.
 */
export function decodeManifestCopy(bytes: Uint8Array): RunManifest | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeHeaderedCopy(buffer) ?? decodeChecksummedCopy(buffer);
}

function decodeHeaderedCopy(buffer: Buffer): RunManifest | undefined {
  if (buffer.length <= HEADER_LENGTH) return undefined;
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC) || buffer[MAGIC.length] !== COPY_VERSION) return undefined;
  if (buffer.readUInt32BE(MAGIC.length + 1) !== STORE_FORMAT_VERSION) return undefined;
  const body = buffer.subarray(HEADER_LENGTH);
  if (!Buffer.from(blake3(body)).equals(buffer.subarray(MAGIC.length + 5, HEADER_LENGTH))) return undefined;
  return decodeQuietly(body);
}

function decodeChecksummedCopy(buffer: Buffer): RunManifest | undefined {
  if (buffer.length <= CHECKSUMMED_COPY_CHECKSUM_BYTES + 4) return undefined;
  const record = buffer.subarray(CHECKSUMMED_COPY_CHECKSUM_BYTES);
  const checksum = Buffer.from(blake3(record).subarray(0, CHECKSUMMED_COPY_CHECKSUM_BYTES));
  if (!checksum.equals(buffer.subarray(0, CHECKSUMMED_COPY_CHECKSUM_BYTES))) return undefined;
  if (record.readUInt32BE(0) !== STORE_FORMAT_VERSION) return undefined;
  return decodeQuietly(record.subarray(4));
}

function decodeQuietly(body: Uint8Array): RunManifest | undefined {
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

/** Durably replaces the copy of the run at `runDirectory`. */
export async function writeManifestCopy(runDirectory: string, manifest: RunManifest): Promise<void> {
  await writeFileDurably(manifestCopyPath(runDirectory), encodeManifestCopy(manifest));
}

/** Removes the copy, so the next listing reads the run itself (used after direct edits). */
export async function removeManifestCopy(runDirectory: string): Promise<void> {
  await rm(manifestCopyPath(runDirectory), { force: true });
}

/**
 * Marks a `Running` run that cannot be read without bringing its reader down Quarantined through
 * its copy alone, without opening the run: listings trust a sealed copy, so it is never recovered
 * again, and its files stay as the crash left them. Nothing is known of its rows, so it records none.
 */
export async function markQuarantinedByCopy(runDirectory: string, listed: RunManifest): Promise<RunManifest> {
  const quarantined = sealedManifest(listed, 'Quarantined', 0, 0n, undefined);
  await writeManifestCopy(runDirectory, quarantined);
  return quarantined;
}

/**
 * The small files tapelog keeps beside a run's LMDB environment: the manifest copy (so listings
 * read one file instead of mapping every environment) and the seal digest. Both are written
 * durably (temp file, fsync, rename, directory fsync) and checksummed; a copy in doubt is ignored.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeManifest, encodeManifest, type RunManifest, STORE_FORMAT_VERSION } from '@tapelog/core';
import { writeFileDurably } from '@tapelog/core/backend';
import { MANIFEST_COPY_FILE } from './paths.js';
import { checksummed, unchecksummed } from './rows.js';

/** The file's bytes, or undefined when it does not exist. */
export async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Copy layout: checksummed (store-format u32 BE ‖ framed manifest). */
function encodeManifestCopy(manifest: RunManifest): Buffer {
  const format = Buffer.allocUnsafe(4);
  format.writeUInt32BE(STORE_FORMAT_VERSION, 0);
  return checksummed(Buffer.concat([format, encodeManifest(manifest)]));
}

/** The manifest of the copy in `runDirectory`, or undefined when it is missing, damaged or of another format. */
export async function readManifestCopy(runDirectory: string): Promise<RunManifest | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readIfPresent(join(runDirectory, MANIFEST_COPY_FILE));
  } catch {
    return undefined;
  }
  const record = bytes === undefined ? undefined : unchecksummed(bytes);
  if (record === undefined || record.length <= 4 || Buffer.from(record).readUInt32BE(0) !== STORE_FORMAT_VERSION) return undefined;
  try {
    return decodeManifest(record.subarray(4));
  } catch {
    return undefined;
  }
}

export async function writeManifestCopy(runDirectory: string, manifest: RunManifest): Promise<void> {
  await writeFileDurably(join(runDirectory, MANIFEST_COPY_FILE), encodeManifestCopy(manifest));
}

/** Removes the copy, so the next listing reads the environment itself (used after direct edits). */
export async function removeManifestCopy(runDirectory: string): Promise<void> {
  await rm(join(runDirectory, MANIFEST_COPY_FILE), { force: true });
}

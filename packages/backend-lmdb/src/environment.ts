/**
 * Opening one run's LMDB environment (its three named databases) and reading its fixed rows:
 * store-format marker, manifest, last seq. Every failure comes back as a TapelogError naming the
 * run directory.
 */

import { corruptedError, type RunManifest } from '@tapelog/core';
import { decodeStoredManifest } from '@tapelog/core/backend';
import { type Database, open, type RootDatabase } from 'lmdb';
import { mapStorageError } from './error-mapping.js';
import { ANCHOR_KEY, decodeFormatValue, ENTRIES_DATABASE, FORMAT_KEY, INDEX_DATABASE, MANIFEST_KEY, META_DATABASE, seqOfKey, unchecksummed } from './rows.js';

export type BinaryDatabase = Database<Buffer, Buffer>;

/** One open environment: the root and the run's three databases. */
export interface RunEnvironment {
  root: RootDatabase<Buffer, Buffer>;
  entries: BinaryDatabase;
  index: BinaryDatabase;
  meta: BinaryDatabase;
  readOnly: boolean;
}

const BINARY = { encoding: 'binary', keyEncoding: 'binary', compression: false, cache: false } as const;

/**
 * Opens the environment in the run directory `location` (created when missing, unless read-only).
 * Writable environments use lmdb-js's overlapping sync: a commit is visible at once and durable
 * when `root.flushed` resolves, which is what appends wait for before they are acknowledged.
 */
export function openEnvironment(location: string, readOnly: boolean): RunEnvironment {
  let root: RootDatabase<Buffer, Buffer> | undefined;
  try {
    const opened = open<Buffer, Buffer>({ path: location, noSubdir: false, maxDbs: 4, readOnly, ...BINARY });
    root = opened;
    // `create` is an lmdb-js option its types leave out: a read-only open must not try to create a database.
    const databaseOptions = { ...BINARY, create: !readOnly } as typeof BINARY;
    const database = (name: string): BinaryDatabase => {
      const db = opened.openDB<Buffer, Buffer>(name, databaseOptions) as BinaryDatabase | undefined | null;
      if (db === undefined || db === null) throw corruptedError(`run ${location} has no ${name} database; quarantine the run and verify it`);
      return db;
    };
    return { root: opened, entries: database(ENTRIES_DATABASE), index: database(INDEX_DATABASE), meta: database(META_DATABASE), readOnly };
  } catch (error) {
    if (root !== undefined) void root.close().catch(() => undefined);
    throw mapStorageError(error, 'open the LMDB environment of run', location);
  }
}

/** Closes an environment, ignoring a failure: used on paths that already carry a more useful error. */
export async function closeQuietly(environment: RunEnvironment): Promise<void> {
  try {
    await environment.root.close();
  } catch {
    // The original error matters more than a failed close of an environment we are abandoning.
  }
}

/** One meta row, mapping storage failures. */
export function readMetaRow(environment: RunEnvironment, key: Buffer, what: string, location: string): Buffer | undefined {
  try {
    return environment.meta.getBinary(key) ?? undefined;
  } catch (error) {
    throw mapStorageError(error, `read ${what} of run`, location);
  }
}

/** The stored store-format version; undefined when the marker row is absent. */
export function readStoreFormat(environment: RunEnvironment, location: string): number | undefined {
  const value = readMetaRow(environment, FORMAT_KEY, 'store-format marker', location);
  if (value === undefined) return undefined;
  const version = decodeFormatValue(value);
  if (version === undefined)
    throw corruptedError(`store-format marker of run ${location} is malformed (${value.toString('hex')}); quarantine the run and verify it`);
  return version;
}

/** The stored manifest; undefined when the row is absent. Undecodable → CORRUPTED "decode manifest". */
export function readManifestRow(environment: RunEnvironment, location: string): RunManifest | undefined {
  const value = readMetaRow(environment, MANIFEST_KEY, 'manifest', location);
  if (value === undefined) return undefined;
  return decodeStoredManifest(unchecksummed(value), location);
}

/** The stored snapshot anchor record (checksum checked); undefined when none is stored. */
export function readAnchorRow(environment: RunEnvironment, location: string): Uint8Array | undefined {
  const value = readMetaRow(environment, ANCHOR_KEY, 'snapshot anchor', location);
  if (value === undefined) return undefined;
  const record = unchecksummed(value);
  if (record === undefined) throw corruptedError(`decode snapshot anchor: checksum mismatch (run ${location}); quarantine the run and verify it`);
  return record;
}

/** The largest stored seq (one reverse seek), or 0 when none is stored. */
export function readLastSeq(environment: RunEnvironment, location: string): number {
  let last: Buffer | undefined;
  try {
    for (const key of environment.entries.getKeys({ reverse: true, limit: 1 })) last = key as unknown as Buffer;
  } catch (error) {
    throw mapStorageError(error, 'find the last entry of run', location);
  }
  if (last === undefined) return 0;
  const seq = seqOfKey(last);
  if (seq === undefined) throw corruptedError(`the last entry key of run ${location} is malformed (${last.toString('hex')}); quarantine the run and verify it`);
  return seq;
}

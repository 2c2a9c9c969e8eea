/**
 * Opening one run's LevelDB and reading its fixed rows (store-format marker, manifest, last
 * seq). Every failure comes back as a TapelogError naming the run directory.
 */
import { ClassicLevel } from 'classic-level';
import { TapelogError, corruptedError, decodeManifest, type RunManifest } from '@tapelog/core';
import { mapStorageError } from './error-mapping.js';
import { ENTRY_KEYSPACE_END, ENTRY_KEYSPACE_START, FORMAT_KEY, MANIFEST_KEY, decodeFormatValue, seqOfEntryKey } from './keys.js';

export type RunDatabase = ClassicLevel<Buffer, Buffer>;

/**
 * Opens the LevelDB at `location`. With `create`, a new database is created and an existing one
 * is an error; without it, a missing database is an error. LevelDB replays its write-ahead log
 * here, which is what makes a run killed with SIGKILL reopen.
 */
export async function openRunDatabase(location: string, create: boolean): Promise<RunDatabase> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open({ createIfMissing: create, errorIfExists: create });
  } catch (error) {
    if (!create && /does not exist/.test(describeCauses(error))) {
      throw corruptedError(`run directory ${location} holds no LevelDB database (no CURRENT file); it was never initialised or was damaged`, { cause: error });
    }
    throw mapStorageError(error, 'open LevelDB of run', location);
  }
  return db;
}

function describeCauses(error: unknown): string {
  const parts: string[] = [];
  for (let link: unknown = error; link instanceof Error && parts.length < 8; link = link.cause) parts.push(link.message);
  return parts.join(': ');
}

/** Closes a database, ignoring a failure: used on paths that already carry a more useful error. */
export async function closeQuietly(db: RunDatabase): Promise<void> {
  try {
    await db.close();
  } catch {
    // The original error matters more than a failed close of a database we are abandoning.
  }
}

/** Reads one row, mapping storage failures. */
export async function readRow(db: RunDatabase, key: Buffer, what: string, location: string): Promise<Buffer | undefined> {
  try {
    return await db.get(key);
  } catch (error) {
    throw mapStorageError(error, `read ${what} of run`, location);
  }
}

/** The stored store-format version; undefined when the marker row is absent. */
export async function readStoreFormat(db: RunDatabase, location: string): Promise<number | undefined> {
  const value = await readRow(db, FORMAT_KEY, 'store-format marker', location);
  if (value === undefined) return undefined;
  const version = decodeFormatValue(value);
  if (version === undefined) {
    throw corruptedError(`store-format marker of run ${location} is malformed (${value.length} bytes, expected 4); quarantine the run and verify it`);
  }
  return version;
}

/** The stored manifest; undefined when the manifest row is absent. Undecodable → CORRUPTED "decode manifest". */
export async function readManifestRow(db: RunDatabase, location: string): Promise<RunManifest | undefined> {
  const value = await readRow(db, MANIFEST_KEY, 'manifest', location);
  if (value === undefined) return undefined;
  try {
    return decodeManifest(value);
  } catch (error) {
    const detail = TapelogError.isInstance(error) ? error.detail : String(error);
    throw corruptedError(`${detail} (run file at ${location})`, { cause: error });
  }
}

/** The largest stored seq (one reverse seek), or 0 when no entry is stored. */
export async function readLastSeq(db: RunDatabase, location: string): Promise<number> {
  let keys: Buffer[];
  try {
    keys = await db.keys({ gte: ENTRY_KEYSPACE_START, lt: ENTRY_KEYSPACE_END, reverse: true, limit: 1 }).all();
  } catch (error) {
    throw mapStorageError(error, 'find the last entry of run', location);
  }
  const last = keys[0];
  if (last === undefined) return 0;
  const seq = seqOfEntryKey(last);
  if (seq === undefined) {
    throw corruptedError(`the last entry key of run ${location} is malformed (${last.toString('hex')}); quarantine the run and verify it`);
  }
  return seq;
}

/**
 * Opening one run's LevelDB and reading its fixed rows (store-format marker, manifest, last
 * seq). Every failure comes back as a TapelogError naming the run directory.
 */

import { corruptedError, isDiskPressure, type RunManifest } from '@tapelog/core';
import { decodeStoredManifest } from '@tapelog/core/backend';
import { ClassicLevel } from 'classic-level';
import { isLockedError, mapStorageError } from './error-mapping.js';
import { decodeFormatValue, ENTRY_KEYSPACE_END, ENTRY_KEYSPACE_START, FORMAT_KEY, MANIFEST_KEY, seqOfEntryKey } from './keys.js';
import { recordOfChecksummedRow } from './row-checksum.js';
import { recordWalDamage } from './wal-damage.js';

export type RunDatabase = ClassicLevel<Buffer, Buffer>;

/**
 * LevelDB's memtable size before it is flushed to a table file. At the default 4 MiB a kernel run
 * of a few minutes was flushed and compacted several times while trading (LevelDB's thread
 * competing with the kernel for the CPU) and rewritten once more by the seal's compaction. Below
 * this size a run reaches table files once, at the seal, and the compaction has nothing to merge.
 * The memtable grows with the data: a small run does not hold 32 MiB.
 */
const WRITE_BUFFER_BYTES = 32 * 1024 * 1024;

/**
 * Opens the LevelDB at `location`. With `create`, a new database is created and an existing one
 * is an error; without it, a missing database is an error. LevelDB replays its write-ahead log
 * here, which is what makes a run killed with SIGKILL reopen; records it dropped as damaged are
 * kept on record beside the run (see wal-damage). Errors name `named`: the run itself when
 * `location` is a private copy of its files.
 */
export async function openRunDatabase(location: string, create: boolean, named = location): Promise<RunDatabase> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', writeBufferSize: WRITE_BUFFER_BYTES });
  try {
    await db.open({ createIfMissing: create, errorIfExists: create });
  } catch (error) {
    if (!create && isDamagedDatabase(error)) {
      throw corruptedError(
        `cannot open the LevelDB of run ${named}: ${describeCauses(error)}; its files are missing or damaged, quarantine the run and verify it`,
        { cause: error },
      );
    }
    throw mapStorageError(error, 'open LevelDB of run', named);
  }
  if (!create) {
    // Before anything else opens this LevelDB: the next open starts a new info log.
    try {
      await recordWalDamage(location);
    } catch (error) {
      await closeQuietly(db);
      throw mapStorageError(error, 'record dropped log records of run', named);
    }
  }
  return db;
}

/**
 * An existing run whose LevelDB will not open for a reason other than a lock, disk pressure or
 * permissions (a missing CURRENT or MANIFEST file, a garbled descriptor) is damaged.
 */
function isDamagedDatabase(error: unknown): boolean {
  if (isLockedError(error) || isDiskPressure(error) || isDiskPressure((error as { cause?: unknown }).cause)) return false;
  return !/Permission denied|EACCES|EPERM|Too many open files|EMFILE/.test(describeCauses(error));
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
    throw corruptedError(`store-format marker of run ${location} is malformed (${value.toString('hex')}); quarantine the run and verify it`);
  }
  return version;
}

/** The stored manifest; undefined when the manifest row is absent. Undecodable → CORRUPTED "decode manifest". */
export async function readManifestRow(db: RunDatabase, location: string): Promise<RunManifest | undefined> {
  const value = await readRow(db, MANIFEST_KEY, 'manifest', location);
  if (value === undefined) return undefined;
  return decodeStoredManifest(recordOfChecksummedRow(value), location);
}

/** The largest stored seq (one reverse seek: entry blocks are keyed by their last seq), or 0 when none is stored. */
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

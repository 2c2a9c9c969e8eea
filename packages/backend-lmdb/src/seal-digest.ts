/**
 * The seal digest: SHA-256 and length of a sealed run's `data.mdb`, written when the store that
 * sealed it closes. LMDB keeps no checksums and reads through a memory map, so a damaged page can
 * crash the reading process (SIGSEGV, SIGBUS) or route a lookup to a wrong place. A sealed run
 * never changes again, so `openSealed` checks the whole file against its digest before mapping
 * it: any damaged byte is CORRUPTED before LMDB sees it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { corruptedError } from '@tapelog/core';
import { writeFileDurably } from '@tapelog/core/backend';
import { DATA_FILE, SEAL_DIGEST_FILE } from './paths.js';
import { checksummed, unchecksummed } from './rows.js';

const DIGEST_VERSION = 1;

/** The file's bytes, or undefined when it does not exist. */
async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

interface FileDigest {
  length: number;
  sha256: string;
}

async function digestOf(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    length += chunk.length;
  }
  return { length, sha256: hash.digest('hex') };
}

/** Computes the digest of the run's data file and writes it beside it. */
export async function writeSealDigest(runDirectory: string): Promise<void> {
  const digest = await digestOf(join(runDirectory, DATA_FILE));
  const record = Buffer.from(JSON.stringify({ version: DIGEST_VERSION, ...digest }));
  await writeFileDurably(join(runDirectory, SEAL_DIGEST_FILE), checksummed(record));
}

/** Removes the digest (a tamper hook edited the sealed file on purpose). */
export async function removeSealDigest(runDirectory: string): Promise<void> {
  await rm(join(runDirectory, SEAL_DIGEST_FILE), { force: true });
}

/**
 * Checks the run's data file against its seal digest. Returns false when there is no digest (the
 * process died between the seal commit and the close that writes it); throws CORRUPTED when the
 * digest is damaged or the file does not match it.
 */
export async function checkSealDigest(runDirectory: string): Promise<boolean> {
  const bytes = await readIfPresent(join(runDirectory, SEAL_DIGEST_FILE));
  if (bytes === undefined) return false;
  const record = unchecksummed(bytes);
  let stored: Partial<FileDigest & { version: number }> | undefined;
  try {
    stored = record === undefined ? undefined : (JSON.parse(Buffer.from(record).toString('utf8')) as Partial<FileDigest & { version: number }>);
  } catch {
    stored = undefined;
  }
  if (stored?.version !== DIGEST_VERSION || typeof stored.sha256 !== 'string' || typeof stored.length !== 'number') {
    throw corruptedError(`the seal digest of run ${runDirectory} is damaged, so its data file cannot be trusted; quarantine the run and verify it`);
  }
  const actual = await digestOf(join(runDirectory, DATA_FILE));
  if (actual.length !== stored.length || actual.sha256 !== stored.sha256) {
    throw corruptedError(
      `the data file of sealed run ${runDirectory} does not match its seal digest (${actual.length} bytes, expected ${stored.length}): it was damaged after the seal; quarantine the run and verify it`,
    );
  }
  return true;
}

/**
 * Rows LevelDB dropped while replaying a damaged write-ahead log. LevelDB skips a log record
 * that fails its checksum and only says so in its info log (`… dropping N bytes; Corruption: …`),
 * so a reopened crashed run can silently lose acknowledged batches. Right after a recovery open,
 * those lines are kept in a file beside the run: the next open no longer replays that log (and
 * starts a new info log), so the evidence must outlive the process that saw it. A run with such
 * a file must never be sealed as clean.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '@tapelog/core/backend';

/** The file beside a run's LevelDB holding the info-log lines of dropped log records. */
export const WAL_DAMAGE_FILE = 'tapelog-wal-damage';
const INFO_LOG_FILE = 'LOG';
const DROPPED = /dropping \d+ bytes|Corruption:/;

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Looks at the info log LevelDB wrote while opening the run at `location` and keeps any line
 * saying a log record was dropped; returns what the run has on record (this open's or an earlier one's).
 */
export async function recordWalDamage(location: string): Promise<string | undefined> {
  const earlier = await readWalDamage(location);
  const lines = ((await readIfPresent(join(location, INFO_LOG_FILE))) ?? '').split('\n').filter((line) => DROPPED.test(line));
  if (lines.length === 0) return earlier;
  const text = [earlier, ...lines].filter((part) => part !== undefined).join('\n');
  await writeFileDurably(join(location, WAL_DAMAGE_FILE), Buffer.from(`${text}\n`));
  return text;
}

/** The dropped-record lines kept for the run at `location`, or undefined when none were ever seen. */
export async function readWalDamage(location: string): Promise<string | undefined> {
  const text = await readIfPresent(join(location, WAL_DAMAGE_FILE));
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

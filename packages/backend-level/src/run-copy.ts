/**
 * Private copies of a run's LevelDB files, so that reading never changes the run: LevelDB has no
 * read-only mode (every open writes a new descriptor, a new log and its info log, and replays the
 * write-ahead log of a killed writer), so a reader that must not write opens a copy instead.
 * Table files are immutable once written, so they are hard-linked where the file system allows
 * it (copied otherwise); the small mutable files (CURRENT, MANIFEST-*, logs, the manifest copy)
 * are copied. The LOCK file is left out, so a live writer's lock does not travel with the copy.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const TABLE_FILE = /\.(ldb|sst)$/;

/** Copies the files of the LevelDB directory `source` into `target` (created when missing). */
export function copyRunFiles(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'LOCK') continue;
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (TABLE_FILE.test(entry.name)) {
      try {
        linkSync(from, to);
        continue;
      } catch {
        // Another file system, or links refused: a copy reads the same.
      }
    }
    copyFileSync(from, to);
  }
}

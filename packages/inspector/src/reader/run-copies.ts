/**
 * Private copies of sealed LevelDB runs, so that reading never changes the store: LevelDB has no
 * read-only mode (every open writes a new descriptor, a new log and its info log), so the reader
 * opens a copy in a temporary directory instead. Table files are immutable once written, so they
 * are hard-linked where the file system allows it (copied otherwise); the small mutable files
 * (CURRENT, MANIFEST-*, logs, the manifest copy) are copied.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { markersPath, runPath } from '@tapelog/backend-level';

const TABLE_FILE = /\.(ldb|sst)$/;

function copyDirectory(source: string, target: string): void {
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

/** One temporary base directory holding `<instanceId>/<runId>.level` (and `.markers.level`) copies. */
export class RunCopies {
  readonly baseDir: string;
  readonly #sourceBaseDir: string;
  readonly #made = new Set<string>();

  /** `baseDir` is an empty directory of the caller's (the server makes it and removes it when this process ends). */
  constructor(sourceBaseDir: string, baseDir: string) {
    this.#sourceBaseDir = sourceBaseDir;
    this.baseDir = baseDir;
  }

  /** Copies a run (and its marker sidecar, when there is one) once; later calls reuse the copy. */
  ensure(instanceId: string, runId: string): void {
    const key = `${instanceId}/${runId}`;
    if (this.#made.has(key)) return;
    copyDirectory(runPath(this.#sourceBaseDir, instanceId, runId), runPath(this.baseDir, instanceId, runId));
    const markers = markersPath(this.#sourceBaseDir, instanceId, runId);
    if (existsSync(markers)) copyDirectory(markers, markersPath(this.baseDir, instanceId, runId));
    this.#made.add(key);
  }

  /** Forgets a copy (after its reader closed) so the next read copies afresh. */
  discard(instanceId: string, runId: string): void {
    this.#made.delete(`${instanceId}/${runId}`);
    rmSync(runPath(this.baseDir, instanceId, runId), { recursive: true, force: true });
    rmSync(markersPath(this.baseDir, instanceId, runId), { recursive: true, force: true });
  }

  removeAll(): void {
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}

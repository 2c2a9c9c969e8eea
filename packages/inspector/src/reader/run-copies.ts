/**
 * Private copies of sealed LevelDB runs and their marker sidecars, so that reading never changes
 * the store: the reader opens a copy in a temporary directory instead (see `copyRunFiles`).
 */
import { existsSync, rmSync } from 'node:fs';
import { copyRunFiles, markersPath, runPath } from '@tapelog/backend-level';

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
    copyRunFiles(runPath(this.#sourceBaseDir, instanceId, runId), runPath(this.baseDir, instanceId, runId));
    const markers = markersPath(this.#sourceBaseDir, instanceId, runId);
    if (existsSync(markers)) copyRunFiles(markers, markersPath(this.baseDir, instanceId, runId));
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

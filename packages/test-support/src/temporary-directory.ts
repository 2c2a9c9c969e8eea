/**
 * Temporary directories that tests never leave behind: each is removed after the test that made it,
 * or after the whole file for directories made in `beforeAll`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/** `'test'`: removed after the current test; `'file'`: removed after the last test of the file. */
export type DirectoryLifetime = 'test' | 'file';

const removals: Record<DirectoryLifetime, string[]> = { test: [], file: [] };

function removeAll(lifetime: DirectoryLifetime): void {
  for (const directory of removals[lifetime].splice(0)) rmSync(directory, { recursive: true, force: true });
}

afterEach(() => removeAll('test'));
afterAll(() => removeAll('file'));

/** A fresh empty directory named `<prefix>XXXXXX` under the system's temporary directory. */
export function temporaryDirectory(prefix = 'tapelog-test-', lifetime: DirectoryLifetime = 'test'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  removals[lifetime].push(directory);
  return directory;
}

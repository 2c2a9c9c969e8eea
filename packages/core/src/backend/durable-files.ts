/**
 * Crash-safe small-file writes for backends that keep files beside their runs (manifest copies,
 * digests): write a temp file, fsync it, rename it over, fsync the directory.
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Fsyncs a directory so a rename or a newly created entry in it survives power loss. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `bytes` atomically: readers see the old or the new content, never a mix. */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

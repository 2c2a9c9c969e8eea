/**
 * The blob directory where cache snapshots live, beside the runs: `<base>/<instance>/blobs/`.
 * A blob is written to a temporary file, synced and renamed, so a crash never leaves half a
 * snapshot under a name an anchor may point to.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const SAFE_BLOB_REF = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class BlobDirectory {
  readonly root: string;

  constructor(baseDir: string, instanceId: string) {
    this.root = join(baseDir, instanceId, 'blobs');
  }

  /** The file a blob reference names; references are relative paths without `..`. */
  pathOf(blobRef: string): string {
    if (!SAFE_BLOB_REF.test(blobRef) || blobRef.includes('..')) throw new RangeError(`invalid blob reference ${JSON.stringify(blobRef)}`);
    return join(this.root, `${blobRef}.bin`);
  }

  async write(blobRef: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(blobRef);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  }

  /** The blob's bytes, or undefined when there is no such blob. */
  async read(blobRef: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(blobRef)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

import { existsSync } from 'node:fs';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { BlobDirectory } from '../src/blob-directory.js';

describe('BlobDirectory', () => {
  it('writes blobs under <base>/<instance>/blobs and reads them back', async () => {
    const base = temporaryDirectory();
    const blobs = new BlobDirectory(base, 'kernel-001');
    await blobs.write('kernel-cache/run-1/000001', new Uint8Array([1, 2, 3]));
    expect(await blobs.read('kernel-cache/run-1/000001')).toEqual(new Uint8Array([1, 2, 3]));
    expect(existsSync(`${base}/kernel-001/blobs/kernel-cache/run-1/000001.bin`)).toBe(true);
    expect(existsSync(`${base}/kernel-001/blobs/kernel-cache/run-1/000001.bin.tmp`)).toBe(false);
    expect(await blobs.read('kernel-cache/run-1/000002')).toBeUndefined();
  });

  it('refuses references that could leave the directory', () => {
    const blobs = new BlobDirectory('/tmp', 'kernel-001');
    for (const reference of ['../etc/passwd', '/absolute', 'a/../../b', '']) expect(() => blobs.pathOf(reference)).toThrow(RangeError);
  });
});

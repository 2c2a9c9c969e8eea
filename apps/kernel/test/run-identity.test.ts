/** A run records the build and configuration that produced it, and `tapelog runs` shows them. */
import { createProvider } from '@tapelog/backend-level';
import { computeSnapshotContentHash } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { canonicalConfig } from '../src/run-identity.js';
import { runKernel } from '../src/run-kernel.js';

describe('run identity', () => {
  it('fills binaryHash, configHash, package versions with the lockfile hash and a schema version', async () => {
    const baseDir = temporaryDirectory();
    const first = await runKernel({ baseDir, seed: 3n, instruments: 2, duration: 1_000_000_000n, writer: 'inline', verify: false });
    const second = await runKernel({ baseDir, seed: 3n, instruments: 3, duration: 1_000_000_000n, writer: 'inline', verify: false });
    const manifests = await createProvider({ baseDir }).listRuns('kernel-001');
    const [one, two] = [first, second].map((summary) => manifests.find((manifest) => manifest.runId === summary.runId)!);
    expect(one!.binaryHash).toMatch(/^blake3:[0-9a-f]{64}$/);
    expect(two!.binaryHash).toBe(one!.binaryHash);
    expect(one!.schemaVersion).toBe(1);
    const config = { seed: 3n, instruments: 2, duration: 1_000_000_000n, realtime: false, writer: 'inline', markers: false, snapshotInterval: undefined };
    expect(one!.configHash).toBe(computeSnapshotContentHash(new TextEncoder().encode(canonicalConfig(config))));
    expect(two!.configHash).not.toBe(one!.configHash);
    expect(one!.featureFlags).toContain(`kernel-config=${canonicalConfig(config)}`);
    expect(one!.packageVersions).toMatch(/^@tapelog\/core@\d+\.\d+\.\d+,.*;lockfile=blake3:[0-9a-f]{64}$/);
    expect(one!.seed).toBe(3n);
  }, 60_000);
});

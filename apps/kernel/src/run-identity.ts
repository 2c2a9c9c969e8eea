/**
 * What a run records about the build and configuration that produced it, so a recorded run can be
 * traced to its code and re-run: a hash of the kernel's built bundle, a hash of its canonical
 * configuration, the tapelog package versions with a hash of the lockfile, and a schema version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeSnapshotContentHash } from '@tapelog/core';
import type { RunIdentity } from '@tapelog/lifecycle';

/** The version of what the kernel records (its message catalogue and cache snapshot format). */
export const KERNEL_SCHEMA_VERSION = 1;

const TAPELOG_PACKAGES = [
  '@tapelog/core',
  '@tapelog/writer',
  '@tapelog/capture',
  '@tapelog/markers',
  '@tapelog/recovery',
  '@tapelog/lifecycle',
  '@tapelog/backend-level',
];

/** The configuration a run's behaviour depends on, in a fixed key order (bigints as decimal text). */
export interface KernelRunConfig {
  seed: bigint;
  instruments: number;
  duration: bigint;
  realtime: boolean;
  writer: string;
  markers: boolean;
  snapshotInterval: bigint | undefined;
}

export function canonicalConfig(config: KernelRunConfig): string {
  return JSON.stringify({
    seed: config.seed.toString(),
    instruments: config.instruments,
    duration: config.duration.toString(),
    realtime: config.realtime,
    writer: config.writer,
    markers: config.markers,
    snapshotInterval: config.snapshotInterval?.toString() ?? null,
  });
}

function hashOfFile(path: string): string {
  return existsSync(path) ? computeSnapshotContentHash(readFileSync(path)) : 'absent';
}

/** The nearest pnpm-lock.yaml above `directory`, if the kernel runs from a checkout. */
function lockfileAbove(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'pnpm-lock.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** `@tapelog/core@0.1.0,…;lockfile=blake3:…` for the packages this kernel was built against. */
export function packageVersions(moduleFile: string): string {
  const require = createRequire(moduleFile);
  const versions = TAPELOG_PACKAGES.map((name) => {
    try {
      return `${name}@${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version}`;
    } catch {
      return `${name}@unknown`;
    }
  });
  const lockfile = lockfileAbove(dirname(moduleFile));
  return `${versions.join(',')};lockfile=${lockfile === undefined ? 'absent' : hashOfFile(lockfile)}`;
}

/** The manifest identity of a kernel run with `config`, built by the module at `moduleFile` (default: this bundle). */
export function kernelRunIdentity(config: KernelRunConfig, moduleFile: string = fileURLToPath(import.meta.url)): Partial<RunIdentity> {
  return {
    binaryHash: hashOfFile(moduleFile),
    configHash: computeSnapshotContentHash(new TextEncoder().encode(canonicalConfig(config))),
    packageVersions: packageVersions(moduleFile),
    schemaVersion: KERNEL_SCHEMA_VERSION,
    seed: config.seed,
    featureFlags: [config.realtime ? 'realtime' : 'simulated', `kernel-config=${canonicalConfig(config)}`],
  };
}

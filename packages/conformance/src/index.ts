/**
 * @tapelog/conformance: the suite every tapelog backend runs. Call `runConformance` from one
 * test file with your runner's `test` and `describe` and a `factory` returning a fresh provider.
 */

import { anchorArea } from './areas/anchor.js';
import { appendArea } from './areas/append.js';
import { capabilitiesArea } from './areas/capabilities.js';
import { crashArea } from './areas/crash.js';
import { durabilityArea } from './areas/durability.js';
import { failedCommitArea } from './areas/failed-commit.js';
import { indexArea } from './areas/index-keys.js';
import { providerArea } from './areas/provider.js';
import { scanArea } from './areas/scan.js';
import { sealArea } from './areas/seal.js';
import { syncAuditArea } from './areas/sync-audit.js';
import { tamperArea } from './areas/tamper.js';
import { type DirectoryProviders, directoryProviderOptions } from './directories.js';
import type { ConformanceOptions } from './harness.js';

/** Every area, in one describe block named after the suite. */
export function runConformance(options: ConformanceOptions): void {
  options.describe('tapelog backend conformance', () => {
    for (const area of AREAS) area(options);
  });
}

/** Options of `runConformanceInDirectories`. */
export interface DirectoryConformanceOptions<Options> extends DirectoryProviders<Options>, Pick<ConformanceOptions, 'test' | 'describe' | 'timeoutMs'> {}

/**
 * `runConformance` for a backend whose provider keeps everything under one local directory: a
 * fresh temporary directory per provider, restarts and the child process of the crash and
 * sync-audit areas over the same directory, removal after each test.
 */
export function runConformanceInDirectories<Options>(options: DirectoryConformanceOptions<Options>): void {
  const { test, describe, timeoutMs } = options;
  runConformance({ test, describe, ...(timeoutMs === undefined ? {} : { timeoutMs }), ...directoryProviderOptions(options) });
}

export type { DirectoryProviders };
export { directoryProviderOptions };

/** The areas, each runnable alone with the same options. */
export const AREAS = [
  capabilitiesArea,
  appendArea,
  scanArea,
  indexArea,
  anchorArea,
  sealArea,
  providerArea,
  tamperArea,
  durabilityArea,
  failedCommitArea,
  crashArea,
  syncAuditArea,
] as const;

export { auditSyncTrace, SYNC_CALLS } from './child/sync-trace.js';
export { failingCases } from './collect-failures.js';
export * as fixtures from './fixtures.js';
export type {
  Capability,
  CaseBody,
  CaseContext,
  ChildProviderSpec,
  ConformanceOptions,
  DescribeFunction,
  ExpectFunction,
  Matchers,
  TestContext,
  TestFunction,
} from './harness.js';
export { declares, defineArea, defineCase, RULES_DOCUMENT, TrackedProvider } from './harness.js';
export {
  anchorArea,
  appendArea,
  capabilitiesArea,
  crashArea,
  durabilityArea,
  failedCommitArea,
  indexArea,
  providerArea,
  scanArea,
  sealArea,
  syncAuditArea,
  tamperArea,
};

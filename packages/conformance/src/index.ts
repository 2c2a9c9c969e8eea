/**
 * @tapelog/conformance: the suite every tapelog backend runs. Call `runConformance` from one
 * test file with your runner's `test` and `describe` and a `factory` returning a fresh provider.
 */
import type { ConformanceOptions } from './harness.js';
import { anchorArea } from './areas/anchor.js';
import { appendArea } from './areas/append.js';
import { capabilitiesArea } from './areas/capabilities.js';
import { durabilityArea } from './areas/durability.js';
import { indexArea } from './areas/index-keys.js';
import { providerArea } from './areas/provider.js';
import { scanArea } from './areas/scan.js';
import { sealArea } from './areas/seal.js';
import { tamperArea } from './areas/tamper.js';

/** Every area, in one describe block named after the suite. */
export function runConformance(options: ConformanceOptions): void {
  options.describe('tapelog backend conformance', () => {
    for (const area of AREAS) area(options);
  });
}

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
] as const;

export {
  anchorArea,
  appendArea,
  capabilitiesArea,
  durabilityArea,
  indexArea,
  providerArea,
  scanArea,
  sealArea,
  tamperArea,
};
export type { Capability, CaseBody, CaseContext, ConformanceOptions, DescribeFunction, ExpectFunction, Matchers, TestContext, TestFunction } from './harness.js';
export { TrackedProvider, declares, defineCase } from './harness.js';
export * as fixtures from './fixtures.js';

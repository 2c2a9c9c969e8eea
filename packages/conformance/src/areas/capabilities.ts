/** Capability area: the declaration is well formed and consistent between provider, stores and tamper hooks. */

import { manifest } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

const KEYS = ['persistent', 'snapshotAnchors', 'readOnlyOpen', 'tamper'] as const;
/** Capabilities a declaration may leave out (absent means false). */
const OPTIONAL_KEYS = ['pipelinedAppends', 'faultInjection'] as const;

export function capabilitiesArea(options: ConformanceOptions): void {
  defineArea(options, 'capabilities', 'Capabilities', () => {
    defineCase(options, 'the provider declares every capability as a boolean (optional ones may be absent) and has a name', async ({ expect, provider }) => {
      for (const key of KEYS) expect(typeof provider.capabilities[key], `capabilities.${key}`).toBe('boolean');
      for (const key of OPTIONAL_KEYS) {
        const value: unknown = provider.capabilities[key];
        expect(value === undefined || typeof value === 'boolean', `capabilities.${key} is absent or a boolean, got ${String(value)}`).toBe(true);
      }
      expect(typeof provider.inner.name).toBe('string');
      expect(provider.inner.name.length > 0).toBe(true);
    });

    defineCase(options, 'stores declare the same capabilities as their provider and name their location', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      for (const key of KEYS) expect(store.capabilities[key]).toBe(provider.capabilities[key]);
      for (const key of OPTIONAL_KEYS) expect(store.capabilities[key] === true, `capabilities.${key}`).toBe(provider.capabilities[key] === true);
      expect(store.location).toContain('run-1');
    });

    defineCase(options, 'tamper hooks are present exactly when declared', async ({ expect, provider }) => {
      expect(provider.inner.tamper !== undefined).toBe(provider.capabilities.tamper);
    });

    defineCase(options, 'fault hooks are present exactly when declared', async ({ expect, provider }) => {
      expect(provider.inner.faults !== undefined, 'provider.faults must be present exactly when capabilities.faultInjection is true').toBe(
        provider.capabilities.faultInjection === true,
      );
    });
  });
}

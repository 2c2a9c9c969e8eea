/** Capability area: the declaration is well formed and consistent between provider, stores and tamper hooks. */
import { defineCase, type ConformanceOptions } from '../harness.js';
import { manifest } from '../fixtures.js';

const KEYS = ['persistent', 'snapshotAnchors', 'readOnlyOpen', 'tamper'] as const;

export function capabilitiesArea(options: ConformanceOptions): void {
  options.describe('capabilities', () => {
    defineCase(options, 'the provider declares every capability as a boolean and has a name', async ({ expect, provider }) => {
      for (const key of KEYS) expect(typeof provider.capabilities[key], `capabilities.${key}`).toBe('boolean');
      expect(typeof provider.inner.name).toBe('string');
      expect(provider.inner.name.length > 0).toBe(true);
    });

    defineCase(options, 'stores declare the same capabilities as their provider and name their location', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      for (const key of KEYS) expect(store.capabilities[key]).toBe(provider.capabilities[key]);
      expect(store.location).toContain('run-1');
    });

    defineCase(options, 'tamper hooks are present exactly when declared', async ({ expect, provider }) => {
      expect(provider.inner.tamper !== undefined).toBe(provider.capabilities.tamper);
    });
  });
}

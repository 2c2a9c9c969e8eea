/** The shared backend conformance suite against a real PostgreSQL server: one fresh schema per provider. */
import { runConformance } from '@tapelog/conformance';
import { describe, test } from 'vitest';
import { createProvider, type PostgresProvider } from '../src/index.js';
import { dropProvider, testProvider } from './helpers.js';

const reopened: PostgresProvider[] = [];

runConformance({
  test,
  describe,
  factory: () => testProvider(),
  // A restarted process: a new provider (new pool, new sessions) over the same schema.
  reopen: (provider) => {
    const { options } = provider as PostgresProvider;
    const next = createProvider({ ...options }, { warn: () => undefined });
    reopened.push(next);
    return next;
  },
  cleanup: async (provider) => {
    for (const next of reopened.splice(0)) await next.close();
    await dropProvider(provider as PostgresProvider);
  },
});

/**
 * Vitest global setup for suites that need a real PostgreSQL server: uses `TAPELOG_PG_URL` when
 * set, otherwise starts a throwaway cluster (tooling/postgres-cluster) in a temporary directory
 * and stops and removes it at teardown. Tests read the URL with `inject('postgresUrl')`
 * (typed in packages/backend-postgres/test/helpers.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLUSTER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'postgres-cluster');

interface SetupContext {
  provide(key: 'postgresUrl' | 'postgresDataDir', value: string): void;
}

export default function setup({ provide }: SetupContext): () => void {
  const given = process.env.TAPELOG_PG_URL;
  if (given !== undefined && given !== '') {
    provide('postgresUrl', given);
    provide('postgresDataDir', '');
    return () => undefined;
  }
  const directory = mkdtempSync(join(tmpdir(), 'tapelog-pg-'));
  // The server runs as the postgres user when the tests run as root; it must reach the directory.
  chmodSync(directory, 0o755);
  let url: string;
  try {
    url = execFileSync(CLUSTER_SCRIPT, ['start', directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  provide('postgresUrl', url);
  provide('postgresDataDir', directory);
  return () => {
    try {
      execFileSync(CLUSTER_SCRIPT, ['stop', directory], { stdio: 'inherit' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
}

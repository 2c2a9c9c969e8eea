/**
 * The machine a run measured: Node version, CPU, memory, the filesystem the scratch directories
 * live on, the load, and the durability every persistent store was held to.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Environment {
  node: string;
  v8: string;
  os: string;
  cpuModel: string;
  cpuCores: number;
  memoryGiB: number;
  scratchDirectory: string;
  /** Filesystem type and device of the scratch directory, as `df -T` reports it. */
  filesystem: string;
  /** 1-minute load average when the run started and ended: the machine is shared. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
  fsyncMode: string;
  /** Installed versions of the stores compared. */
  storeVersions: Record<string, string>;
}

/** The durability every persistent store in the comparison is held to. */
export const FSYNC_MODE =
  'every commit durable before it is counted: LevelDB write with sync: true (fdatasync of the log), lmdb-js default (noSync: false, fsync per transaction), SQLite WAL with synchronous=FULL (fsync per commit)';

function filesystemOf(directory: string): string {
  try {
    // POSIX output: Filesystem Type 1024-blocks Used Available Capacity Mounted-on.
    const lines = execFileSync('df', ['-P', '-T', directory], { encoding: 'utf8' }).trim().split('\n');
    const [device, type, , , , , mountPoint] = lines[lines.length - 1]!.split(/\s+/);
    return `${type} (${device} on ${mountPoint})`;
  } catch (error) {
    return `unknown (df failed: ${(error as Error).message.split('\n')[0]})`;
  }
}

/** Installed versions, read from each package's own package.json under the bench's node_modules. */
function storeVersions(benchDirectory: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const store of ['classic-level', 'lmdb', 'better-sqlite3', '@event-driven-io/emmett', '@event-driven-io/emmett-sqlite', 'sqlite3']) {
    try {
      const manifest = JSON.parse(readFileSync(join(benchDirectory, 'node_modules', store, 'package.json'), 'utf8')) as { version?: string };
      versions[store] = manifest.version ?? 'unknown';
    } catch {
      versions[store] = 'not installed';
    }
  }
  return versions;
}

export function collectEnvironment(scratchDirectory: string, benchDirectory: string): Environment {
  const processors = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${platform()} ${release()} ${arch()}`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    scratchDirectory,
    filesystem: filesystemOf(scratchDirectory),
    loadAverageAtStart: loadavg()[0]!,
    fsyncMode: FSYNC_MODE,
    storeVersions: storeVersions(benchDirectory),
  };
}

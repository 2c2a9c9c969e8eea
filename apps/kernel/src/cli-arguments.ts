/** Parsing `kernel run …` arguments into run options, with errors that say what to type instead. */
import type { RunKernelOptions } from './run-kernel.js';

export const USAGE = `usage: kernel run [options]
       kernel replay-check <runPath> [--json]   re-run a sealed simulated run, compare chain heads
       kernel --version | --help

  --seed <n>            seed of the simulation (default 1)
  --instruments <n>     instruments to trade, 1-8 (default 4)
  --duration <time>     kernel time to trade: 90s, 2m, 500ms, or seconds (default 60s)
  --base <dir>          event store directory (default ./event_store)
  --store <dir|url>     where runs live: a directory (as --base, LevelDB), lmdb:<dir> (LMDB, the fast
                        durable backend) or postgres://user:pw@host/db[?schema=s]
                        (snapshot blobs and markers then stay under --base)
  --instance <id>       trader instance id (default kernel-001)
  --markers             record the market-data marker sidecar
  --replay-from <run>   restore from this sealed run instead of the recovered parent
  --replay-only         with --replay-from: print the restored orders, positions and
                        balances, start nothing and record nothing
  --crash-after <n>     die abruptly (SIGKILL) right after the n-th captured entry
  --realtime            run on the wall clock instead of simulated time
  --writer <kind>       worker (default) or inline
  --json                print the summary as JSON`;

export interface CliCommand {
  options: RunKernelOptions;
  json: boolean;
  /** Restore from `options.replayFromRunId` and print the state; no run is opened. */
  replayOnly: boolean;
}

export class UsageError extends Error {}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** `90s`, `2m`, `500ms`, `1.5s` or plain seconds → nanoseconds. */
export function parseDuration(text: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,9}))?(ns|us|ms|s|m|h)?$/.exec(text.trim());
  if (match === null) throw new UsageError(`--duration ${JSON.stringify(text)}: use a number with a unit, such as 90s, 2m or 500ms`);
  const unit = UNITS[match[3] ?? 's']!;
  const fraction = match[2] ?? '';
  const whole = BigInt(match[1]!) * unit;
  const part = fraction === '' ? 0n : (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
  const total = whole + part;
  if (total <= 0n) throw new UsageError('--duration must be positive');
  return total;
}

function integer(flag: string, text: string | undefined, minimum: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < minimum)
    throw new UsageError(`${flag} needs an integer of at least ${minimum}, got ${JSON.stringify(text)}`);
  return value;
}

export function parseArguments(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') throw new UsageError('');
  if (command !== 'run')
    throw new UsageError(command === undefined ? 'missing command: kernel run' : `unknown command ${JSON.stringify(command)}: the command is run`);
  const options: RunKernelOptions = {};
  let json = false;
  let replayOnly = false;
  for (let index = 0; index < rest.length; index++) {
    const flag = rest[index]!;
    const value = () => {
      const next = rest[++index];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--seed': {
        const text = value();
        if (!/^\d+$/.test(text) || BigInt(text) >= 1n << 64n) throw new UsageError(`--seed needs an unsigned 64-bit integer, got ${JSON.stringify(text)}`);
        options.seed = BigInt(text);
        break;
      }
      case '--instruments':
        options.instruments = integer(flag, value(), 1);
        if (options.instruments > 8) throw new UsageError('--instruments is at most 8');
        break;
      case '--duration':
        options.duration = parseDuration(value());
        break;
      case '--base':
        options.baseDir = value();
        break;
      case '--store': {
        const store = value();
        if (/^postgres(ql)?:\/\//i.test(store)) options.store = store;
        else if (store.startsWith('lmdb:')) {
          // LMDB runs, snapshot blobs and markers all live under the one directory.
          options.store = store;
          options.baseDir = store.slice('lmdb:'.length);
        } else options.baseDir = store;
        break;
      }
      case '--instance':
        options.instanceId = value();
        break;
      case '--markers':
        options.markers = true;
        break;
      case '--replay-from':
        options.replayFromRunId = value();
        break;
      case '--replay-only':
        replayOnly = true;
        break;
      case '--crash-after':
        options.crashAfter = integer(flag, value(), 1);
        break;
      case '--realtime':
        options.realtime = true;
        break;
      case '--writer': {
        const kind = value();
        if (kind !== 'worker' && kind !== 'inline') throw new UsageError(`--writer is worker or inline, got ${JSON.stringify(kind)}`);
        options.writer = kind;
        break;
      }
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (replayOnly && options.replayFromRunId === undefined) throw new UsageError('--replay-only needs --replay-from <run>: the sealed run to restore');
  return { options, json, replayOnly };
}

/**
 * Verify rate and recovery-sweep time on a LevelDB run: the checks operators run after something
 * went wrong, on the 1,000,000-entry run the target is defined on (`--full` repeats more).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createProvider, runPath } from '@tapelog/backend-level';
import { recoverPredecessors, Verifier } from '@tapelog/recovery';
import { buildLevelRun } from '../level-runs.js';
import type { Scenario } from '../scenario.js';
import { median, perSecond, timeNs } from '../stats.js';

const INSTANCE = 'bench-verify';
const PAYLOAD_BYTES = 128;

export const scenario: Scenario = {
  name: 'verify',
  description: 'Verifier rate and recovery sweep time on a LevelDB run',
  async run({ full, scratchDir }) {
    const count = 1_000_000;
    const repetitions = full ? 5 : 3;
    const provider = createProvider({ baseDir: join(scratchDir, 'runs') }, { warn: () => {} });
    await buildLevelRun(provider, { instanceId: INSTANCE, runId: '1000-sealed00', startTsInit: 1000n, count, crash: false, payloadBytes: PAYLOAD_BYTES });

    const rates: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition++) {
      let findings = -1;
      const ns = await timeNs(async () => {
        const verifier = await Verifier.openSealed(provider, INSTANCE, '1000-sealed00');
        findings = (await verifier.verify()).findings.length;
        await verifier.close();
      });
      if (findings !== 0) throw new Error(`the benchmark run should verify clean, found ${findings} findings`);
      rates.push(perSecond(count, ns));
    }

    const cliRates = [verifyWithCli(runPath(join(scratchDir, 'runs'), INSTANCE, '1000-sealed00'), count)];

    await buildLevelRun(provider, { instanceId: INSTANCE, runId: '2000-crashed0', startTsInit: 2000n, count, crash: true, payloadBytes: PAYLOAD_BYTES });
    let recovered = '';
    const sweepNs = await timeNs(async () => {
      const outcome = await recoverPredecessors(provider, INSTANCE);
      recovered = outcome.recovered.map((run) => `${run.runId}:${run.status}:${run.highWatermark}`).join(',');
    });
    if (recovered !== `2000-crashed0:CrashedRecovered:${count}`) throw new Error(`unexpected sweep outcome ${recovered}`);

    const note = `LevelDB run of ${count.toLocaleString('en-US')} entries, ${PAYLOAD_BYTES}-byte payloads, an index key on every tenth`;
    return {
      figures: [
        {
          name: 'verify rate (median)',
          value: median(rates),
          unit: 'entries/s',
          target: { value: 500_000, kind: 'min', source: 'recovery/cli issue' },
          note: `${note}; median of ${repetitions}`,
        },
        {
          name: '`tapelog verify` end to end',
          value: median(cliRates),
          unit: 'entries/s',
          note: `${note}; the command as operators run it: process start, verification in a child process, report; one sample`,
        },
        { name: 'recovery sweep of the crashed run', value: sweepNs / 1e6, unit: 'ms', note: `${note}; closed without seal; one sample` },
      ],
      details: { rates, cliRates, sweepMs: sweepNs / 1e6, count, repetitions },
    };
  },
};

/** Runs the built `tapelog verify` on `runDirectory`; entries per second of wall time, start to exit. */
function verifyWithCli(runDirectory: string, count: number): number {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@tapelog/cli/package.json')), 'dist', 'bin.js');
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'verify', runDirectory], { encoding: 'utf8' });
  const ns = Number(process.hrtime.bigint() - start);
  if (result.status !== 0 || !result.stdout.startsWith('clean ')) {
    throw new Error(`tapelog verify exited ${result.status}: ${result.stdout}${result.stderr}`);
  }
  return perSecond(count, ns);
}

/**
 * `node apps/bench/dist/fuzz-main.js [--trials N] [--seed S] [--backend level|lmdb] [--json]`: the byte-flip fuzz of
 * `tapelog verify` (see fuzz/fuzz-trials). Prints the seed first, a line per rule-breaking trial,
 * then the counts (one JSON object with `--json`). Exit 0 when no trial broke a rule.
 */
import { FUZZ_BACKENDS, isFuzzBackendName } from './fuzz/fuzz-backend.js';
import { runFuzz } from './fuzz/fuzz-trials.js';

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

const args = process.argv.slice(2);
const trials = Number(option(args, 'trials') ?? 1000);
const seed = BigInt(option(args, 'seed') ?? Date.now());
const json = args.includes('--json');
const backend = option(args, 'backend') ?? 'level';
if (!Number.isInteger(trials) || trials < 1) throw new RangeError('--trials takes a positive integer');
if (!isFuzzBackendName(backend)) throw new RangeError(`--backend takes one of ${FUZZ_BACKENDS.join(', ')}`);
process.stderr.write(`fuzz seed=${seed} trials=${trials} backend=${backend}\n`);
let broken = 0;
const summary = await runFuzz({
  trials,
  seed,
  backend,
  onTrial: (trial) => {
    const breaks = trial.silentCorruption || trial.badExitCode || trial.stackTrace || trial.nonJsonStdout;
    if (breaks) broken++;
    if (breaks) process.stderr.write(`seed=${seed} ${JSON.stringify(trial)}\n`);
    // Progress with the running count, so a run stopped early still tells how far it got.
    if (trial.trial % 25 === 0) process.stderr.write(`trial ${trial.trial}/${trials} rule-breaking so far: ${broken}\n`);
  },
});
if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  process.stdout.write(
    `seed=${summary.seed} backend=${summary.backend} trials=${summary.trials} verdicts=${JSON.stringify(summary.verdicts)} reader_aborts=${summary.readerAborts}\n`,
  );
  process.stdout.write(
    `silent_corruptions=${summary.silentCorruptions} bad_exit_codes=${summary.badExitCodes} stack_traces=${summary.stackTraces} non_json_stdout=${summary.nonJsonStdout}\n`,
  );
}
process.exitCode = summary.failures.length === 0 ? 0 : 1;

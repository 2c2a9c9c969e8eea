/**
 * `tapelog scan <runPath> [--from N] [--to N] [--reverse] [--json]`: prints the entries of a
 * sealed run in seq order (every one hash-checked), one line each; `--json` prints one JSON
 * object per line. A damaged row stops the scan with exit 1 (with `--json`, after one last line
 * `{"result":"corrupt",…}` naming the code and seq).
 */
import { EventStoreReader } from '@tapelog/core';
import { parseArguments, seqOption, UsageError } from '../command-line.js';
import { printEntries } from '../entry-printing.js';
import { entryLine, entryObject } from '../entry-text.js';
import { toJson } from '../json-output.js';
import { openSealedRunAt } from '../open-run.js';
import { ProgressBar } from '../progress-bar.js';

export async function scanCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, ['from', 'to'], ['json', 'reverse']);
  if (parsed.positionals.length !== 1) throw new UsageError('scan takes exactly one run directory');
  const from = seqOption(parsed, 'from', 1);
  const to = seqOption(parsed, 'to', Number.MAX_SAFE_INTEGER);
  if (from === 0) throw new UsageError('--from is 1-based');
  const json = parsed.flags.has('json');
  const { coordinates, store } = await openSealedRunAt(parsed.positionals[0]!);
  const progress = new ProgressBar('scan');
  return printEntries(coordinates.path, store, progress, json, { from, to }, async ({ total, print }) => {
    let done = 0;
    const reader = new EventStoreReader(store);
    for await (const chunk of reader.scanChunks(from, to, parsed.flags.has('reverse') ? 'reverse' : 'forward')) {
      let text = '';
      for (const entry of chunk) text += `${json ? toJson(entryObject(entry)) : entryLine(entry)}\n`;
      await print(text);
      done += chunk.length;
      progress.update(done, total);
    }
  });
}

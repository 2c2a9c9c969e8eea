/**
 * `tapelog lookup <runPath> <kind> <key> [--json]`: the first seq recorded for an index key
 * (e.g. `client_order_id O-1`) and its entry. Exit 0 when found, 1 when not.
 */
import { parseArguments, UsageError } from '../command-line.js';
import { entryLine, entryObject } from '../entry-text.js';
import { EXIT_CORRUPT, EXIT_OK } from '../exit-codes.js';
import { toJson } from '../json-output.js';
import { openSealedRunAt } from '../open-run.js';

export async function lookupCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, [], ['json']);
  if (parsed.positionals.length !== 3) throw new UsageError('lookup takes a run directory, an index kind and a key');
  const [path, kind, key] = parsed.positionals as [string, string, string];
  const json = parsed.flags.has('json');
  const { store } = await openSealedRunAt(path);
  try {
    const seq = await store.lookup(kind, key);
    if (seq === undefined) {
      process.stdout.write(json ? `${toJson({ found: false, kind, key })}\n` : `not-found kind=${kind} key=${key}\n`);
      return EXIT_CORRUPT;
    }
    const entry = await store.scanSeq(seq);
    if (json) process.stdout.write(`${toJson({ found: true, kind, key, seq, entry: entry === undefined ? null : entryObject(entry) })}\n`);
    else process.stdout.write(entry === undefined ? `seq=${seq} (beyond the durable high-watermark)\n` : `${entryLine(entry)}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

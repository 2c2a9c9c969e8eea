/**
 * `tapelog replay <runPath> [--from-seq A] [--to-seq B] [--topic T]… [--payload-type P]…
 * [--decode none|msgpack] [--json]`: streams the entries of a seq range of a sealed run in seq
 * order, every one hash-checked. `--json` prints one object per line with the payload as base64
 * and, where a decoder reads it, decoded. A bad range exits 2 with one line; a damaged row 1.
 */
import { type EventStoreEntry, EventStoreReader } from '@tapelog/core';
import { type ReplayFilter, streamForensicsReplay } from '@tapelog/recovery';
import { parseArguments, UsageError } from '../command-line.js';
import { printEntries } from '../entry-printing.js';
import { entryLine, entryObject } from '../entry-text.js';
import { toJson } from '../json-output.js';
import { openSealedRunAt } from '../open-run.js';
import { decodersOption, type PayloadDecoders, UNDECODED } from '../payload-decoders.js';
import { ProgressBar } from '../progress-bar.js';
import { seqRangeOption } from '../seq-range-option.js';

/** `--name v1 --name v2` or `--name v1,v2` → the list, or undefined when absent. */
export function listOption(argv: readonly string[], name: string): string[] | undefined {
  const values: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === `--${name}` && index + 1 < argv.length) values.push(...argv[++index]!.split(','));
    else if (argument.startsWith(`--${name}=`)) values.push(...argument.slice(name.length + 3).split(','));
  }
  return values.length === 0 ? undefined : values;
}

export function replayFilterOption(argv: readonly string[]): ReplayFilter {
  const filter: ReplayFilter = {};
  const topics = listOption(argv, 'topic');
  const payloadTypes = listOption(argv, 'payload-type');
  if (topics !== undefined) filter.topics = topics;
  if (payloadTypes !== undefined) filter.payloadTypes = payloadTypes;
  return filter;
}

function replayObject(entry: EventStoreEntry, decoders: PayloadDecoders): Record<string, unknown> {
  const object = entryObject(entry);
  const decoded = decoders.decode(entry);
  if (decoded !== UNDECODED) object.payload = decoded;
  return object;
}

export async function replayCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, ['from-seq', 'to-seq', 'topic', 'payload-type', 'decode'], ['json']);
  if (parsed.positionals.length !== 1) throw new UsageError('replay takes exactly one run directory');
  const range = seqRangeOption(parsed);
  const filter = replayFilterOption(argv);
  const decoders = decodersOption(parsed);
  const json = parsed.flags.has('json');
  const { coordinates, store } = await openSealedRunAt(parsed.positionals[0]!);
  const progress = new ProgressBar('replay');
  return printEntries(coordinates.path, store, progress, json, { from: range.fromSeq, to: range.toSeq }, async ({ total, print }) => {
    for await (const chunk of streamForensicsReplay(new EventStoreReader(store), range, filter)) {
      let text = '';
      for (const entry of chunk.entries) text += `${json ? toJson(replayObject(entry, decoders)) : entryLine(entry)}\n`;
      await print(text);
      progress.update(chunk.lastSeq - range.fromSeq + 1, total);
    }
  });
}

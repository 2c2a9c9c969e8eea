/**
 * `tapelog export <runPath> --format parquet|arrow|jsonl --out FILE [--from-seq A] [--to-seq B]
 * [--decode none|msgpack] [--json]`: writes one row per entry of a sealed run (all entries by
 * default) for DuckDB, pandas or Arrow. Streams in batches, every entry hash-checked; the file
 * appears under its name only when complete (written beside it, then renamed). `--json` prints a
 * summary object; a progress bar is drawn on a terminal.
 */
import { rename, rm, stat } from 'node:fs/promises';
import { EventStoreReader } from '@tapelog/core';
import { streamForensicsReplay } from '@tapelog/recovery';
import { parseArguments, UsageError } from '../command-line.js';
import { EXIT_OK } from '../exit-codes.js';
import { scansRecords, streamEntryRecords } from '../export-record-stream.js';
import { indexKeysBySeq } from '../export-rows.js';
import { EXPORT_BATCH_ROWS, EXPORT_FORMATS, type ExportFormat, type ExportSink, openExportSink } from '../export-sinks.js';
import { corruptExitOrRethrow } from '../integrity-error.js';
import { toJson } from '../json-output.js';
import { openSealedRunAt } from '../open-run.js';
import { decodeKindOption } from '../payload-decoders.js';
import { ProgressBar } from '../progress-bar.js';
import { seqRangeOption } from '../seq-range-option.js';

export async function exportCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, ['format', 'out', 'from-seq', 'to-seq', 'decode'], ['json']);
  if (parsed.positionals.length !== 1) throw new UsageError('export takes exactly one run directory');
  const format = parsed.options.get('format');
  if (format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format is one of ${EXPORT_FORMATS.join(', ')}${format === undefined ? '' : `, got ${JSON.stringify(format)}`}`);
  }
  const out = parsed.options.get('out');
  if (out === undefined || out === '') throw new UsageError('--out FILE is required');
  const range = seqRangeOption(parsed);
  const decode = decodeKindOption(parsed);
  const { coordinates, store } = await openSealedRunAt(parsed.positionals[0]!);
  const progress = new ProgressBar('export');
  const partial = `${out}.partial`;
  const started = performance.now();
  let sink: ExportSink | undefined;
  try {
    const highWatermark = await store.highWatermark();
    const total = Math.max(0, Math.min(range.toSeq, highWatermark) - range.fromSeq + 1);
    sink = openExportSink(format as ExportFormat, partial, { decode, indexKeys: await indexKeysBySeq(store) });
    let rows = 0;
    if (sink.writeRecords !== undefined && scansRecords(store)) {
      for await (const records of streamEntryRecords(store, range, EXPORT_BATCH_ROWS)) {
        await sink.writeRecords(records);
        rows += records.count;
        progress.update(records.firstSeq + records.count - range.fromSeq, total);
      }
    } else {
      for await (const chunk of streamForensicsReplay(new EventStoreReader(store), range)) {
        await sink.write(chunk.entries);
        rows += chunk.entries.length;
        progress.update(chunk.lastSeq - range.fromSeq + 1, total);
      }
    }
    await sink.close();
    await rename(partial, out);
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    const summary = { path: out, format, runId: coordinates.runId, rows, bytes: (await stat(out)).size, seconds, rowsPerSecond: Math.round(rows / seconds) };
    process.stdout.write(
      parsed.flags.has('json')
        ? `${toJson(summary)}\n`
        : `exported rows=${rows} format=${format} bytes=${summary.bytes} seconds=${seconds.toFixed(2)} rows_per_second=${summary.rowsPerSecond} out=${out}\n`,
    );
    return EXIT_OK;
  } catch (error) {
    progress.finish();
    await sink?.abort();
    await rm(partial, { force: true });
    return corruptExitOrRethrow(coordinates.path, error);
  } finally {
    await store.close();
  }
}

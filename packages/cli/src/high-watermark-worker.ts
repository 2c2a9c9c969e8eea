/**
 * The isolated reader of `tapelog runs` for one `Running` run: prints its durable high-watermark
 * (see running-high-watermark) as JSON and exits, so a damaged run that makes LevelDB abort ends
 * this child, never the listing. Usage (internal): node high-watermark-worker.js <store> <instanceId> <runId>
 */
import { durableHighWatermarkOfRunning } from './running-high-watermark.js';

const [store, instanceId, runId] = process.argv.slice(2) as [string, string, string];
try {
  const highWatermark = await durableHighWatermarkOfRunning(store, instanceId, runId);
  process.stdout.write(`${JSON.stringify({ highWatermark: highWatermark ?? null })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error)?.message ?? String(error) })}\n`);
}

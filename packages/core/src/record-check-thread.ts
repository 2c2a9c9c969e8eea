/**
 * The record-check thread: checks chunks of entry records sent by `RecordCheckPool` (hash,
 * framing, seq) and answers with their stored hashes and the records themselves, so a walk's
 * hashing runs beside its reads.
 */
import { parentPort } from 'node:worker_threads';
import { checkRecords, type RecordCheckTask } from './backend/record-check.js';

const port = parentPort;
if (port === null) throw new Error('record-check-thread runs only as a worker thread');
port.on('message', (task: RecordCheckTask) => {
  const result = checkRecords(task);
  port.postMessage(result, [result.hashes.buffer as ArrayBuffer, result.bytes.buffer as ArrayBuffer, result.offsets.buffer as ArrayBuffer]);
});

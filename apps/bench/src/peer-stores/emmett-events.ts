/**
 * The workload as Emmett events: Emmett stores JSON event data, so each tapelog-encoded entry
 * travels as base64 text (a third larger). Converted once per batch, before timing.
 */
import type { WorkloadBatch } from './workload.js';

export interface OrderFilledEvent {
  type: 'OrderFilled';
  data: { seq: number; entry: string };
}

const converted = new WeakMap<WorkloadBatch, OrderFilledEvent[]>();

export function prepareEmmettEvents(batches: readonly WorkloadBatch[]): void {
  for (const batch of batches) {
    if (!converted.has(batch))
      converted.set(
        batch,
        batch.rows.map((row) => ({ type: 'OrderFilled', data: { seq: row.seq, entry: row.value.toString('base64') } })),
      );
  }
}

export function emmettEvents(batch: WorkloadBatch): OrderFilledEvent[] {
  const events = converted.get(batch);
  if (events === undefined) throw new Error('Emmett events were not prepared for this batch: call prepare() before timing');
  return events;
}

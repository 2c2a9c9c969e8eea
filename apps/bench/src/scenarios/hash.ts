/** Entry hash and entry codec throughput on a 200-byte payload. */
import { computeEntryHash, decodeEntry, type EventStoreEntry, encodeEntry } from '@tapelog/core';
import type { Scenario } from '../scenario.js';
import { median, perSecond, repeat, timeNs } from '../stats.js';

function sampleEntry(seq: number): EventStoreEntry {
  const payload = new Uint8Array(200);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + seq) & 0xff;
  const entry: EventStoreEntry = {
    entryHash: new Uint8Array(32),
    seq,
    headers: { correlationId: '01020304-0506-4708-890a-0b0c0d0e0f10' },
    topic: 'events.order.O-1',
    payloadType: 'OrderFilled',
    payload,
    tsInit: 1_700_000_000_000_000_000n + BigInt(seq),
    tsPublish: 1_700_000_000_000_000_001n + BigInt(seq),
  };
  entry.entryHash = computeEntryHash(entry);
  return entry;
}

export const scenario: Scenario = {
  name: 'hash',
  description: 'computeEntryHash and entry encode+decode, 200-byte payload',
  async run({ full }) {
    const count = full ? 1_000_000 : 200_000;
    const repetitions = full ? 9 : 5;
    const entries = Array.from({ length: 1024 }, (_, i) => sampleEntry(i + 1));
    const hashRates = await repeat(repetitions, async () =>
      perSecond(
        count,
        await timeNs(() => {
          for (let i = 0; i < count; i++) computeEntryHash(entries[i & 1023]!);
        }),
      ),
    );
    const codecRates = await repeat(repetitions, async () =>
      perSecond(
        count,
        await timeNs(() => {
          for (let i = 0; i < count; i++) decodeEntry(encodeEntry(entries[i & 1023]!));
        }),
      ),
    );
    return {
      figures: [
        {
          name: 'computeEntryHash (median)',
          value: median(hashRates),
          unit: 'hashes/s',
          target: { value: 1_000_000, kind: 'min', source: 'issue 2' },
          note: '200-byte payload',
        },
        { name: 'entry encode+decode (median)', value: median(codecRates), unit: 'entries/s', note: '200-byte payload' },
      ],
      details: { hashRates, codecRates, count, repetitions },
    };
  },
};

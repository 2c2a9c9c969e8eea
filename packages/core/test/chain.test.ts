import { describe, expect, test } from 'vitest';
import { blake3, CHAIN_GENESIS, ChainHasher, computeChainHead, nextChainHash, toHex } from '../src/index.js';

const hashes = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));

describe('chain head', () => {
  test('one step is BLAKE3("tapelog/chain/v1" ‖ previous ‖ entry hash)', () => {
    const input = new Uint8Array([...new TextEncoder().encode('tapelog/chain/v1'), ...CHAIN_GENESIS, ...hashes[0]!]);
    expect(toHex(nextChainHash(CHAIN_GENESIS, hashes[0]!))).toBe(toHex(blake3(input)));
  });

  test('the empty chain is 32 zero bytes', () => {
    expect(computeChainHead([])).toBe('00'.repeat(32));
  });

  test('incremental and one-shot forms agree', () => {
    const chain = new ChainHasher();
    for (const hash of hashes) chain.update(hash);
    expect(chain.headHex).toBe(computeChainHead(hashes));
    expect(chain.length).toBe(3);
  });

  test('swapping two entries or dropping the tail changes the head', () => {
    const head = computeChainHead(hashes);
    expect(computeChainHead([hashes[1]!, hashes[0]!, hashes[2]!])).not.toBe(head);
    expect(computeChainHead(hashes.slice(0, 2))).not.toBe(head);
  });

  test('a chain resumed from a stored head continues identically', () => {
    const partial = new ChainHasher();
    partial.update(hashes[0]!);
    const resumed = new ChainHasher(partial.head, partial.length);
    resumed.update(hashes[1]!);
    resumed.update(hashes[2]!);
    expect(resumed.headHex).toBe(computeChainHead(hashes));
  });
});

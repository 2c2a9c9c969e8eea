/**
 * The chain head: a running BLAKE3 over every entry hash in seq order, so that deleting a tail
 * or swapping whole entries is detectable once a run is sealed.
 * chain_0 = 32 zero bytes; chain_n = BLAKE3("tapelog/chain/v1" ‖ chain_{n-1} ‖ entryHash_n).
 */
import { hashReserved, inputMemory, reserveInput } from './blake3.js';
import { toHex } from './hex.js';

export const CHAIN_DOMAIN = 'tapelog/chain/v1';
const DOMAIN_BYTES = new TextEncoder().encode(CHAIN_DOMAIN);
const INPUT_LENGTH = DOMAIN_BYTES.length + 64;

/** chain_0: 32 zero bytes. */
export const CHAIN_GENESIS: Uint8Array = new Uint8Array(32);

/** One chain step. */
export function nextChainHash(previous: Uint8Array, entryHash: Uint8Array): Uint8Array {
  if (previous.length !== 32 || entryHash.length !== 32) throw new RangeError('chain inputs must be 32 bytes');
  const ptr = reserveInput(INPUT_LENGTH);
  const memory = inputMemory();
  memory.set(DOMAIN_BYTES, ptr);
  memory.set(previous, ptr + DOMAIN_BYTES.length);
  memory.set(entryHash, ptr + DOMAIN_BYTES.length + 32);
  return hashReserved(ptr, INPUT_LENGTH);
}

/** One chain step over the 32-byte entry hash at `offset` of `bytes`, without a view of it. */
function nextChainHashAt(previous: Uint8Array, bytes: Uint8Array, offset: number): Uint8Array {
  if (offset < 0 || offset + 32 > bytes.length) throw new RangeError('the entry hash must lie within the bytes');
  const ptr = reserveInput(INPUT_LENGTH);
  const memory = inputMemory();
  memory.set(DOMAIN_BYTES, ptr);
  memory.set(previous, ptr + DOMAIN_BYTES.length);
  const to = ptr + DOMAIN_BYTES.length + 32;
  for (let i = 0; i < 32; i++) memory[to + i] = bytes[offset + i]!;
  return hashReserved(ptr, INPUT_LENGTH);
}

/** The chain head (hex) over entry hashes given in seq order from seq 1. */
export function computeChainHead(entryHashes: Iterable<Uint8Array>): string {
  const chain = new ChainHasher();
  for (const hash of entryHashes) chain.update(hash);
  return chain.headHex;
}

/** Incremental chain for writers and scanners. */
export class ChainHasher {
  #head: Uint8Array;
  #length: number;

  constructor(head: Uint8Array = CHAIN_GENESIS, length = 0) {
    this.#head = head;
    this.#length = length;
  }

  /** Folds the next entry hash (seq = length + 1) into the chain. */
  update(entryHash: Uint8Array): void {
    this.#head = nextChainHash(this.#head, entryHash);
    this.#length++;
  }

  /** Folds the entry hash at `offset` of `bytes` (32 bytes) into the chain, as `update` does. */
  updateAt(bytes: Uint8Array, offset: number): void {
    this.#head = nextChainHashAt(this.#head, bytes, offset);
    this.#length++;
  }

  get head(): Uint8Array {
    return this.#head;
  }

  get headHex(): string {
    return toHex(this.#head);
  }

  /** How many entries the chain covers. */
  get length(): number {
    return this.#length;
  }
}

/**
 * Hands out payload bytes carved from shared slabs. Allocating a fresh ArrayBuffer per payload
 * costs more than encoding a typical order event (each needs its own backing store); a view
 * into a slab costs a small fraction. A slab is never written twice, so every view handed out
 * stays immutable; a slab is freed once no payload of it is referenced.
 */

/** Big enough to amortize the allocation over dozens of payloads, small enough that one retained payload pins little. */
const SLAB_SIZE = 32 * 1024;
/** Larger payloads get their own buffer, so they never waste the rest of a slab. */
const LARGEST_SLAB_PAYLOAD = SLAB_SIZE / 8;

export class PayloadArena {
  #slab = new Uint8Array(SLAB_SIZE);
  #offset = 0;

  /** A new immutable copy of `source[0, length)`. Its `buffer` is shared: read it through `byteOffset`. */
  copy(source: Uint8Array, length: number): Uint8Array {
    if (length > LARGEST_SLAB_PAYLOAD) return source.slice(0, length);
    if (this.#offset + length > SLAB_SIZE) {
      this.#slab = new Uint8Array(SLAB_SIZE);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#slab.set(source.subarray(0, length), start);
    this.#offset = start + length;
    return this.#slab.subarray(start, start + length);
  }
}

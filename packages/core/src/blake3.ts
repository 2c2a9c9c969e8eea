/**
 * Direct access to the BLAKE3 WebAssembly module of blake3-wasm. Hot paths assemble their
 * input straight into WebAssembly memory and hash it with one call, which avoids the wrapper's
 * per-call allocations and copies (about 1.3× faster on entry-sized inputs).
 */
import { createRequire } from 'node:module';
import { readU32LE } from './u64-split.js';

interface Blake3Wasm {
  memory: { readonly buffer: ArrayBuffer };
  hash(dataPtr: number, dataLen: number, outPtr: number, outLen: number): void;
  __wbindgen_malloc(size: number): number;
}

const require = createRequire(import.meta.url);
const glue = require('blake3-wasm/dist/wasm/nodejs/blake3_js.js') as { __wasm: Blake3Wasm };
const wasm = glue.__wasm;
const outPtr = wasm.__wbindgen_malloc(32);
let memory = new Uint8Array(wasm.memory.buffer);
let memoryView = new DataView(wasm.memory.buffer);

/**
 * Reserves `length` bytes of WebAssembly memory for one hash input and returns the pointer.
 * Write the input with `inputMemory()` and pass the pointer to `hashReserved`, which consumes it.
 */
export function reserveInput(length: number): number {
  return wasm.__wbindgen_malloc(length);
}

/**
 * The current view of WebAssembly memory (valid until the next `reserveInput`). Growing the
 * memory detaches its old buffer, which empties views of it, so an empty view means stale:
 * a cheaper test than reading `wasm.memory.buffer` on every call.
 */
export function inputMemory(): Uint8Array {
  if (memory.length === 0) refreshMemory();
  return memory;
}

/** A DataView of the same memory, for multi-byte reads and writes (valid until the next `reserveInput`). */
export function inputView(): DataView {
  if (memory.length === 0) refreshMemory();
  return memoryView;
}

function refreshMemory(): void {
  memory = new Uint8Array(wasm.memory.buffer);
  memoryView = new DataView(wasm.memory.buffer);
}

/** Hashes `length` bytes at `ptr` (from `reserveInput`, which this frees) into a new 32-byte array. */
export function hashReserved(ptr: number, length: number): Uint8Array {
  wasm.hash(ptr, length, outPtr, 32);
  return inputMemory().slice(outPtr, outPtr + 32);
}

/**
 * Hashes `length` bytes at `ptr` (from `reserveInput`, which this frees) and compares the digest
 * with the 32 bytes of `expected` at `expectedOffset` where it lies, without copying it out.
 */
export function hashReservedEquals(ptr: number, length: number, expected: Uint8Array, expectedOffset: number): boolean {
  wasm.hash(ptr, length, outPtr, 32);
  const digest = inputView();
  for (let i = 0; i < 32; i += 4) {
    if (digest.getUint32(outPtr + i, true) !== readU32LE(expected, expectedOffset + i)) return false;
  }
  return true;
}

/** Plain unkeyed BLAKE3 with a 32-byte output. */
export function blake3(bytes: Uint8Array): Uint8Array {
  const ptr = reserveInput(bytes.length);
  inputMemory().set(bytes, ptr);
  return hashReserved(ptr, bytes.length);
}

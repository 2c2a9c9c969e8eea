/** Shape checks for decoded MessagePack records: anything unexpected becomes CORRUPTED. */
import { corruptedError } from '../errors.js';

export class ShapeReader {
  constructor(
    private readonly what: string,
    private readonly record: Record<string, unknown>,
  ) {}

  static of(what: string, value: unknown): ShapeReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      throw corruptedError(`${what}: expected a map`);
    }
    return new ShapeReader(what, value as Record<string, unknown>);
  }

  fail(field: string, expected: string): never {
    throw corruptedError(`${this.what}: field ${field} is not ${expected}`);
  }

  string(field: string): string {
    const value = this.record[field];
    if (typeof value !== 'string') this.fail(field, 'a string');
    return value;
  }

  optionalString(field: string): string | undefined {
    const value = this.record[field];
    return value === undefined || value === null ? undefined : this.string(field);
  }

  /** A non-negative safe integer (MessagePack may hand back a bigint for large values). */
  safeInteger(field: string, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.record[field];
    const number = typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0 || number > max) {
      this.fail(field, `an integer in [0, ${max}]`);
    }
    return number;
  }

  /** A u64 as bigint. */
  bigint(field: string): bigint {
    const value = this.record[field];
    if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    this.fail(field, 'an unsigned 64-bit integer');
  }

  optionalBigint(field: string): bigint | undefined {
    const value = this.record[field];
    return value === undefined || value === null ? undefined : this.bigint(field);
  }

  stringArray(field: string): string[] {
    const value = this.record[field];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) this.fail(field, 'a list of strings');
    return [...value];
  }

  /** A string → string map, insertion order kept. */
  stringRecord(field: string): Record<string, string> {
    const value = this.record[field];
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      this.fail(field, 'a map of strings');
    }
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== 'string') this.fail(`${field}.${key}`, 'a string');
      out[key] = item;
    }
    return out;
  }

  bytes(field: string): Uint8Array {
    const value = this.record[field];
    if (!(value instanceof Uint8Array)) this.fail(field, 'bytes');
    return value;
  }

  nested(field: string): ShapeReader {
    return ShapeReader.of(`${this.what}: ${field}`, this.record[field]);
  }

  raw(field: string): unknown {
    return this.record[field];
  }
}

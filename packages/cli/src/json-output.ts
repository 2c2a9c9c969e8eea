/** JSON for scripts: bigints become decimal strings, byte arrays lowercase hex, no other surprises. */
import { toHex } from '@tapelog/core';

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  return value;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** JSON for the page: bigints as decimal strings and byte arrays as hex, so nothing loses precision. */

export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Uint8Array) return Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('hex');
    return item;
  });
}

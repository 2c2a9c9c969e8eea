/** How the page writes times, sizes and hashes. Times are UTC, as the kernel records them. */

/** `2024-01-01 00:00:12.200000000` from ns since the epoch (decimal text, as the API sends bigints). */
export function formatNs(ns: string | bigint): string {
  const value = BigInt(ns);
  const millis = Number(value / 1_000_000n);
  const date = new Date(millis).toISOString().replace('T', ' ').slice(0, 19);
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0');
  return `${date}.${fraction}`;
}

/** The absolute time of an offset (ns) after the run's origin. */
export function formatOffset(originNs: string, offsetNs: number): string {
  return formatNs(BigInt(originNs) + BigInt(Math.round(offsetNs)));
}

/** The clock time only (`00:00:12.200`), for axes. */
export function clockOfOffset(originNs: string, offsetNs: number, digits = 3): string {
  const text = formatOffset(originNs, offsetNs);
  return text.slice(11, 20 + digits);
}

export function formatDuration(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(1)} ms`;
  if (ns < 120_000_000_000) return `${(ns / 1_000_000_000).toFixed(2)} s`;
  return `${(ns / 60_000_000_000).toFixed(1)} min`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function shortHash(hash: string | null | undefined): string {
  return hash === null || hash === undefined || hash === '' ? '–' : `${hash.slice(0, 12)}…`;
}

/**
 * The headers object the registry checked last, vouched for once. The tap asks the registry for a
 * message's headers and hands them straight to the adapter, which checks the ids of any headers it
 * is given: without this hand-off every captured message had its UUIDs checked twice.
 */

let lastChecked: object | undefined;

/** Records that `headers` passed the registry's checks. */
export function markHeadersChecked(headers: object): void {
  lastChecked = headers;
}

/** True when `headers` is the object checked last; forgets it either way, so one check vouches for one use. */
export function takeHeadersChecked(headers: object): boolean {
  const checked = headers === lastChecked;
  lastChecked = undefined;
  return checked;
}

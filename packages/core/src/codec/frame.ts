/**
 * The storage frame every record sits in: magic `TLOG`, one version byte, then the body.
 * Unframing never trusts the input: any deviation is CORRUPTED.
 */
import { corruptedError } from '../errors.js';

export const FRAME_MAGIC = new Uint8Array([0x54, 0x4c, 0x4f, 0x47]); // "TLOG"
export const FRAME_HEADER_LENGTH = 5;

/** Writes the frame header into `out` at 0. */
export function writeFrameHeader(out: Uint8Array, version: number): void {
  out.set(FRAME_MAGIC, 0);
  out[4] = version;
}

/** Checks magic and version; returns the body offset. `what` names the record in messages. */
export function checkFrame(bytes: Uint8Array, version: number | readonly number[], what: string): number {
  if (!(bytes instanceof Uint8Array)) throw corruptedError(`${what}: stored value is not bytes`);
  if (bytes.length < FRAME_HEADER_LENGTH) {
    throw corruptedError(`${what}: truncated frame: needed ${FRAME_HEADER_LENGTH - bytes.length} more byte(s)`);
  }
  if (bytes[0] !== 0x54 || bytes[1] !== 0x4c || bytes[2] !== 0x4f || bytes[3] !== 0x47) {
    throw corruptedError(`${what}: bad magic: input is not a tapelog record frame`);
  }
  const versions = typeof version === 'number' ? [version] : version;
  if (!versions.includes(bytes[4]!)) {
    throw corruptedError(`${what}: unsupported record version ${bytes[4]}; supported version${versions.length > 1 ? 's are' : ' is'} ${versions.join(', ')}`);
  }
  return FRAME_HEADER_LENGTH;
}

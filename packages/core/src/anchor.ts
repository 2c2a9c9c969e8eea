/** Snapshot-anchor rules shared by every backend: never past the durable hwm, never backwards. */
import { anchorRejectedError } from './errors.js';
import type { SnapshotAnchor } from './types.js';

/** Throws ANCHOR_REJECTED when `anchor` may not replace `latest` at durable high-watermark `durable`. */
export function validateSnapshotAnchor(anchor: SnapshotAnchor, durable: number, latest: SnapshotAnchor | undefined): void {
  if (anchor.highWatermark > durable) {
    throw anchorRejectedError(`snapshot anchor high_watermark ${anchor.highWatermark} exceeds durable high_watermark ${durable}`);
  }
  if (latest !== undefined && anchor.highWatermark < latest.highWatermark) {
    throw anchorRejectedError(`snapshot anchor high_watermark ${anchor.highWatermark} is older than latest anchor ${latest.highWatermark}`);
  }
}

export function assertValidAnchorShape(anchor: SnapshotAnchor): void {
  if (typeof anchor !== 'object' || anchor === null) throw new TypeError('an anchor must be an object');
  if (!Number.isSafeInteger(anchor.highWatermark) || anchor.highWatermark < 0) {
    throw new RangeError(`anchor.highWatermark must be a non-negative safe integer, got ${String(anchor.highWatermark)}`);
  }
  if (typeof anchor.blobRef !== 'string') throw new TypeError('anchor.blobRef must be a string');
  if (typeof anchor.contentHash !== 'string') throw new TypeError('anchor.contentHash must be a string');
}

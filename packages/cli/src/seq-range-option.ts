/**
 * `--from-seq A --to-seq B` as a replay seq range (default the whole run), validated with the
 * recovery planner's rules so a bad range fails with INVALID_SEQ_RANGE before the run is opened.
 */
import { type ReplaySeqRange, validateReplaySeqRange } from '@tapelog/recovery';
import { type ParsedArguments, seqOption } from './command-line.js';

export function seqRangeOption(parsed: ParsedArguments): ReplaySeqRange {
  const range = { fromSeq: seqOption(parsed, 'from-seq', 1), toSeq: seqOption(parsed, 'to-seq', Number.MAX_SAFE_INTEGER) };
  validateReplaySeqRange(range);
  return range;
}

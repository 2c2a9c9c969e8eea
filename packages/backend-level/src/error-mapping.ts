/**
 * Turns classic-level and file-system failures into TapelogErrors: disk pressure → DISK,
 * LevelDB corruption → CORRUPTED, a locked run → RUN_ALREADY_OPEN, anything else → BACKEND.
 */
import { backendError, corruptedError, diskError, isDiskPressure, runAlreadyOpenError, TapelogError } from '@tapelog/core';

/** The error and every `cause` below it: classic-level wraps the LevelDB status in its open errors. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** Messages joined down the cause chain, so the LevelDB status text is never lost. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (const link of causeChain(error)) {
    const message = link instanceof Error ? link.message : String(link);
    if (message.length > 0 && !parts.includes(message)) parts.push(message);
  }
  return parts.join(': ') || 'unknown error';
}

export function isLockedError(error: unknown): boolean {
  return causeChain(error).some((link) => codeOf(link) === 'LEVEL_LOCKED');
}

export function isCorruptionError(error: unknown): boolean {
  return causeChain(error).some((link) => codeOf(link) === 'LEVEL_CORRUPTION' || (link instanceof Error && /^Corruption: /.test(link.message)));
}

/**
 * Maps a failure of `action` on the run at `location`. TapelogErrors pass through unchanged.
 * The message names the run and says what to do.
 */
export function mapStorageError(error: unknown, action: string, location: string): TapelogError {
  if (TapelogError.isInstance(error)) return error;
  const text = describe(error);
  if (causeChain(error).some((link) => isDiskPressure(link))) {
    return diskError(`${action} ${location}: ${text}; free disk space (or raise the file-size limit) before writing again`, error);
  }
  if (isCorruptionError(error)) {
    return corruptedError(`${action} ${location}: LevelDB reports corruption: ${text}; quarantine the run and verify it`, { cause: error });
  }
  if (isLockedError(error)) {
    return runAlreadyOpenError(`${location} (its LevelDB is locked by another store)`, error);
  }
  return backendError(`${action} ${location}: ${text}`, error);
}

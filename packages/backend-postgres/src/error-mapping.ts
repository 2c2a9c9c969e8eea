/**
 * Turns driver and server failures into `TapelogError`s: BACKEND naming the operation and the
 * run (or server) with no password in it; DISK when the server says its disk is full.
 */
import { backendError, diskError, TapelogError } from '@tapelog/core';
import { scrubPassword } from './connection-url.js';

/** SQLSTATE class 53 "insufficient resources": 53100 is disk_full. */
const DISK_FULL = '53100';

/** What a failure says, prefixed with its SQLSTATE when the server sent one. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${message} (SQLSTATE ${code})` : message;
}

/** A TapelogError passes through; anything else becomes BACKEND (or DISK) `<operation> <where>: <cause>`. */
export function mapPostgresError(error: unknown, operation: string, where: string, connectionString: string): TapelogError {
  if (TapelogError.isInstance(error)) return error;
  const text = scrubPassword(`${operation} ${where}: ${describe(error)}`, connectionString);
  if ((error as { code?: unknown } | null)?.code === DISK_FULL) return diskError(text, error);
  return backendError(text, error);
}

/** True when the failure is the connection going away rather than a rejected statement. */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    // 57P01 admin_shutdown (pg_terminate_backend, fast stop), 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection exceptions.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code)) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error|not queryable|timeout/i.test(message);
}

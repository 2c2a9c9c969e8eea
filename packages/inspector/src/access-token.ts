/**
 * The access token of one inspector: random, printed once in the URL, then carried by a cookie
 * the first page load sets (HttpOnly, SameSite=Strict) or by an `Authorization: Bearer` header.
 * Compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'tapelog_inspect_token';

export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const left = Buffer.from(expected);
  const right = Buffer.from(offered);
  return left.length === right.length && timingSafeEqual(left, right);
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 24 random bytes, URL-safe: the secret that makes browser mode's URL a capability. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so the lengths always match
 * (timingSafeEqual throws on different lengths, which would itself leak the length).
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

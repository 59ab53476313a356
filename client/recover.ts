/**
 * Creates that survive ambiguous failures without duplicating: when a create fails in a
 * way that may have applied it (a 5xx, a reset connection, a timeout, a malformed
 * answer), look for the record it would have made; return it when it is there, send the
 * create again when it is not.
 */
import { isGhlError } from './errors.ts'
import type { Now } from './time.ts'

/** Records created up to this long before the call started still count as "made by it" (clock skew). */
export const RECOVERY_SKEW_MS = 5 * 60_000

export async function createWithRecovery<T>(
  create: () => Promise<T>,
  find: (since: number) => Promise<T | undefined>,
  options: { now: Now; rounds?: number },
): Promise<T> {
  const since = options.now() - RECOVERY_SKEW_MS
  const rounds = Math.max(1, options.rounds ?? 3)
  let last: unknown
  for (let round = 0; round < rounds; round++) {
    try {
      return await create()
    } catch (err) {
      if (!isGhlError(err) || !err.maybeApplied) throw err
      last = err
      const found = await find(since)
      if (found !== undefined) return found
    }
  }
  throw last
}

/** True when an ISO date is at or after `since` (a missing or unreadable date counts as a match). */
export function isSince(iso: string | undefined, since: number): boolean {
  if (!iso) return true
  const t = Date.parse(iso)
  return Number.isNaN(t) || t >= since
}

export const sameInstant = (a?: string, b?: string) => a === b || (a !== undefined && b !== undefined && Date.parse(a) === Date.parse(b))

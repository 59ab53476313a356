/**
 * The one source of time for the mock. Token expiry, rate-limit windows, daily quotas
 * and journal timestamps all read it, so a test moves time with `advance` instead of
 * waiting.
 */
export interface Clock {
  now(): number
  /** Freeze the clock at `ms` (epoch milliseconds); a RangeError past MAX_CLOCK_MS. */
  set(ms: number): void
  /** Move the clock forward (it keeps running if it was running). */
  advance(ms: number): void
  /** Back to running time, keeping the current reading as the starting point. */
  resume(): void
  /** Back to how it was created: the same start reading (or real time), frozen or running. */
  reset(): void
  readonly frozen: boolean
}

/**
 * The instants the clock may show: 1970 to the start of year 9000. Beyond 9999 an ISO
 * 8601 date-time cannot be written (`toISOString` throws, and every request that reads
 * the time would fail until restart); the centuries left over keep token lifetimes and
 * rate-limit windows counted from any reading writable too.
 */
export const MAX_CLOCK_MS = Date.UTC(9000, 0, 1)

/** Why `ms` can't be a reading of the clock, or undefined when it can. */
export function outOfRange(ms: number): string | undefined {
  if (Number.isFinite(ms) && ms >= 0 && ms <= MAX_CLOCK_MS) return undefined
  return `the clock must stay between 1970-01-01T00:00:00.000Z and 9000-01-01T00:00:00.000Z (got ${Number.isFinite(ms) ? ms : String(ms)} ms)`
}

function checked(ms: number): number {
  const why = outOfRange(ms)
  if (why) throw new RangeError(why)
  return ms
}

export function createClock(options: { start?: number; frozen?: boolean } = {}, source: () => number = Date.now): Clock {
  const frozenStart = options.frozen ? (options.start ?? source()) : undefined
  let frozenAt: number | undefined
  let offset = 0
  const reset = () => {
    frozenAt = frozenStart
    offset = options.start !== undefined && frozenAt === undefined ? options.start - source() : 0
  }
  reset()
  return {
    reset,
    now: () => frozenAt ?? source() + offset,
    set(ms) {
      frozenAt = checked(ms)
    },
    advance(ms) {
      if (frozenAt !== undefined) frozenAt = checked(frozenAt + ms)
      else offset = checked(source() + offset + ms) - source()
    },
    resume() {
      if (frozenAt === undefined) return
      offset = frozenAt - source()
      frozenAt = undefined
    },
    get frozen() {
      return frozenAt !== undefined
    },
  }
}

/**
 * The one source of time for the mock. Token expiry, rate-limit windows, daily quotas
 * and journal timestamps all read it, so a test moves time with `advance` instead of
 * waiting.
 */
export interface Clock {
  now(): number
  /** Freeze the clock at `ms` (epoch milliseconds). */
  set(ms: number): void
  /** Move the clock forward (it keeps running if it was running). */
  advance(ms: number): void
  /** Back to running time, keeping the current reading as the starting point. */
  resume(): void
  /** Back to how it was created: the same start reading (or real time), frozen or running. */
  reset(): void
  readonly frozen: boolean
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
      frozenAt = ms
    },
    advance(ms) {
      if (frozenAt !== undefined) frozenAt += ms
      else offset += ms
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

/**
 * The mock clock, pinned while a logged command is applied: every instance applies a
 * command at the time the instance that took it read, so createdAt, token expiry and
 * code lifetimes come out identical everywhere.
 */
import type { Clock } from '../clock.ts'

export interface PinnableClock extends Clock {
  /** Read `ms` until unpinned (undefined); set/advance/resume still move the clock beneath. */
  pin(ms: number | undefined): void
  /** The reading without the pin: the time of a request as it arrives. */
  unpinned(): number
}

export function pinnable(base: Clock): PinnableClock {
  let pinned: number | undefined
  // A command that moves the clock moves the pinned reading with it: the rest of the command reads the new time.
  return {
    now: () => pinned ?? base.now(),
    set(ms) {
      base.set(ms)
      if (pinned !== undefined) pinned = ms
    },
    advance(ms) {
      base.advance(ms)
      if (pinned !== undefined) pinned += ms
    },
    resume: () => base.resume(),
    reset() {
      base.reset()
      if (pinned !== undefined) pinned = base.now()
    },
    get frozen() {
      return base.frozen
    },
    pin(ms) {
      pinned = ms
    },
    unpinned: () => base.now(),
  }
}

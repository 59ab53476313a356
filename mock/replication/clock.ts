/**
 * The mock clock, pinned while a logged command is applied: every instance applies a
 * command at the time the instance that took it read, so createdAt, token expiry and
 * code lifetimes come out identical everywhere.
 *
 * The pin belongs to the applying context alone (AsyncLocalStorage): a handler awaits the
 * store while it runs, and a request this instance serves meanwhile reads its own clock,
 * not the other instance's time.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Clock } from '../clock.ts'

export interface PinnableClock extends Clock {
  /**
   * Runs `apply` with the clock reading `ms` in it and in what it starts; set/advance/reset
   * still move the clock beneath. Once `apply` settles, whatever it left running (a webhook
   * retry's timer) reads the clock again.
   */
  pinned<T>(ms: number, apply: () => Promise<T>): Promise<T>
  /** The reading without the pin: the time of a request as it arrives. */
  unpinned(): number
}

export function pinnable(base: Clock): PinnableClock {
  const pins = new AsyncLocalStorage<{ at: number | undefined }>()
  const pin = () => {
    const p = pins.getStore()
    return p?.at === undefined ? undefined : p
  }
  // A command that moves the clock moves the pinned reading with it: the rest of the command reads the new time.
  return {
    now: () => pin()?.at ?? base.now(),
    set(ms) {
      base.set(ms)
      const p = pin()
      if (p) p.at = ms
    },
    advance(ms) {
      base.advance(ms)
      const p = pin()
      if (p) p.at = (p.at as number) + ms
    },
    resume: () => base.resume(),
    reset() {
      base.reset()
      const p = pin()
      if (p) p.at = base.now()
    },
    get frozen() {
      return base.frozen
    },
    async pinned(ms, apply) {
      const p = { at: ms as number | undefined }
      try {
        return await pins.run(p, apply)
      } finally {
        p.at = undefined
      }
    },
    unpinned: () => base.now(),
  }
}

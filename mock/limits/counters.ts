/**
 * Rate-limit counters behind a small async interface, so a shared store (Redis) can
 * hold them when several mock instances run side by side. A counter is a fixed window:
 * it opens at the first hit and closes `windowMs` later.
 */
export interface WindowState {
  count: number
  /** Epoch ms when the window closes and the count starts again. */
  resetAt: number
}

export interface RateCounters {
  /** Count one request in `key`'s window and return the window after counting. */
  hit(key: string, windowMs: number, now: number): Promise<WindowState>
  /** The window without counting (count 0 when none is open). */
  peek(key: string, now: number): Promise<WindowState | undefined>
  reset(): Promise<void>
}

export function createMemoryCounters(): RateCounters {
  const windows = new Map<string, WindowState>()
  const open = (key: string, now: number) => {
    const w = windows.get(key)
    return w && w.resetAt > now ? w : undefined
  }
  return {
    async hit(key, windowMs, now) {
      const w = open(key, now) ?? { count: 0, resetAt: now + windowMs }
      w.count++
      windows.set(key, w)
      return { ...w }
    },
    async peek(key, now) {
      const w = open(key, now)
      return w && { ...w }
    },
    async reset() {
      windows.clear()
    },
  }
}

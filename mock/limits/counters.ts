/**
 * Rate-limit counters behind a small async interface, so a shared store (Redis) can
 * hold them when several mock instances run side by side. A counter is a fixed window:
 * it opens at the first hit and closes `windowMs` later. Each request is one decision
 * (read both windows, refuse or count both), made atomically, so that a budget of 100
 * is 100 however many requests (or instances) race for it.
 */
export interface WindowState {
  count: number
  /** Epoch ms when the window closes and the count starts again. */
  resetAt: number
}

export interface DecisionInput {
  burstKey: string
  dayKey: string
  burstMs: number
  dayMs: number
  /** The limit to enforce; undefined counts without ever refusing (limits off). */
  limit?: { burst: number; daily: number }
  now: number
}

export interface Decision {
  refused: boolean
  /** Both windows before this request (a window not open yet has count 0 and would close `now + ms`). */
  before: { burst: WindowState; day: WindowState }
  /** Both windows after counting this request (equal to `before` when refused). */
  after: { burst: WindowState; day: WindowState }
}

export interface RateCounters {
  /** The memory counters answer at once (a request then waits on no promise for it); Redis answers later. */
  decide(input: DecisionInput): Decision | Promise<Decision>
  /** The open window under `key`, without counting (GET /__mock/limits/usage); undefined when none is open. */
  peek(key: string, now: number): Promise<WindowState | undefined>
  reset(): Promise<void>
}

/** Whether a request with these windows before it is refused. */
export const isRefused = (limit: DecisionInput['limit'], burst: WindowState, day: WindowState) =>
  limit !== undefined && (day.count >= limit.daily || burst.count >= limit.burst)

export function createMemoryCounters(): RateCounters {
  // Windows are never changed in place: counting replaces one, so `before` can be the stored
  // object itself (one new window per count instead of four copies per request).
  const windows = new Map<string, WindowState>()
  const open = (key: string, windowMs: number, now: number): WindowState => {
    const w = windows.get(key)
    return w && w.resetAt > now ? w : { count: 0, resetAt: now + windowMs }
  }
  return {
    decide({ burstKey, dayKey, burstMs, dayMs, limit, now }) {
      const before = { burst: open(burstKey, burstMs, now), day: open(dayKey, dayMs, now) }
      if (isRefused(limit, before.burst, before.day)) return { refused: true, before, after: before }
      const after = {
        burst: { count: before.burst.count + 1, resetAt: before.burst.resetAt },
        day: { count: before.day.count + 1, resetAt: before.day.resetAt },
      }
      windows.set(burstKey, after.burst)
      windows.set(dayKey, after.day)
      return { refused: false, before, after }
    },
    async peek(key, now) {
      const w = windows.get(key)
      return w && w.resetAt > now ? { ...w } : undefined
    },
    async reset() {
      windows.clear()
    },
  }
}

/**
 * The limits an app gets: HighLevel's 100 requests per 10 s burst and 200,000 a day by
 * default, per app (OAuth client, or the Private Integration Token itself) per resource
 * (location or company). `off` stops refusing requests; the headers still show these
 * defaults, as the real API always sends them.
 */
export interface RateLimit {
  burst: number
  windowMs: number
  daily: number
}

export type RateLimitSetting = RateLimit | false

export const GHL_LIMITS: RateLimit = { burst: 100, windowMs: 10_000, daily: 200_000 }

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** `100/10s,200000/day`, `5/1s`, or `off`. */
export function parseRateLimit(text: string): RateLimitSetting {
  const spec = text.trim().toLowerCase()
  if (spec === 'off' || spec === 'false' || spec === 'none') return false
  const limit: RateLimit = { ...GHL_LIMITS }
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const day = /^(\d+)\/(day|d|24h)$/.exec(part)
    const burst = /^(\d+)\/(\d+)?(ms|s|m|h)$/.exec(part)
    if (day) limit.daily = Number(day[1])
    else if (burst) {
      limit.burst = Number(burst[1])
      limit.windowMs = Number(burst[2] ?? 1) * UNITS[burst[3]]
    } else {
      throw new Error(`rate limit "${part}" is not understood: use e.g. 100/10s,200000/day or off`)
    }
  }
  if (limit.burst < 1 || limit.windowMs < 1 || limit.daily < 1) throw new Error(`rate limit "${text}" must be positive`)
  return limit
}

/** Milliseconds until the next 00:00 UTC: the daily quota resets at midnight UTC of the mock's clock. */
export function msUntilUtcMidnight(now: number): number {
  // Epoch time has no leap seconds: every UTC day is DAY_MS long and starts at a multiple of it
  // (the clock never reads before 1970). Called on every request, so no Date is built.
  return DAY_MS - (now % DAY_MS)
}

const DAY_MS = 86_400_000

/** The counter keys of one app's budgets at one location (or company): the limiter spends them, the control API reads them. */
export function limitKeys(appId: string, resource: string | undefined): { burst: string; day: string } {
  const key = `${appId}|${resource}`
  return { burst: `burst|${key}`, day: `day|${key}` }
}

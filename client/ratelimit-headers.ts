/** The five `X-RateLimit-*` headers (and `Retry-After`), read from a response. */
export interface RateLimitSnapshot {
  /** `X-RateLimit-Max`: requests per burst window. */
  max?: number
  /** `X-RateLimit-Remaining`: requests left in the current window, this one counted. */
  remaining?: number
  /** `X-RateLimit-Interval-Milliseconds`: length of the burst window. */
  intervalMs?: number
  /** `X-RateLimit-Limit-Daily`. */
  dailyLimit?: number
  /** `X-RateLimit-Daily-Remaining`. */
  dailyRemaining?: number
  /** `Retry-After` in milliseconds (seconds or an HTTP date on the wire), when sent. */
  retryAfterMs?: number
}

function int(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

function retryAfter(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after')
  if (raw === null || raw.trim() === '') return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Reads the rate-limit headers; undefined when the response carries none of them. */
export function readRateLimit(headers: Headers, now = Date.now()): RateLimitSnapshot | undefined {
  const snapshot: RateLimitSnapshot = {
    max: int(headers, 'x-ratelimit-max'),
    remaining: int(headers, 'x-ratelimit-remaining'),
    intervalMs: int(headers, 'x-ratelimit-interval-milliseconds'),
    dailyLimit: int(headers, 'x-ratelimit-limit-daily'),
    dailyRemaining: int(headers, 'x-ratelimit-daily-remaining'),
    retryAfterMs: retryAfter(headers, now),
  }
  const any = Object.values(snapshot).some((v) => v !== undefined)
  if (!any) return undefined
  for (const key of Object.keys(snapshot) as Array<keyof RateLimitSnapshot>) if (snapshot[key] === undefined) delete snapshot[key]
  return snapshot
}

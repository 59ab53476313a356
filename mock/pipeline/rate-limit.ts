/**
 * HighLevel's rate limits: a burst window and a daily quota per app per resource, the
 * five X-RateLimit-* headers on every answer, 429 past either limit. Requests refused
 * with 429 do not use up budget (a client that waits out the window gets its full burst
 * back). Windows follow the mock's clock. With limits off the mock never refuses, but
 * still counts and sends the headers of HighLevel's default limits: the real API always
 * sends them, and clients (and `ghl-mock verify`) rely on them.
 */
import type { MiddlewareHandler } from 'hono'
import { refuseWith } from '../errors.ts'
import { addHeaders, takeAddedHeaders } from './respond.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import { GHL_LIMITS, limitKeys, msUntilUtcMidnight, type RateLimit } from '../limits/policy.ts'

/** Names in lower case, as answers send them (see addHeaders). */
function headers(limit: RateLimit, burstCount: number, dailyCount: number): Record<string, string> {
  return {
    'x-ratelimit-limit-daily': String(limit.daily),
    'x-ratelimit-daily-remaining': String(Math.max(0, limit.daily - dailyCount)),
    'x-ratelimit-interval-milliseconds': String(limit.windowMs),
    'x-ratelimit-max': String(limit.burst),
    'x-ratelimit-remaining': String(Math.max(0, limit.burst - burstCount)),
  }
}

export function rateLimit(state: MockState): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const op = c.get('op')
    const auth = c.get('auth')
    if (op.api !== 'contacts' || !auth) return next()
    const enforced = state.limits.forApp(auth.appId)
    const limit = enforced ?? GHL_LIMITS
    const resource = auth.locationId ?? auth.companyId
    const keys = limitKeys(auth.appId, resource)
    const now = state.clock.now()
    const { refused, before, after } = await state.limits.counters.decide({
      burstKey: keys.burst,
      dayKey: keys.day,
      burstMs: limit.windowMs,
      dayMs: msUntilUtcMidnight(now),
      limit: enforced,
      now,
    })
    const burstUsed = before.burst.count
    const dayUsed = before.day.count
    c.set('rateRemaining', Math.max(0, limit.burst - burstUsed))
    if (refused) {
      const h = headers(limit, burstUsed, dayUsed)
      if (state.options.retryAfter) {
        const waitMs = dayUsed >= limit.daily ? msUntilUtcMidnight(now) : before.burst.resetAt - now
        h['Retry-After'] = String(Math.max(1, Math.ceil(waitMs / 1000)))
      }
      throw refuseWith(dayUsed >= limit.daily ? 'quota' : 'rate-limit', { headers: h })
    }
    // Every answer from here on carries them, refusals included.
    addHeaders(c, headers(limit, after.burst.count, after.day.count))
    await next()
    const left = takeAddedHeaders(c)
    if (left) for (const name in left) c.res.headers.set(name, left[name])
  }
}

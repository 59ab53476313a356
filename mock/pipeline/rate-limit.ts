/**
 * HighLevel's rate limits: a burst window and a daily quota per app per resource, the
 * five X-RateLimit-* headers on every answer, 429 past either limit. Requests refused
 * with 429 do not use up budget (a client that waits out the window gets its full burst
 * back). Windows follow the mock's clock. With limits off the mock never refuses, but
 * still counts and sends the headers of HighLevel's default limits: the real API always
 * sends them, and clients (and `ghl-mock verify`) rely on them.
 */
import type { Context } from 'hono'
import { refuseWith } from '../errors.ts'
import { addHeaders } from './respond.ts'
import type { Decision } from '../limits/counters.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import { GHL_LIMITS, limitKeys, msUntilUtcMidnight, type RateLimit } from '../limits/policy.ts'
import type { Step, StepNext } from './compose.ts'
import { andThen } from '../then.ts'

/** The three numbers that stay put for a limit, as header values, worked out once per limit. */
const fixedValues = new WeakMap<RateLimit, [daily: string, windowMs: string, burst: string]>()

/** Names in lower case, as answers send them (see addHeaders). */
function headers(limit: RateLimit, burstCount: number, dailyCount: number): Record<string, string> {
  let fixed = fixedValues.get(limit)
  if (!fixed) fixedValues.set(limit, (fixed = [String(limit.daily), String(limit.windowMs), String(limit.burst)]))
  return {
    'x-ratelimit-limit-daily': fixed[0],
    'x-ratelimit-daily-remaining': String(Math.max(0, limit.daily - dailyCount)),
    'x-ratelimit-interval-milliseconds': fixed[1],
    'x-ratelimit-max': fixed[2],
    'x-ratelimit-remaining': String(Math.max(0, limit.burst - burstCount)),
  }
}

/** Apps whose counter keys are kept; a test run or a bench uses a handful. */
const KEYS_CACHED_APPS = 1024

export function rateLimit(state: MockState): Step {
  // Counter keys per app and resource, built once: a key made per request is a new string to
  // hash on every lookup (~0.5 µs a request). Bounded: a token minted without an app is its
  // own app, so apps come and go with tokens; past the bound the cache starts over.
  const keysOf = new Map<string, Map<string | undefined, { burst: string; day: string }>>()
  const keysFor = (appId: string, resource: string | undefined) => {
    let byResource = keysOf.get(appId)
    if (!byResource) {
      if (keysOf.size >= KEYS_CACHED_APPS) keysOf.clear()
      keysOf.set(appId, (byResource = new Map()))
    }
    let keys = byResource.get(resource)
    if (!keys) byResource.set(resource, (keys = limitKeys(appId, resource)))
    return keys
  }
  // No await of its own: with the memory counters a request passes without a promise. The
  // headers reach every answer through respond() (a handler's own Response gets them in app.ts's run).
  return (c, next) => {
    const op = c.get('op')
    const auth = c.get('auth')
    if (op.api !== 'contacts' || !auth) return next()
    const enforced = state.limits.forApp(auth.appId)
    const limit = enforced ?? GHL_LIMITS
    const keys = keysFor(auth.appId, auth.locationId ?? auth.companyId)
    const now = state.clock.now()
    const decision = state.limits.counters.decide({
      burstKey: keys.burst,
      dayKey: keys.day,
      burstMs: limit.windowMs,
      dayMs: msUntilUtcMidnight(now),
      limit: enforced,
      now,
    })
    return andThen(decision, (d) => count(c, next, d, limit, now))
  }

  function count(c: Context<MockEnv>, next: StepNext, { refused, before, after }: Decision, limit: RateLimit, now: number) {
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
    return next()
  }
}

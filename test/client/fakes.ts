/**
 * Test doubles for the client's unit tests: a manual clock whose sleep moves time, and
 * a tiny rate-limited server (fixed window or sliding log) that records the budget each
 * request found when it arrived.
 */
import type { FetchFunction } from '../../client/transport.ts'

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0)

export interface ManualClock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  advance(ms: number): void
  slept: number[]
}

/** Time moves only when someone sleeps (or a test advances it). Sleeps resolve on the next microtask. */
export function manualClock(start = T0): ManualClock {
  let t = start
  const slept: number[] = []
  return {
    now: () => t,
    async sleep(ms) {
      slept.push(ms)
      t += ms
      await Promise.resolve()
    },
    advance(ms) {
      t += ms
    },
    slept,
  }
}

export interface Arrival {
  time: number
  method: string
  url: string
  /** Budget left when it arrived, before counting it. */
  remaining: number
  status: number
  body?: string
  authorization?: string | null
}

export interface FakeServerOptions {
  now: () => number
  max?: number
  intervalMs?: number
  window?: 'fixed' | 'sliding'
  dailyLimit?: number
  retryAfter?: boolean
  /** Answer a request (after the rate limit let it through); default 200 `{ ok: true }`. */
  handler?: (req: { method: string; url: string; body?: string; n: number; headers: Headers }) => Response | Promise<Response>
  /** Delay (awaited microtasks) before answering, to let requests overlap (a function: varies per request). */
  ticks?: number | (() => number)
}

export function fakeServer(options: FakeServerOptions) {
  const max = options.max ?? 100
  const interval = options.intervalMs ?? 10_000
  const dailyLimit = options.dailyLimit ?? 200_000
  const arrivals: Arrival[] = []
  let windowStart: number | undefined
  let count = 0
  let log: number[] = []
  let daily = 0
  let n = 0

  function budget(now: number): number {
    if (options.window === 'sliding') {
      log = log.filter((t) => t > now - interval)
      return max - log.length
    }
    if (windowStart === undefined || now >= windowStart + interval) {
      windowStart = now
      count = 0
    }
    return max - count
  }
  function take(now: number) {
    if (options.window === 'sliding') log.push(now)
    else count++
    daily++
  }

  const fetch: FetchFunction = async (url, init) => {
    const now = options.now()
    const method = init.method ?? 'GET'
    const body = typeof init.body === 'string' ? init.body : undefined
    const headers = new Headers(init.headers)
    const remaining = budget(now)
    const dailyRemaining = dailyLimit - daily
    const rate = (left: number, dailyLeft: number) => ({
      'X-RateLimit-Max': String(max),
      'X-RateLimit-Remaining': String(Math.max(0, left)),
      'X-RateLimit-Interval-Milliseconds': String(interval),
      'X-RateLimit-Limit-Daily': String(dailyLimit),
      'X-RateLimit-Daily-Remaining': String(Math.max(0, dailyLeft)),
    })
    const limited = remaining <= 0 || dailyRemaining <= 0
    if (!limited) take(now)
    const ticks = typeof options.ticks === 'function' ? options.ticks() : (options.ticks ?? 0)
    for (let i = 0; i < ticks; i++) await Promise.resolve()
    if (limited) {
      arrivals.push({ time: now, method, url, remaining, status: 429, body, authorization: headers.get('authorization') })
      const h: Record<string, string> = { ...rate(remaining, dailyRemaining), 'Content-Type': 'application/json' }
      if (options.retryAfter) h['Retry-After'] = String(Math.ceil(((windowStart ?? now) + interval - now) / 1000))
      return new Response(JSON.stringify({ statusCode: 429, message: 'Too many requests. Please try again later.', error: 'Too Many Requests' }), {
        status: 429,
        headers: h,
      })
    }
    const answer = options.handler ? await options.handler({ method, url, body, n: n++, headers }) : Response.json({ ok: true })
    arrivals.push({ time: now, method, url, remaining, status: answer.status, body, authorization: headers.get('authorization') })
    const out = new Headers(answer.headers)
    for (const [k, v] of Object.entries(rate(remaining - 1, dailyRemaining - 1))) out.set(k, v)
    return new Response(answer.body, { status: answer.status, headers: out })
  }
  return { fetch, arrivals }
}

/** Small deterministic PRNG (mulberry32) for jitter and shuffles in tests. */
export function seeded(seed = 1): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../client/pacing.ts'
import { readRateLimit } from '../../client/ratelimit-headers.ts'
import type { FetchFunction } from '../../client/transport.ts'
import { fakeServer, manualClock, seeded } from './fakes.ts'

/** What the transport does around each send, without retries. */
async function send(limiter: RateLimiter, fetch: FetchFunction, now: () => number) {
  const permit = await limiter.acquire()
  const res = await fetch('http://x/contacts/', { method: 'GET' })
  permit.release({ rateLimit: readRateLimit(res.headers, now()), status: res.status, sent: true })
  return res.status
}

describe('RateLimiter', () => {
  for (const window of ['fixed', 'sliding'] as const) {
    it(`sequential: never sends into a spent ${window} window`, async () => {
      const clock = manualClock()
      const server = fakeServer({ now: clock.now, max: 5, intervalMs: 1_000, window })
      const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep })
      for (let i = 0; i < 23; i++) expect(await send(limiter, server.fetch, clock.now)).toBe(200)
      expect(server.arrivals.every((a) => a.remaining > 0)).toBe(true)
      expect(clock.slept.length).toBeGreaterThanOrEqual(4)
      expect(clock.slept.every((ms) => ms <= 1_100)).toBe(true)
    })

    it(`concurrent: ${window} window, answers interleaved, budget shared`, async () => {
      const clock = manualClock()
      const random = seeded(7)
      const server = fakeServer({ now: clock.now, max: 7, intervalMs: 1_000, window, ticks: () => Math.floor(random() * 12) })
      const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, maxConcurrency: 5 })
      const statuses = await Promise.all(Array.from({ length: 60 }, () => send(limiter, server.fetch, clock.now)))
      expect(statuses.every((s) => s === 200)).toBe(true)
      expect(server.arrivals.filter((a) => a.remaining <= 0)).toEqual([])
      expect(server.arrivals).toHaveLength(60)
    })
  }

  it('never has more than maxConcurrency in flight', async () => {
    const clock = manualClock()
    let inFlight = 0
    let peak = 0
    const fetch: FetchFunction = async () => {
      peak = Math.max(peak, ++inFlight)
      for (let i = 0; i < 5; i++) await Promise.resolve()
      inFlight--
      return new Response('{}', { headers: { 'X-RateLimit-Remaining': '1000', 'X-RateLimit-Max': '1000' } })
    }
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, maxConcurrency: 3 })
    await Promise.all(Array.from({ length: 20 }, () => send(limiter, fetch, clock.now)))
    expect(peak).toBe(3)
  })

  it('a server that sends no rate-limit headers is paced by concurrency only', async () => {
    const clock = manualClock()
    let inFlight = 0
    let peak = 0
    const fetch: FetchFunction = async () => {
      peak = Math.max(peak, ++inFlight)
      for (let i = 0; i < 5; i++) await Promise.resolve()
      inFlight--
      return new Response('{}')
    }
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, maxConcurrency: 4 })
    await Promise.all(Array.from({ length: 20 }, () => send(limiter, fetch, clock.now)))
    expect(peak).toBe(4)
    expect(clock.slept).toEqual([])
  })

  it('before any header is known, sends one request at a time', async () => {
    const clock = manualClock()
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep })
    const a = await limiter.acquire()
    let second = false
    const pending = limiter.acquire().then((p) => {
      second = true
      return p
    })
    await Promise.resolve()
    expect(second).toBe(false)
    a.release({ sent: true, rateLimit: { remaining: 50, max: 100, intervalMs: 10_000 } })
    ;(await pending).release({ sent: true })
    expect(second).toBe(true)
  })

  it('out-of-order answers: a stale higher remaining does not raise the estimate', async () => {
    const clock = manualClock()
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep })
    const first = await limiter.acquire()
    first.release({ sent: true, rateLimit: { remaining: 10, max: 10, intervalMs: 1_000 } })
    const a = await limiter.acquire()
    const b = await limiter.acquire()
    b.release({ sent: true, rateLimit: { remaining: 8 } }) // arrived second at the server, answered first
    a.release({ sent: true, rateLimit: { remaining: 9 } })
    expect(limiter.state().remaining).toBe(8)
    // A request sent after those answers is trusted, even when the window has reset.
    const c = await limiter.acquire()
    c.release({ sent: true, rateLimit: { remaining: 9 } })
    expect(limiter.state().remaining).toBe(9)
  })

  it('reserve keeps requests of each window unused', async () => {
    const clock = manualClock()
    const server = fakeServer({ now: clock.now, max: 5, intervalMs: 1_000 })
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, reserve: 2 })
    for (let i = 0; i < 6; i++) await send(limiter, server.fetch, clock.now)
    expect(server.arrivals.map((a) => a.remaining)).toEqual([5, 4, 3, 5, 4, 3])
  })

  it('after a 429 it waits the given block, then probes with one request', async () => {
    const clock = manualClock()
    const waits: Array<{ waitMs: number; reason: string }> = []
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, onWait: (w) => waits.push(w) })
    const p = await limiter.acquire()
    const t = clock.now()
    p.release({ sent: true, status: 429, rateLimit: { remaining: 0, max: 100, intervalMs: 10_000 }, blockMs: 2_500 })
    const next = await limiter.acquire()
    expect(clock.now() - t).toBe(2_500)
    expect(waits).toEqual([expect.objectContaining({ waitMs: 2_500, reason: 'rate-limited' })])
    expect(limiter.state().remaining).toBeUndefined()
    next.release({ sent: true, rateLimit: { remaining: 99, max: 100 } })
    expect(limiter.state().remaining).toBe(99)
  })

  it('daily quota spent: fails fast with a quota error until the next UTC day', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 15, 23, 0, 0))
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep })
    const p = await limiter.acquire()
    p.release({ sent: true, status: 200, rateLimit: { remaining: 50, max: 100, dailyLimit: 1000, dailyRemaining: 0 } })
    await expect(limiter.acquire()).rejects.toMatchObject({ name: 'GhlError', kind: 'quota' })
    clock.advance(60 * 60_000)
    const again = await limiter.acquire()
    again.release({ sent: true })
  })

  it('an aborted waiter leaves the queue with the abort reason', async () => {
    const clock = manualClock()
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, maxConcurrency: 1 })
    const held = await limiter.acquire()
    const controller = new AbortController()
    const waiting = limiter.acquire(controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    expect(limiter.state().queued).toBe(0)
    held.release({ sent: true })
  })
})

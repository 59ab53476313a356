/**
 * HighLevel's rate limits over a real socket with fetch: the 100th request in a window
 * passes, the 101st gets 429 with the five headers; other locations and apps are not
 * affected; the clock reopens the window; the daily quota ends and resets at midnight UTC.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { parseRateLimit } from '../../mock/limits/policy.ts'
import { T0 } from '../support/mock.ts'

let server: MockServer
let contactOf: Record<string, string>

beforeEach(async () => {
  server = await startMockServer({ port: 0, clock: createClock({ start: T0, frozen: true }), selfCheck: true })
  contactOf = {}
  for (const t of server.app.state.defaultTokens) {
    contactOf[t.token] = (await server.app.state.store.listContacts(t.locationId!, { limit: 1 })).contacts[0].id
  }
})
afterEach(async () => {
  expect(server.app.state.selfCheckFailures).toEqual([])
  await server.close()
})

const get = (token: string) =>
  fetch(`${server.url}/contacts/${contactOf[token] ?? 'x'}`, { headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' } })
const rate = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-ratelimit')))
const advance = (ms: number) =>
  fetch(`${server.url}/__mock/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) })

describe('burst limit', () => {
  it('the 100th request passes, the 101st gets 429 with headers a client can trust', async () => {
    const [a] = server.app.state.defaultTokens
    let last: Response | undefined
    for (let i = 1; i <= 100; i++) {
      last = await get(a.token)
      expect(last.status).toBe(200)
      expect(last.headers.get('x-ratelimit-remaining')).toBe(String(100 - i))
      await last.arrayBuffer()
    }
    expect(rate(last!)).toEqual({
      'x-ratelimit-limit-daily': '200000',
      'x-ratelimit-daily-remaining': '199900',
      'x-ratelimit-interval-milliseconds': '10000',
      'x-ratelimit-max': '100',
      'x-ratelimit-remaining': '0',
    })
    const refused = await get(a.token)
    expect(refused.status).toBe(429)
    expect(await refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' })
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(refused.headers.get('retry-after')).toBeNull()
    // Refused requests are journaled with the budget they found.
    expect(server.app.state.journal.list({ status: 429 })).toEqual([expect.objectContaining({ operationId: 'get-contact', rateRemaining: 0, app: a.appId })])
  })

  it('another location and another app keep their own budget', async () => {
    const [a, b] = server.app.state.defaultTokens
    for (let i = 0; i < 100; i++) await (await get(a.token)).arrayBuffer()
    expect((await get(a.token)).status).toBe(429)
    expect((await get(b.token)).status).toBe(200) // another location (and PIT)
    const other = server.app.state.tokens.issue({ kind: 'pit', userType: 'Location', locationId: a.locationId, companyId: a.companyId, scopes: a.scopes })
    contactOf[other.token] = contactOf[a.token]
    expect((await get(other.token)).status).toBe(200) // another app, same location
  })

  it('advancing the clock past the window reopens it', async () => {
    const [a] = server.app.state.defaultTokens
    for (let i = 0; i < 100; i++) await (await get(a.token)).arrayBuffer()
    expect((await get(a.token)).status).toBe(429)
    await advance(9_999)
    expect((await get(a.token)).status).toBe(429)
    await advance(1)
    const res = await get(a.token)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-ratelimit-remaining')).toBe('99')
  })
})

describe('daily quota', () => {
  it('runs out, then resets at 00:00 UTC of the mock clock', async () => {
    const [a] = server.app.state.defaultTokens
    await fetch(`${server.url}/__mock/limits/${a.appId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ burst: 100, windowMs: 10000, daily: 5 }),
    })
    for (let i = 0; i < 5; i++) expect((await get(a.token)).status).toBe(200)
    const refused = await get(a.token)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('x-ratelimit-daily-remaining')).toBe('0')
    expect((await refused.json()).message).toMatch(/daily limit/)
    await advance(60_000)
    expect((await get(a.token)).status).toBe(429) // a new burst window does not help
    await fetch(`${server.url}/__mock/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ set: '2026-01-16T00:00:00.000Z' }),
    })
    const next = await get(a.token)
    expect(next.status).toBe(200)
    expect(next.headers.get('x-ratelimit-daily-remaining')).toBe('4')
  })
})

describe('configuration', () => {
  it('parses --rate-limit and rejects nonsense', () => {
    expect(parseRateLimit('5/1s')).toEqual({ burst: 5, windowMs: 1000, daily: 200_000 })
    expect(parseRateLimit('10/10s, 50/day')).toEqual({ burst: 10, windowMs: 10_000, daily: 50 })
    expect(parseRateLimit('off')).toBe(false)
    expect(() => parseRateLimit('lots')).toThrow(/not understood/)
  })

  it('off never refuses, but still sends the five headers of the default limits, counting', async () => {
    const off = await startMockServer({ port: 0, rateLimit: false, clock: createClock({ start: T0, frozen: true }) })
    const t = off.app.state.defaultTokens[0]
    const id = (await off.app.state.store.listContacts(t.locationId!, { limit: 1 })).contacts[0].id
    try {
      let res: Response | undefined
      for (let i = 1; i <= 101; i++) {
        res = await fetch(`${off.url}/contacts/${id}`, { headers: { Authorization: `Bearer ${t.token}`, Version: '2021-07-28' } })
        expect(res.status).toBe(200)
        await res.arrayBuffer()
      }
      expect(rate(res!)).toEqual({
        'x-ratelimit-limit-daily': '200000',
        'x-ratelimit-daily-remaining': '199899',
        'x-ratelimit-interval-milliseconds': '10000',
        'x-ratelimit-max': '100',
        'x-ratelimit-remaining': '0',
      })
    } finally {
      await off.close()
    }
  })

  it('sends Retry-After on 429 when asked for', async () => {
    const strictRetry = await startMockServer({
      port: 0,
      rateLimit: parseRateLimit('1/10s'),
      retryAfter: true,
      clock: createClock({ start: T0, frozen: true }),
    })
    const s = strictRetry.app.state.defaultTokens[0]
    const sid = (await strictRetry.app.state.store.listContacts(s.locationId!, { limit: 1 })).contacts[0].id
    const h = { Authorization: `Bearer ${s.token}`, Version: '2021-07-28' }
    expect((await fetch(`${strictRetry.url}/contacts/${sid}`, { headers: h })).status).toBe(200)
    const r = await fetch(`${strictRetry.url}/contacts/${sid}`, { headers: h })
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('10')
    await strictRetry.close()
  })
})

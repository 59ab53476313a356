/**
 * Rate limits shared through Redis: several mock instances on one Redis spend one
 * budget (one Lua decision per request), a reset on one resets all, and Redis going away
 * answers 503 in the GHL error shape until it returns, without a restart.
 */
import { describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createMockApp } from '../../mock/app.ts'
import { createRedisCounters } from '../../mock/limits/redis-counters.ts'
import { T0, VERSION } from '../support/mock.ts'
import { freePort, useRedisSuite } from './support/redis-server.ts'

const suite = useRedisSuite()
const { servers } = suite

/** `n` instances on one Redis namespace, same seed, each with its own frozen clock at T0. */
async function instances(n: number, namespace = suite.namespace('test')) {
  for (let i = 0; i < n; i++) {
    await suite.start({ seed: 7, contacts: 3, namespace })
  }
  const token = servers[0].app.state.defaultTokens[0]
  const contactId = (await servers[0].app.state.store.listContacts(token.locationId!, { limit: 1 })).contacts[0].id
  const get = (i: number) =>
    fetch(`${servers[i % servers.length].url}/contacts/${contactId}`, { headers: { Authorization: `Bearer ${token.token}`, Version: VERSION } })
  return { get }
}

describe('burst window across instances', () => {
  it('150 requests in one 10-second window spread over 3 instances: exactly 100 accepted', async () => {
    const { get } = await instances(3)
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => get(i).then(async (r) => ({ status: r.status, body: await r.json() }))))
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(100)
    expect(statuses.filter((s) => s === 429)).toHaveLength(50)
    expect(answers.find((a) => a.status === 429)!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' })
  })

  it('a reset on one instance gives every instance the full budget back', async () => {
    const { get } = await instances(2)
    for (let i = 0; i < 100; i++) expect((await get(i)).status).toBe(200)
    expect((await get(1)).status).toBe(429)
    expect((await fetch(`${servers[0].url}/__mock/reset`, { method: 'POST' })).status).toBe(200)
    const r = await get(1)
    expect(r.status).toBe(200)
    expect(r.headers.get('x-ratelimit-remaining')).toBe('99')
  })

  it('namespaces keep budgets apart on one Redis', async () => {
    const a = await instances(1, `ns-a-${process.pid}`)
    const b = await instances(1, `ns-b-${process.pid}`)
    await Promise.all(Array.from({ length: 100 }, () => a.get(0)))
    expect((await a.get(0)).status).toBe(429)
    expect((await b.get(1)).status).toBe(200)
  })
})

describe('one decision per request, atomic', () => {
  it('1,000 concurrent decisions from 3 Redis clients admit exactly the budget', async () => {
    const clients = [0, 1, 2].map(() => new Redis(suite.redis.url))
    try {
      const counters = clients.map((client) => createRedisCounters({ client, prefix: `atomic-${process.pid}:` }))
      const decisions = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          counters[i % 3].decide({ burstKey: 'b', dayKey: 'd', burstMs: 10_000, dayMs: 86_400_000, limit: { burst: 250, daily: 1000 }, now: T0 }),
        ),
      )
      expect(decisions.filter((d) => !d.refused)).toHaveLength(250)
      expect(new Set(decisions.filter((d) => !d.refused).map((d) => d.after.burst.count)).size).toBe(250)
      await counters[0].reset()
      const fresh = await counters[1].decide({ burstKey: 'b', dayKey: 'd', burstMs: 10_000, dayMs: 86_400_000, limit: { burst: 250, daily: 1000 }, now: T0 })
      expect(fresh.after.burst.count).toBe(1)
    } finally {
      for (const c of clients) c.disconnect()
    }
  })
})

describe('Redis away', () => {
  it('a start without a reachable Redis fails with a clear message', async () => {
    const port = await freePort()
    await expect(createMockApp({ store: `redis://127.0.0.1:${port}/0`, contacts: 1 })).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0/)
  })

  it('a bad --store URL is refused at start', async () => {
    await expect(createMockApp({ store: 'http://localhost:6379' })).rejects.toThrow(/--store must be redis:\/\/host:port\/db/)
    await expect(createMockApp({ store: 'redis://localhost:6379/x' })).rejects.toThrow(/must be a number/)
  })

  it('Redis down answers 503 in the GHL error shape, and the mock recovers when it returns', async () => {
    const { get } = await instances(1)
    expect((await get(0)).status).toBe(200)
    await suite.redis.stop()
    try {
      const down = await get(0)
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('Redis') })
    } finally {
      await suite.redis.start()
    }
    // The client reconnects on its own (bounded backoff); poll a bounded number of times.
    let status = 0
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await get(0)).status
      if (status !== 200) await new Promise((r) => setTimeout(r, 50))
    }
    expect(status).toBe(200)
  })
})

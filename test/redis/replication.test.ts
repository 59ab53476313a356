/**
 * Several mock instances on one Redis answer as one API (state-machine replication over
 * the namespace's stream): a write on one is read on another, concurrent writes on all
 * of them are decided in one order, a one-time code works once, reset and the clock are
 * shared, an instance stopping loses nothing written, and a webhook goes out once.
 */
import { describe, expect, it, vi } from 'vitest'
import { Redis } from 'ioredis'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import type { MockOptions } from '../../mock/options.ts'
import { T0, VERSION } from '../support/mock.ts'
import { useRedisSuite } from './support/redis-server.ts'

const suite = useRedisSuite()

type Answer = { status: number; body: any; headers: Headers }

/** `n` listening instances on one namespace, same seed, each with its own frozen clock at T0. */
async function cluster(n: number, extra: Partial<MockOptions> = {}, namespace = suite.namespace('repl')) {
  const mine: MockServer[] = []
  for (let i = 0; i < n; i++) mine.push(await suite.start({ seed: 11, contacts: 5, namespace, ...extra }))
  const token = mine[0].app.state.defaultTokens[0]
  const locationId = token.locationId
  function caller(over: 'http' | 'in-process') {
    return async (i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
      const init = {
        method,
        headers: {
          Authorization: `Bearer ${token.token}`,
          Version: VERSION,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }
      const s = mine[i % mine.length]
      const res = over === 'http' ? await fetch(`${s.url}${path}`, init) : await s.app.request(path, init)
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers }
    }
  }
  /**
   * `direct` skips the sockets (the same app, the same Request objects): 1,000 concurrent
   * HTTP connections on a loaded 2-core machine measure the machine, not the mock.
   */
  return { servers: mine, call: caller('http'), direct: caller('in-process'), locationId, namespace }
}

const NO_LIMITS = { rateLimit: false } as const

describe('one API over many instances', () => {
  it('a write on one instance is read on another, with the same id and fields everywhere', async () => {
    const { call, locationId } = await cluster(3)
    const created = await call(0, 'POST', '/contacts/', { locationId, email: 'ada@example.com', firstName: 'Ada' })
    expect(created.status).toBe(201)
    const id = created.body.contact.id
    const onB = await call(1, 'GET', `/contacts/${id}`)
    const onC = await call(2, 'GET', `/contacts/${id}`)
    expect(onB.status).toBe(200)
    expect(onB.body.contact).toMatchObject(created.body.contact)
    expect(onC.body.contact).toEqual(onB.body.contact)
    // The next id is the same whichever instance makes it: one RNG sequence, applied in one order.
    const second = await call(2, 'POST', '/contacts/', { locationId, firstName: 'Grace' })
    expect((await call(0, 'GET', `/contacts/${second.body.contact.id}`)).body.contact.firstName).toBe('Grace')
    const update = await call(1, 'PUT', `/contacts/${id}`, { lastName: 'Lovelace' })
    expect(update.status).toBe(200)
    expect((await call(0, 'GET', `/contacts/${id}`)).body.contact.lastName).toBe('Lovelace')
    expect((await call(2, 'DELETE', `/contacts/${id}`)).status).toBe(200)
    expect((await call(0, 'GET', `/contacts/${id}`)).status).toBe(400)
  })

  it('1,000 concurrent upserts of one email spread over 3 instances make one contact', { timeout: 120_000 }, async () => {
    const { call, direct, locationId, servers: mine } = await cluster(3, NO_LIMITS)
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => direct(i, 'POST', '/contacts/upsert', { locationId, email: 'same@example.com', firstName: `n${i}` })),
    )
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([])
    expect(answers.filter((a) => a.body.new === true)).toHaveLength(1)
    const ids = new Set(answers.map((a) => a.body.contact.id))
    expect(ids.size).toBe(1)
    // Every instance, caught up, holds exactly that one contact for the email.
    for (let i = 0; i < 3; i++) {
      const dup = await call(i, 'GET', `/contacts/search/duplicate?locationId=${locationId}&email=same%40example.com`)
      expect(dup.body.contact.id).toBe([...ids][0])
      const all = await mine[i].app.state.store.listContacts(locationId, { limit: 100 })
      expect(all.contacts.filter((c) => c.email === 'same@example.com')).toHaveLength(1)
    }
  })

  it('1,000 concurrent tag adds spread over 3 instances: every tag lands', { timeout: 120_000 }, async () => {
    const { call, direct, locationId } = await cluster(3, NO_LIMITS)
    const id = (await call(0, 'POST', '/contacts/', { locationId, firstName: 'Tagged' })).body.contact.id
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => direct(i, 'POST', `/contacts/${id}/tags`, { tags: [`t${i}`] })))
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 200)).toEqual([])
    for (let i = 0; i < 3; i++) {
      const tags = (await call(i, 'GET', `/contacts/${id}`)).body.contact.tags as string[]
      expect(new Set(tags).size).toBe(1000)
      expect(tags.filter((t) => /^t\d+$/.test(t))).toHaveLength(1000)
    }
  })

  it('150 requests in one 10-second window over 3 instances: exactly 100 accepted, writes included', async () => {
    const { call, locationId } = await cluster(3)
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        i % 2 ? call(i, 'GET', `/contacts/?locationId=${locationId}&limit=1`) : call(i, 'POST', '/contacts/', { locationId, firstName: `b${i}` }),
      ),
    )
    expect(answers.filter((a) => a.status === 429)).toHaveLength(50)
    expect(answers.filter((a) => a.status === 200 || a.status === 201)).toHaveLength(100)
  })

  it('an OAuth code redeemed on two instances at once gives exactly one token, usable on every instance', async () => {
    const { call, servers: mine } = await cluster(3)
    const app = mine[0].app.state.apps.defaultApp
    const consentQuery = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: app.redirectUris[0], scope: app.scopes.join(' ') })
    const consent = await fetch(`${mine[1].url}/oauth/chooselocation?${consentQuery}`, { redirect: 'manual' })
    expect(consent.status).toBe(302)
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!
    const form = new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: app.redirectUris[0],
    })
    const redeem = (i: number) =>
      fetch(`${mine[i].url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }))
    const answers = await Promise.all([redeem(0), redeem(2), redeem(0), redeem(2)])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400])
    const token = answers.find((a) => a.status === 200)!.body.access_token as string
    for (let i = 0; i < 3; i++) {
      const r = await call(i, 'GET', `/contacts/?locationId=${answers.find((a) => a.status === 200)!.body.locationId}&limit=1`, undefined, {
        Authorization: `Bearer ${token}`,
      })
      expect(r.status).toBe(200)
    }
  })

  it('reset on one instance resets every instance; the clock is one clock', async () => {
    const { call, locationId } = await cluster(2)
    const id = (await call(0, 'POST', '/contacts/', { locationId, firstName: 'Gone soon' })).body.contact.id
    expect((await call(1, 'GET', `/contacts/${id}`)).status).toBe(200)
    const moved = await call(1, 'POST', '/__mock/clock', { advanceMs: 3_600_000 })
    expect(moved.status).toBe(200)
    expect((await call(0, 'GET', '/__mock/clock')).body.epochMs).toBe(T0 + 3_600_000)
    expect((await call(0, 'POST', '/__mock/reset')).status).toBe(200)
    expect((await call(1, 'GET', `/contacts/${id}`)).status).toBe(400)
    expect((await call(1, 'GET', '/__mock/clock')).body.epochMs).toBe(T0)
  })

  it('an instance stopped mid-load: the others keep answering and every acknowledged write is on them', { timeout: 120_000 }, async () => {
    const { call, locationId, servers: mine, namespace } = await cluster(3, NO_LIMITS)
    let done = 0
    let stopped: Promise<void> | undefined
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(i, 'POST', '/contacts/', { locationId, firstName: `load${i}` })
          .catch(() => ({ status: 0, body: undefined, headers: new Headers() }) as Answer)
          .then((a) => {
            if (++done === 60) stopped = mine[2].close()
            return { i, ...a }
          }),
      ),
    )
    await stopped
    const acknowledged = answers.filter((a) => a.status === 201)
    expect(acknowledged.length).toBeGreaterThanOrEqual(200)
    // The instances still up answer every request, and hold every write any instance acknowledged.
    expect(answers.filter((a) => a.i % 3 !== 2 && a.status !== 201)).toEqual([])
    for (const i of [0, 1]) {
      for (const a of acknowledged) {
        const r = await call(i, 'GET', `/contacts/${a.body.contact.id}`)
        expect(r.body.contact.firstName).toBe(`load${a.i}`)
      }
    }
    // A fresh instance joining the namespace replays the log to the same state.
    const { servers: late } = await cluster(1, NO_LIMITS, namespace)
    const seen = async (s: MockServer) => (await s.app.state.store.listContacts(locationId, { limit: 100 })).total
    await call(0, 'GET', '/__mock/health')
    expect(await seen(late[0])).toBe(await seen(mine[0]))
  })

  it('a webhook is delivered once, however many instances apply the write', async () => {
    const sent: string[] = []
    const fetchHook = async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(init.body as string).webhookId)
      return new Response(null, { status: 200 })
    }
    const { call, locationId, servers: mine } = await cluster(3, { webhooks: ['http://receiver.invalid/hook'], fetch: fetchHook })
    await call(0, 'POST', '/contacts/', { locationId, firstName: 'Hooked' })
    for (let i = 1; i < 3; i++) await call(i, 'GET', '/__mock/health')
    for (let i = 0; i < 3; i++) await call(i, 'POST', '/__mock/webhooks/flush')
    const made = mine.map((s) => s.app.state.webhooks.deliveries({ type: 'ContactCreate' }).map((d) => d.webhookId))
    expect(made[0]).toHaveLength(1)
    expect(made[1]).toEqual(made[0])
    expect(made[2]).toEqual(made[0])
    expect(sent).toEqual(made[0])
  })

  it('an instance started with another seed on the namespace is refused with the difference', async () => {
    const { namespace } = await cluster(1)
    await expect(startMockServer({ port: 0, seed: 12, contacts: 5, store: suite.redis.url, namespace })).rejects.toThrow(
      /namespace "repl-.*" on this Redis was started with other options \(seed: 11 there, 12 here\)/,
    )
  })

  it('a start refused for a bad fault rule leaves no Redis connection behind', async () => {
    const client = new Redis(suite.redis.url)
    try {
      const connections = async () =>
        String(await client.client('LIST'))
          .trim()
          .split('\n').length
      const before = await connections()
      const bad = { match: { operationId: 'no-such-operation' }, action: { status: 503 } }
      await expect(
        startMockServer({ port: 0, seed: 11, contacts: 5, store: suite.redis.url, namespace: suite.namespace('refused'), faults: [bad as never] }),
      ).rejects.toThrow(/fault rules: faults\[0\]/)
      expect(await connections()).toBe(before)
    } finally {
      client.disconnect()
    }
  })

  it('a reset trims the log; an instance joining later starts from it and reaches the same state', async () => {
    const { call, locationId, namespace, servers: mine } = await cluster(2, NO_LIMITS)
    for (let i = 0; i < 5; i++) await call(i, 'POST', '/contacts/', { locationId, firstName: `before${i}` })
    expect((await call(1, 'POST', '/__mock/reset', { seed: 99, contacts: 3 })).status).toBe(200)
    const client = new Redis(suite.redis.url)
    try {
      expect(await client.xlen(`${namespace}:log`)).toBe(1)
    } finally {
      client.disconnect()
    }
    // Read from the instance that took the reset (the other applies it on its next request).
    const loc = (await mine[1].app.state.store.listLocations())[0].id
    const token = mine[1].app.state.defaultTokens.find((t) => t.locationId === loc)!.token
    const auth = { Authorization: `Bearer ${token}` }
    const after = await call(0, 'POST', '/contacts/', { locationId: loc, firstName: 'after' }, auth)
    expect(after.status).toBe(201)
    // A scenario with a seed is a reset too, and does more after it: the late joiner must replay the whole command.
    const scenario = { seed: 99, faults: [{ id: 'after-reset', match: { operationId: 'get-task' }, action: { status: 503 } }] }
    expect((await call(0, 'POST', '/__mock/scenarios', { scenario }, auth)).status).toBe(200)
    const again = await call(1, 'POST', '/contacts/', { locationId: loc, firstName: 'after' }, auth)
    expect(again.body.contact.id).toBe(after.body.contact.id)
    const { servers: late } = await cluster(1, NO_LIMITS, namespace)
    const joined = late[0].app.state
    expect(joined.faults.list().map((r) => r.id)).toEqual(['after-reset'])
    expect((await joined.store.listLocations()).map((l) => l.id)).toEqual((await mine[1].app.state.store.listLocations()).map((l) => l.id))
    const onLate = await fetch(`${late[0].url}/contacts/${after.body.contact.id}`, { headers: { ...auth, Version: VERSION } })
    expect(onLate.status).toBe(200)
    expect((await joined.store.listContacts(loc, { limit: 100 })).contacts).toEqual((await mine[1].app.state.store.listContacts(loc, { limit: 100 })).contacts)
  })
})

describe('Redis away', () => {
  it('reading the shared journal, and a request a fault rule matches, answer 503 in the GHL shape while Redis is down', async () => {
    const { call, locationId } = await cluster(2)
    expect((await call(0, 'POST', '/__mock/faults', { match: { operationId: 'get-contacts' }, action: { status: 500 } })).status).toBe(201)
    await suite.redis.stop()
    try {
      for (const path of ['/__mock/requests', `/contacts/?locationId=${locationId}&limit=1`]) {
        const down = await call(1, 'GET', path)
        expect(down.status).toBe(503)
        expect(down.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('Redis') })
      }
    } finally {
      await suite.redis.start()
    }
  })

  it('a write while Redis is down answers 503 in the GHL shape; when it returns without its data, every instance starts over from the seed', async () => {
    const { call, locationId, servers: mine } = await cluster(2)
    const before = await call(0, 'POST', '/contacts/', { locationId, firstName: 'before' })
    expect(before.status).toBe(201)
    await suite.redis.stop()
    try {
      const down = await call(1, 'POST', '/contacts/', { locationId, firstName: 'during' })
      expect(down.status).toBe(503)
      expect(down.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('Redis') })
    } finally {
      await suite.redis.start()
    }
    let created: Answer | undefined
    // Bounded: Redis reconnects in the background.
    await vi.waitFor(
      async () => {
        created = await call(1, 'POST', '/contacts/', { locationId, firstName: 'after' })
        expect(created.status).toBe(201)
      },
      { timeout: 5000, interval: 50 },
    )
    expect((await call(0, 'GET', `/contacts/${created!.body.contact.id}`)).body.contact.firstName).toBe('after')
    // The log that held 'before' went with Redis's data: both instances replayed the new log from the seed, and agree.
    await call(0, 'GET', '/__mock/health')
    const names = async (i: number) => (await mine[i].app.state.store.listContacts(locationId, { limit: 100 })).contacts.map((c) => `${c.id} ${c.firstName}`)
    expect(await names(0)).toEqual(await names(1))
    expect((await names(0)).filter((n) => n.endsWith(' before'))).toEqual([])
    expect(await names(0)).toContain(`${created!.body.contact.id} after`)
  })
})

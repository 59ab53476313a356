/**
 * What instances record as they serve is shared on one Redis: fault-rule counters for API
 * requests (a `times: 3` rule faults 3 requests in all, probability draws one seeded
 * sequence), the request journal (and its live feed), and strict-mode violations; a clear
 * on one instance clears them for all.
 */
import { describe, expect, it, vi } from 'vitest'
import { Redis } from 'ioredis'
import { createFaultRules } from '../../mock/faults/rules.ts'
import { createRedisFaultRules } from '../../mock/redis/fault-rules.ts'
import type { MockServer } from '../../mock/server.ts'
import type { MockOptions } from '../../mock/options.ts'
import { VERSION } from '../support/mock.ts'
import { useRedisSuite } from './support/redis-server.ts'

const suite = useRedisSuite()

type Answer = { status: number; body: any }

/** `n` listening instances, same seed; `store: false` for one on the memory store. */
async function cluster(n: number, extra: Partial<MockOptions> = {}, store = true) {
  const namespace = suite.namespace('records')
  const mine: MockServer[] = []
  for (let i = 0; i < n; i++)
    mine.push(await suite.start({ seed: 5, contacts: 3, rateLimit: false, ...(store ? { namespace } : { store: undefined }), ...extra }))
  const token = mine[0].app.state.defaultTokens[0]
  const call = async (i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const all = { Authorization: `Bearer ${token.token}`, Version: VERSION, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }
    const res = await fetch(`${mine[i % n].url}${path}`, {
      method,
      // A header given as '' is left out.
      headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '')),
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return { servers: mine, call, locationId: token.locationId }
}

describe('fault-rule counters are shared', () => {
  it('a times: 3 rule faults exactly 3 of 10 requests spread over 3 instances, and every instance counts them', async () => {
    const { call, locationId } = await cluster(3)
    const added = await call(1, 'POST', '/__mock/faults', { match: { operationId: 'get-contacts' }, action: { status: 500 }, times: 3 })
    expect(added.status).toBe(201)
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i, 'GET', `/contacts/?locationId=${locationId}&limit=1`)))
    expect(answers.filter((a) => a.status === 500)).toHaveLength(3)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7)
    for (let i = 0; i < 3; i++) {
      const rules = (await call(i, 'GET', '/__mock/faults')).body.rules
      expect(rules).toEqual([expect.objectContaining({ id: added.body.id, seen: 10, fired: 3 })])
    }
    // A rule added again (same id) counts from zero on every instance.
    await call(2, 'POST', '/__mock/faults', { id: added.body.id, match: { operationId: 'get-contacts' }, action: { status: 500 }, times: 1 })
    const again = []
    for (let i = 0; i < 3; i++) again.push((await call(i, 'GET', `/contacts/?locationId=${locationId}&limit=1`)).status)
    expect(again).toEqual([500, 200, 200])
  })

  it('counters expire (a week after their last hit) once nobody counts in them', async () => {
    const { servers: mine, call, locationId } = await cluster(1)
    await call(0, 'POST', '/__mock/faults', { id: 'kept', match: { operationId: 'get-contacts' }, action: { status: 500 }, probability: 1 })
    expect((await call(0, 'GET', `/contacts/?locationId=${locationId}&limit=1`)).status).toBe(500)
    const client = new Redis(suite.redis.url)
    try {
      const keys = await client.keys(`${mine[0].state.redis!.prefix}faults:*`)
      expect(keys).toHaveLength(2)
      for (const key of keys) expect(await client.ttl(key)).toBeGreaterThan(6 * 24 * 3600)
    } finally {
      client.disconnect()
    }
  })

  it('after: N lets N requests through in all; a saved state carries the shared counts to wherever it is loaded', async () => {
    const { call, locationId } = await cluster(2)
    const list = (i: number) => call(i, 'GET', `/contacts/?locationId=${locationId}&limit=1`)
    await call(0, 'POST', '/__mock/faults', { id: 'late', match: { operationId: 'get-contacts' }, action: { status: 502 }, after: 3 })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await list(i)).status)
    expect(statuses).toEqual([200, 200, 200, 502, 502])
    await call(1, 'POST', '/__mock/faults', { id: 'late', match: { operationId: 'get-contacts' }, action: { status: 500 }, times: 3 })
    await list(0)
    await list(1)
    const saved = (await call(1, 'GET', '/__mock/state')).body
    expect(saved.faults).toEqual([expect.objectContaining({ id: 'late', seen: 2, fired: 2 })])
    await call(0, 'DELETE', '/__mock/faults')
    expect((await call(0, 'PUT', '/__mock/state', saved)).status).toBe(200)
    const after = []
    for (let i = 0; i < 4; i++) after.push((await list(i)).status)
    expect(after).toEqual([500, 200, 200, 200])
    expect((await call(1, 'GET', '/__mock/faults')).body.rules).toEqual([expect.objectContaining({ id: 'late', seen: 6, fired: 3 })])
  })

  it('probability draws one seeded sequence: the same requests fail whichever instance serves them, as on the memory store', async () => {
    const rule = { match: { operationId: 'get-contacts' }, action: { status: 503 }, probability: 0.5 }
    const failed = async (c: Awaited<ReturnType<typeof cluster>>) => {
      expect((await c.call(0, 'POST', '/__mock/faults', rule)).status).toBe(201)
      const out: number[] = []
      for (let i = 0; i < 24; i++) if ((await c.call(i, 'GET', `/contacts/?locationId=${c.locationId}&limit=1`)).status === 503) out.push(i)
      return out
    }
    const spread = await failed(await cluster(3))
    const memory = await failed(await cluster(1, {}, false))
    expect(spread).toEqual(memory)
    expect(spread.length).toBeGreaterThan(4)
    expect(spread.length).toBeLessThan(20)
  })
})

describe('deciding a fault on Redis', () => {
  it('costs no promise (and no Redis call) when no rule matches; a match is decided on the shared counters', async () => {
    const calls: string[] = []
    const evalHit = async () => {
      calls.push('eval')
      return [1, 1, 1, 0]
    }
    const client = { eval: evalHit } as unknown as Redis
    const rules = createRedisFaultRules(createFaultRules(1), { client, prefix: 'unit:', command: () => undefined, seed: 1 })
    rules.add({ id: 'one', match: { operationId: 'get-contact' }, action: { status: 500 } })
    rules.add({ id: 'hook', match: { webhook: true }, action: { drop: true } })
    expect(rules.decide({ method: 'GET', path: '/contacts/', operationId: 'get-contacts' })).toBeUndefined()
    expect(calls).toEqual([])
    const matched = rules.decide({ method: 'GET', path: '/contacts/x', operationId: 'get-contact' })
    expect(matched).toBeInstanceOf(Promise)
    expect(await matched).toMatchObject({ id: 'one', seen: 1, fired: 1 })
    expect(calls).toEqual(['eval'])
  })
})

describe('the journal is shared', () => {
  it('instance A lists the requests B and C served, in order; a clear on A clears them for all', async () => {
    const { call, locationId } = await cluster(3)
    await call(0, 'DELETE', '/__mock/requests')
    for (let i = 1; i <= 6; i++) await call(i, 'GET', `/contacts/?locationId=${locationId}&limit=${i}`)
    for (let i = 0; i < 3; i++) {
      const listed = (await call(i, 'GET', '/__mock/requests?operationId=get-contacts')).body.requests
      expect(listed).toHaveLength(6)
      const ids = listed.map((e: any) => e.id)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(new Set(ids).size).toBe(6)
    }
    expect((await call(0, 'GET', '/__mock/requests?operationId=get-contacts&limit=2')).body.requests).toHaveLength(2)
    expect((await call(2, 'DELETE', '/__mock/requests')).status).toBe(204)
    for (let i = 0; i < 3; i++) expect((await call(i, 'GET', '/__mock/requests?operationId=get-contacts')).body.requests).toEqual([])
    await call(1, 'GET', `/contacts/?locationId=${locationId}&limit=1`)
    expect((await call(0, 'GET', '/__mock/requests?operationId=get-contacts')).body.requests).toHaveLength(1)
  })

  it('the live feed on A streams the requests B serves', async () => {
    const { servers: mine, call, locationId } = await cluster(2)
    const abort = new AbortController()
    const res = await fetch(`${mine[0].url}/__mock/journal/stream?operationId=get-contacts`, { signal: abort.signal })
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const until = async (what: string) => {
      while (!text.includes(what)) {
        const r = await reader.read()
        if (r.done) throw new Error('feed closed')
        text += decoder.decode(r.value, { stream: true })
      }
    }
    try {
      await until('event: ready')
      await call(1, 'GET', `/contacts/?locationId=${locationId}&limit=1`)
      await until('event: request')
      await until('\n\n')
      const data = /event: request\nid: \d+\ndata: (.*)\n/.exec(text)![1]
      expect(JSON.parse(data)).toMatchObject({ operationId: 'get-contacts', status: 200 })
    } finally {
      abort.abort()
      await reader.cancel().catch(() => {})
    }
  })
})

/** Replaces the key (or `pattern`'s one key) by a string: every command of another type on it then fails, as on a Redis error. */
async function breakKey(pattern: string) {
  const client = new Redis(suite.redis.url)
  try {
    const key = pattern.includes('*') ? (await client.keys(pattern))[0] : pattern
    expect(key).toBeDefined()
    await client.multi().del(key).set(key, 'not what the mock wrote').exec()
  } finally {
    client.disconnect()
  }
}

describe('Redis failing under a command', () => {
  it('switching strict mode is answered from what this instance holds: reading the shared violations failing does not fail it', async () => {
    const { servers: mine, call, locationId } = await cluster(2, { strict: true })
    expect((await call(1, 'GET', `/contacts/?locationId=${locationId}&limit=1`, undefined, { Version: '' })).status).toBe(401)
    await breakKey(`${mine[0].state.redis!.prefix}violations`)
    const switched = await call(0, 'PUT', '/__mock/contract', { strict: false })
    expect(switched.status).toBe(200)
    expect(switched.body.strict).toBe(false)
    // B applies it on its next request.
    expect((await call(1, 'GET', '/__mock/health')).status).toBe(200)
    for (const s of mine) expect(s.state.strict.enabled).toBe(false)
  })

  it("applying a scenario is answered from this instance's rules: reading the shared counters failing does not fail it", async () => {
    const { servers: mine, call, locationId } = await cluster(2)
    const rule = { id: 'counted', match: { operationId: 'get-contacts' }, action: { status: 500 }, times: 1 }
    expect((await call(0, 'POST', '/__mock/faults', rule)).status).toBe(201)
    expect((await call(1, 'GET', `/contacts/?locationId=${locationId}&limit=1`)).status).toBe(500)
    await breakKey(`${mine[0].state.redis!.prefix}faults:*:counted`)
    const scenario = { faults: [{ id: 'added', match: { operationId: 'get-contact' }, action: { status: 503 } }] }
    const applied = await call(0, 'POST', '/__mock/scenarios', { scenario })
    expect(applied.status).toBe(200)
    expect(applied.body.rules.map((r: { id: string }) => r.id)).toEqual(['counted', 'added'])
    expect((await call(1, 'GET', '/__mock/health')).status).toBe(200)
    for (const s of mine) expect(s.state.faults.list().map((r) => r.id)).toEqual(['counted', 'added'])
  })

  it.each(['journal', 'violations'])('a failed clear of the shared %s leaves no instance half reset', async (name) => {
    const { servers: mine, call } = await cluster(2)
    expect((await call(0, 'POST', '/__mock/faults', { id: 'before', match: { operationId: 'get-contacts' }, action: { status: 500 } })).status).toBe(201)
    // A key of another type: clearing it fails as a Redis error would, on the instance that takes the reset.
    await breakKey(`${mine[0].state.redis!.prefix}${name}`)
    expect((await call(0, 'POST', '/__mock/reset')).status).toBe(200)
    for (let i = 0; i < 2; i++) expect((await call(i, 'GET', '/__mock/faults')).body.rules).toEqual([])
  })
})

describe('strict-mode violations are shared', () => {
  it('a violation seen by B is listed by A; a clear on A clears them for all', async () => {
    const { call, locationId } = await cluster(2, { strict: true })
    const missing = await call(1, 'GET', `/contacts/?locationId=${locationId}&limit=1`, undefined, { Version: '' })
    expect(missing.status).toBe(401)
    const onA = (await call(0, 'GET', '/__mock/contract/violations')).body.violations
    expect(onA).toEqual([expect.objectContaining({ kind: 'missing-version', request: expect.objectContaining({ path: '/contacts/' }) })])
    expect((await call(0, 'GET', '/__mock/contract')).body.violations).toBe(1)
    expect((await call(0, 'DELETE', '/__mock/contract/violations')).status).toBe(204)
    expect((await call(1, 'GET', '/__mock/contract/violations')).body.violations).toEqual([])
  })
})

describe('after Redis lost its data', () => {
  it('an instance that started over and a fresh one share a start rule: times: 1 faults one request in all', async () => {
    const namespace = suite.namespace('lost')
    const rule = { id: 'once', match: { operationId: 'get-contacts' }, action: { status: 500 }, times: 1 }
    const options = { seed: 5, contacts: 3, rateLimit: false as const, namespace, faults: [rule] }
    const a = await suite.start(options)
    const token = a.app.state.defaultTokens[0]
    const get = (s: MockServer, path: string) => fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token.token}`, Version: VERSION } })
    await suite.redis.stop()
    await suite.redis.start()
    // A notices the lost namespace on its next request and starts over from the seed (bounded: Redis reconnects in the background).
    await vi.waitFor(async () => expect((await get(a, '/__mock/health')).status).toBe(200), { timeout: 5000, interval: 50 })
    const b = await suite.start(options)
    const statuses = []
    for (const s of [a, b, a, b]) statuses.push((await get(s, `/contacts/?locationId=${token.locationId}&limit=1`)).status)
    expect(statuses.filter((s) => s === 500)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(3)
  })
})

/**
 * Webhooks over several instances on one Redis: each attempt of each delivery is made by
 * exactly one instance, a retry is made by another instance when the one that made the
 * first attempt is gone (and a redelivery by either survivor), every instance lists the same attempts, and an instance that
 * started over after Redis lost its data agrees with a fresh one on what was sent.
 * The receiver is the mock's `fetch` option (one per test, shared by the instances).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import type { MockServer } from '../../mock/server.ts'
import type { MockOptions } from '../../mock/options.ts'
import { T0, VERSION } from '../support/mock.ts'
import { useRedisSuite } from './support/redis-server.ts'

const suite = useRedisSuite()
afterEach(() => {
  vi.useRealTimers()
})

/** Past the longest retry interval (10 min + up to 100 s of jitter). */
const PAST_RETRY_MS = 700_000

interface Received {
  webhookId: string
  status: number
}

/** A receiver that answers 429 to the first attempt of each webhookId and 200 afterwards (or always 200). */
function receiver(first429: boolean) {
  const received: Received[] = []
  const fetchHook = async (_url: string, init: RequestInit) => {
    const id = JSON.parse(init.body as string).webhookId as string
    const status = first429 && !received.some((r) => r.webhookId === id) ? 429 : 200
    received.push({ webhookId: id, status })
    return new Response(null, { status })
  }
  return { received, fetchHook }
}

const start = (namespace: string, extra: Partial<MockOptions>) =>
  suite.start({ seed: 21, contacts: 3, namespace, rateLimit: false, webhooks: ['http://receiver.invalid/hook'], ...extra })

/** `extra`: options for every instance, or per instance (each its own clock). */
async function cluster(n: number, extra: Partial<MockOptions> | ((i: number) => Partial<MockOptions>)) {
  const namespace = suite.namespace('wh')
  const mine: MockServer[] = []
  for (let i = 0; i < n; i++) mine.push(await start(namespace, typeof extra === 'function' ? extra(i) : extra))
  const token = mine[0].state.defaultTokens[0]
  const call = async (s: MockServer, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token.token}`, Version: VERSION, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return { servers: mine, call, locationId: token.locationId, namespace }
}

/** webhookId → the statuses the receiver answered, in order. */
function byId(received: Received[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  for (const r of received) map.set(r.webhookId, [...(map.get(r.webhookId) ?? []), r.status])
  return map
}

describe('webhooks over many instances', () => {
  it('a 429 retry is made by another instance when the one that made the first attempt is gone', async () => {
    const { received, fetchHook } = receiver(true)
    const { servers: mine, call, locationId } = await cluster(3, { fetch: fetchHook })
    const [a, b, c] = mine
    expect((await call(a, 'POST', '/contacts/', { locationId, firstName: 'Retried' })).status).toBe(201)
    // Only A has applied the write so far: A makes the first attempt.
    const first = (await call(a, 'POST', '/__mock/webhooks/flush')).body.deliveries
    expect(first).toHaveLength(1)
    const id = first[0].webhookId as string
    expect(received).toEqual([{ webhookId: id, status: 429 }])
    await a.close()
    expect((await call(b, 'POST', '/__mock/clock', { advanceMs: PAST_RETRY_MS })).status).toBe(200)
    await call(b, 'POST', '/__mock/webhooks/flush')
    await call(c, 'POST', '/__mock/webhooks/flush')
    expect(received).toEqual([
      { webhookId: id, status: 429 },
      { webhookId: id, status: 200 },
    ])
    // Both survivors list both attempts, whichever of them made the retry.
    for (const s of [b, c]) {
      const [d] = (await call(s, 'GET', '/__mock/webhooks/deliveries')).body.deliveries
      expect(d).toMatchObject({ webhookId: id, state: 'delivered' })
      expect(d.attempts.map((x: { status: number }) => x.status)).toEqual([429, 200])
    }
    // A redelivery is a write: both instances apply it, one of them sends it.
    expect((await call(c, 'POST', `/__mock/webhooks/deliveries/${id}/redeliver`)).status).toBe(202)
    await call(c, 'POST', '/__mock/webhooks/flush')
    await call(b, 'POST', '/__mock/webhooks/flush')
    expect(received.map((r) => r.status)).toEqual([429, 200, 200])
    for (const s of [b, c]) {
      const [d] = (await call(s, 'GET', '/__mock/webhooks/deliveries')).body.deliveries
      expect(d.attempts.map((x: { status: number }) => x.status)).toEqual([429, 200, 200])
    }
  })

  it('with the clock running, a 429 retry is made by a survivor on its own once the sender is gone (no flush, no clock move)', async () => {
    // The clocks read one running time plus `shift` (equal on every instance, as real clocks would be):
    // moving them this way wakes no one, as real time passing would not.
    let shift = 0
    const began = Date.now()
    const now = () => T0 + Date.now() - began + shift
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const received: Received[] = []
    const fetchHook = async (_url: string, init: RequestInit) => {
      const id = JSON.parse(init.body as string).webhookId as string
      const status = received.some((r) => r.webhookId === id) ? 200 : 429
      received.push({ webhookId: id, status })
      if (status === 429) await gate
      return new Response(null, { status })
    }
    const { servers: mine, call, locationId } = await cluster(3, () => ({ fetch: fetchHook, clock: createClock({}, now) }))
    const [a, b, c] = mine
    expect((await call(a, 'POST', '/contacts/', { locationId, firstName: 'Running' })).status).toBe(201)
    // A applied the write alone and is making the first attempt (held at the receiver).
    await vi.waitFor(() => expect(received).toHaveLength(1))
    // B and C apply the write and find the attempt claimed: nothing of theirs is due later yet.
    for (const s of [b, c]) expect((await call(s, 'POST', '/__mock/webhooks/flush')).status).toBe(200)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true })
    release()
    // A records the 429 in the log; B and C apply it (and so learn the retry's due time) on their next request.
    for (const s of [b, c]) {
      await vi.waitFor(async () => {
        const [d] = (await call(s, 'GET', '/__mock/webhooks/deliveries')).body.deliveries
        expect(d.attempts.map((x: { status: number }) => x.status)).toEqual([429])
      })
    }
    await a.close()
    shift = PAST_RETRY_MS
    vi.advanceTimersByTime(PAST_RETRY_MS)
    await vi.waitFor(() => expect(received.map((r) => r.status)).toEqual([429, 200]), { timeout: 5000 })
  })

  it('many events written over 3 instances: each delivery reaches the receiver exactly once per attempt, and every instance lists the same attempts', async () => {
    const { received, fetchHook } = receiver(true)
    const { servers: mine, call, locationId } = await cluster(3, { fetch: fetchHook })
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => call(mine[i % 3], 'POST', '/contacts/', { locationId, firstName: `m${i}` })))
    expect(created.map((r) => r.status).filter((s) => s !== 201)).toEqual([])
    for (const s of mine) await call(s, 'POST', '/__mock/webhooks/flush')
    expect((await call(mine[1], 'POST', '/__mock/clock', { advanceMs: PAST_RETRY_MS })).status).toBe(200)
    for (const s of mine) await call(s, 'POST', '/__mock/webhooks/flush')
    const ids = byId(received)
    expect(ids.size).toBe(30)
    expect([...ids.values()].filter((statuses) => statuses.join() !== '429,200')).toEqual([])
    const lists = []
    for (const s of mine) lists.push((await call(s, 'GET', '/__mock/webhooks/deliveries')).body.deliveries)
    expect(lists[0].map((d: { webhookId: string }) => d.webhookId).sort()).toEqual([...ids.keys()].sort())
    for (const d of lists[0]) expect(d.attempts.map((x: { status: number }) => x.status)).toEqual([429, 200])
    expect(lists[1]).toEqual(lists[0])
    expect(lists[2]).toEqual(lists[0])
  })

  it('after Redis lost its data, an instance that started over and a fresh one send a delivery once', async () => {
    const { received, fetchHook } = receiver(false)
    const { servers: mine, call, locationId, namespace } = await cluster(1, { fetch: fetchHook })
    const [a] = mine
    expect((await call(a, 'POST', '/contacts/', { locationId, firstName: 'before' })).status).toBe(201)
    await suite.redis.stop()
    await suite.redis.start()
    // A notices the lost namespace on its next request and starts over from the seed (bounded: Redis reconnects in the background).
    await vi.waitFor(async () => expect((await call(a, 'GET', '/__mock/health')).status).toBe(200), { timeout: 5000, interval: 50 })
    expect((await call(a, 'POST', '/contacts/', { locationId, firstName: 'after' })).status).toBe(201)
    await call(a, 'POST', '/__mock/webhooks/flush')
    const fresh = await start(namespace, { fetch: fetchHook })
    await call(fresh, 'POST', '/__mock/webhooks/flush')
    await call(a, 'POST', '/__mock/webhooks/flush')
    const ids = byId(received)
    // 'before' and 'after' have the same webhookId (the new log replays the seed): sent once before, once after.
    expect(received).toHaveLength(2)
    expect([...ids.values()]).toEqual([[200, 200]])
    expect(fresh.state.webhooks.deliveries().map((d) => d.webhookId)).toEqual([...ids.keys()])
  })
})

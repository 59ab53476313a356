/**
 * What catching up with the shared log costs and touches: pages and unknown routes answer
 * without Redis, and a command being applied pins the clock for itself alone, not for the
 * requests the instance serves meanwhile.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { T0, VERSION } from '../support/mock.ts'
import { startTestRedis, type TestRedis } from './support/redis-server.ts'

let redis: TestRedis
let stats: Redis
let servers: MockServer[] = []
let suite = 0

beforeAll(async () => {
  redis = await startTestRedis()
  stats = new Redis(redis.url)
})
afterAll(async () => {
  stats.disconnect()
  await redis.stop()
})
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})

async function instance(namespace: string, start = T0) {
  const s = await startMockServer({ port: 0, seed: 5, contacts: 3, store: redis.url, namespace, clock: createClock({ start, frozen: true }) })
  servers.push(s)
  return s
}

/** Commands Redis has run so far, from INFO commandstats (MONITOR-free); the INFO calls themselves are left out. */
async function commandsRun(): Promise<number> {
  const info = await stats.info('commandstats')
  let calls = 0
  for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) if (m[1] !== 'info') calls += Number(m[2])
  return calls
}

describe('catching up with the shared log', () => {
  it('the API reference, the spec files and an unknown route answer without a Redis command; an API read makes some', async () => {
    const s = await instance(`catch-up-${process.pid}-${++suite}`)
    const token = s.app.state.defaultTokens[0]
    const before = await commandsRun()
    for (const path of ['/docs', '/openapi/contacts.json', '/openapi/control.yaml', '/no/such/route']) {
      const res = await fetch(`${s.url}${path}`)
      await res.arrayBuffer()
      expect(res.status, path).toBe(path === '/no/such/route' ? 404 : 200)
    }
    expect(await commandsRun()).toBe(before)
    // The count moves when a request does catch up, so the zero above is no blind spot.
    const read = await fetch(`${s.url}/contacts/?locationId=${token.locationId}&limit=1`, {
      headers: { Authorization: `Bearer ${token.token}`, Version: VERSION },
    })
    expect(read.status).toBe(200)
    expect(await commandsRun()).toBeGreaterThan(before)
  })

  it("a request an instance serves while it applies another instance's command reads its own clock, not the command's", async () => {
    const namespace = `catch-up-${process.pid}-${++suite}`
    const T1 = T0 + 3_600_000
    const a = await instance(namespace, T0)
    const b = await instance(namespace, T1)
    const token = a.app.state.defaultTokens[0]
    const headers = { Authorization: `Bearer ${token.token}`, Version: VERSION, 'content-type': 'application/json' }

    // Hold B inside the handler of A's create, the way a store that waits on I/O would.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let entered!: (now: number) => void
    const inside = new Promise<number>((resolve) => (entered = resolve))
    const store = b.app.state.store
    const create = store.createContact.bind(store)
    store.createContact = async (...args) => {
      entered(b.app.state.clock.now())
      await gate
      return create(...args)
    }

    const created = await fetch(`${a.url}/contacts/`, { method: 'POST', headers, body: JSON.stringify({ locationId: token.locationId, firstName: 'Pinned' }) })
    expect(created.status).toBe(201)
    const contact = (await created.json()).contact
    expect(contact.dateAdded).toBe(new Date(T0).toISOString())

    // B's next request catches up, and so applies A's create at A's time.
    const catchingUp = b.app.request(`/contacts/${contact.id}`, { headers })
    expect(await inside).toBe(T0)
    // Meanwhile B serves another request and reads its own time: its journal entry says so.
    const meanwhile = b.app.request(`/contacts/?locationId=${token.locationId}&limit=1`, { headers })
    await new Promise((resolve) => setImmediate(resolve))
    expect(b.app.state.clock.now()).toBe(T1)
    release()
    expect((await catchingUp).status).toBe(200)
    expect((await meanwhile).status).toBe(200)

    const listed = await b.app.request('/__mock/requests?operationId=get-contacts')
    const entries = (await listed.json()).requests as Array<{ time: string; path: string }>
    expect(entries.map((e) => e.time)).toEqual([new Date(T1).toISOString()])
    // And B's copy of the contact was made at A's time, as on A.
    const onB = await (await b.app.request(`/contacts/${contact.id}`, { headers })).json()
    expect(onB.contact.dateAdded).toBe(new Date(T0).toISOString())
  })
})

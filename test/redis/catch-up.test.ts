/**
 * What catching up with the shared log touches: pages and unknown routes do not catch up,
 * and a command being applied pins the clock for itself alone, not for the
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

/**
 * Catch-ups Redis has served so far, from INFO commandstats (MONITOR-free): each is one GET
 * of the namespace record and one XREAD. The journal's own entries (a script) are not counted:
 * every request, pages included, is journaled in Redis.
 */
async function catchUps(): Promise<{ get: number; xread: number }> {
  const info = await stats.info('commandstats')
  const calls = (command: string) => Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0)
  return { get: calls('get'), xread: calls('xread') }
}

describe('catching up with the shared log', () => {
  it('the API reference, the spec files and an unknown route do not catch up with the log; an API read does', async () => {
    const s = await instance(`catch-up-${process.pid}-${++suite}`)
    const token = s.app.state.defaultTokens[0]
    const before = await catchUps()
    for (const path of ['/docs', '/openapi/contacts.json', '/openapi/control.yaml', '/no/such/route']) {
      const res = await fetch(`${s.url}${path}`)
      await res.arrayBuffer()
      expect(res.status, path).toBe(path === '/no/such/route' ? 404 : 200)
    }
    expect(await catchUps()).toEqual(before)
    // The counts move when a request does catch up, so the equality above is no blind spot.
    const read = await fetch(`${s.url}/contacts/?locationId=${token.locationId}&limit=1`, {
      headers: { Authorization: `Bearer ${token.token}`, Version: VERSION },
    })
    expect(read.status).toBe(200)
    expect(await catchUps()).toEqual({ get: before.get + 1, xread: before.xread + 1 })
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

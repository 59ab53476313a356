/**
 * Faults as the mock injects them: the flaky scenario (reads succeed, creates are never
 * duplicated), and each X-Mock-Fault kind (malformed, reset, timeout, latency) in process
 * and over a real socket.
 */
import { describe, expect, it } from 'vitest'
import { createGhlClient, GhlError } from '../../client/index.ts'
import type { FetchFunction } from '../../client/transport.ts'
import { createClock } from '../../mock/clock.ts'
import { startMockServer } from '../../mock/server.ts'
import { T0 } from '../support/mock.ts'
import { mockClient } from './mock-client.ts'

/** Adds `X-Mock-Fault: fault` to the first `times` requests that match. */
function faulty(fetch: FetchFunction, fault: string, match: (method: string, url: string) => boolean, times = 1): FetchFunction {
  let left = times
  return (url, init) => {
    const method = init.method ?? 'GET'
    if (left > 0 && match(method, url)) {
      left--
      const headers = new Headers(init.headers)
      headers.set('X-Mock-Fault', fault)
      return fetch(url, { ...init, headers })
    }
    return fetch(url, init)
  }
}
const isCreateNote = (m: string, u: string) => m === 'POST' && u.endsWith('/notes')
const isGet = (m: string) => m === 'GET'

describe('the flaky scenario (one request in five fails with 502/503)', () => {
  it('reads all succeed; creates are never duplicated; nothing surfaces that could not be decided', async () => {
    const t = await mockClient({ mock: { scenarios: ['flaky'], strict: true } })
    const ids = (await t.m.state.store.listContacts(t.m.location.id, { limit: 30 })).contacts.map((c) => c.id)

    const reads = await Promise.allSettled(ids.flatMap((id) => [t.ghl.contacts.get(id), t.ghl.notes.list(id), t.ghl.tasks.list(id)]))
    expect(reads.filter((r) => r.status === 'rejected')).toEqual([])

    // Plain creates: a failure may surface (maybeApplied), but a create is never sent twice.
    const plain = await Promise.allSettled(ids.map((id) => t.ghl.notes.create(id, { body: `plain ${id}` })))
    for (const r of plain) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'server', maybeApplied: true, attempts: 1 })
    }
    expect(plain.some((r) => r.status === 'rejected')).toBe(true) // the scenario did hit some creates
    expect(t.m.state.journal.list({ operationId: 'create-note' })).toHaveLength(ids.length)

    // With recover: every note exists exactly once.
    await Promise.all(ids.map((id) => t.ghl.notes.create(id, { body: `recovered ${id}` }, { recover: true })))
    for (const id of ids) {
      const bodies = (await t.m.state.store.listNotes(id)).map((n) => n.body)
      expect(bodies.filter((b) => b === `recovered ${id}`)).toHaveLength(1)
      expect(bodies.filter((b) => b === `plain ${id}`).length).toBeLessThanOrEqual(1)
    }
    expect(t.m.state.journal.list({ fault: '*' }).length).toBeGreaterThan(10)
    expect(t.m.state.strict.violations.list()).toEqual([])
  })
})

describe('X-Mock-Fault, in process', () => {
  it('malformed answer: a GET is retried; a create surfaces maybeApplied, and recover finds what it made', async () => {
    const t = await mockClient()
    const id = (await t.m.state.store.listContacts(t.m.location.id, { limit: 1 })).contacts[0].id
    const reader = t.client({ fetch: faulty(t.fetch, 'malformed', isGet) })
    expect((await reader.contacts.get(id)).contact.id).toBe(id)
    expect(t.m.state.journal.list({ fault: 'malformed' })).toHaveLength(1)

    const plain = t.client({ fetch: faulty(t.fetch, 'malformed', isCreateNote) })
    const err = await plain.notes.create(id, { body: 'half an answer' }).catch((e) => e)
    expect(err).toBeInstanceOf(GhlError)
    expect(err).toMatchObject({ kind: 'network', maybeApplied: true, status: 201 })
    expect((await t.m.state.store.listNotes(id)).filter((n) => n.body === 'half an answer')).toHaveLength(1) // it did happen

    const careful = t.client({ fetch: faulty(t.fetch, 'malformed', isCreateNote) })
    const { note } = await careful.notes.create(id, { body: 'recovered answer' }, { recover: true })
    const stored = (await t.m.state.store.listNotes(id)).filter((n) => n.body === 'recovered answer')
    expect(stored.map((n) => n.id)).toEqual([note.id])
  })

  it('timeout: the client gives up after timeoutMs (real time) and retries the read', async () => {
    const t = await mockClient()
    const id = (await t.m.state.store.listContacts(t.m.location.id, { limit: 1 })).contacts[0].id
    const ghl = t.client({ fetch: faulty(t.fetch, 'timeout', isGet), timeoutMs: 50 })
    expect((await ghl.contacts.get(id)).contact.id).toBe(id)
    expect(t.events.find((e) => e.type === 'retry')).toMatchObject({ error: { kind: 'network', timeout: true } })
  })

  it('a 503 on a create is not retried; on upsert it is', async () => {
    const t = await mockClient()
    const isPost = (m: string) => m === 'POST'
    const a = t.client({ fetch: faulty(t.fetch, 'status=503', isPost) })
    await expect(a.contacts.create({ locationId: t.m.location.id, email: 'once@example.com' })).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      maybeApplied: true,
    })
    const b = t.client({ fetch: faulty(t.fetch, 'status=503', isPost) })
    expect((await b.contacts.upsert({ locationId: t.m.location.id, email: 'twice@example.com', createNewIfDuplicateAllowed: false })).new).toBe(true)
    expect(t.m.state.journal.list({ operationId: 'upsert-contact' })).toHaveLength(2)
  })
})

describe('X-Mock-Fault over a real socket', () => {
  it('reset: a read is retried; a create is not (the write may have happened)', async () => {
    const clock = createClock({ start: T0, frozen: true })
    const server = await startMockServer({ port: 0, clock })
    try {
      const state = server.app.state
      const loc = (await state.store.listLocations())[0]
      const token = state.defaultTokens.find((x) => x.locationId === loc.id)!.token
      const base: FetchFunction = (url, init) => fetch(url, init)
      const client = (f: FetchFunction) =>
        createGhlClient({ baseUrl: server.url, token, fetch: f, now: () => clock.now(), sleep: async (ms) => clock.advance(ms) })
      const id = (await state.store.listContacts(loc.id, { limit: 1 })).contacts[0].id

      expect((await client(faulty(base, 'reset', isGet)).contacts.get(id)).contact.id).toBe(id)
      const err = await client(faulty(base, 'reset', isCreateNote))
        .notes.create(id, { body: 'reset' })
        .catch((e) => e)
      expect(err).toMatchObject({ kind: 'network', maybeApplied: true, attempts: 1 })
      expect(state.journal.list({ fault: 'reset' })).toHaveLength(2)
    } finally {
      await server.close()
    }
  })

  it('latency: answers after the delay (mock time), within the timeout', async () => {
    const clock = createClock({ start: T0, frozen: true })
    const server = await startMockServer({ port: 0, clock, sleep: async (ms) => clock.advance(ms) })
    try {
      const state = server.app.state
      const loc = (await state.store.listLocations())[0]
      const token = state.defaultTokens.find((x) => x.locationId === loc.id)!.token
      const ghl = createGhlClient({
        baseUrl: server.url,
        token,
        fetch: faulty((u, i) => fetch(u, i), 'latency=1500', isGet, 3),
        now: () => clock.now(),
        sleep: async (ms) => clock.advance(ms),
      })
      await ghl.contacts.list({ locationId: loc.id, limit: 1 })
      expect(clock.now() - T0).toBe(1_500)
    } finally {
      await server.close()
    }
  })
})

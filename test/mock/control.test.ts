/** The control API and seeding determinism. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { makeMock, type TestMock } from '../support/mock.ts'

let m: TestMock
beforeAll(async () => {
  m = await makeMock()
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('control API', () => {
  it('health needs no auth and no Version header', async () => {
    const res = await m.http.get('/__mock/health')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'ok', seed: 1 })
  })

  it('lists locations with ids tests can use', async () => {
    const res = await m.http.get('/__mock/locations')
    expect(res.status).toBe(200)
    expect(res.body.locations).toHaveLength(2)
    for (const loc of res.body.locations) {
      expect(loc.id).toMatch(/^[A-Za-z0-9]{20}$/)
      for (const list of ['users', 'businesses', 'campaigns', 'workflows']) {
        expect(loc[list].length, list).toBeGreaterThan(0)
        expect(loc[list][0]).toEqual({ id: expect.any(String), name: expect.any(String) })
      }
    }
  })

  it('issues a token bound to a location and scopes, and the API honours it', async () => {
    const issued = await m.http.post('/__mock/tokens').send({ locationId: m.location.id, scopes: ['contacts.readonly'] })
    expect(issued.status).toBe(201)
    const token = issued.body.access_token as string
    expect(token).toMatch(/^pit-/)
    const read = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=1`).set(m.auth(token))
    expect(read.status).toBe(200)
    const write = await m.http.post('/contacts/').set(m.auth(token)).send({ locationId: m.location.id, firstName: 'Nope' })
    expect(write.status).toBe(401)
    expect(write.body.message).toBe('The token is not authorized for this scope.')
    const elsewhere = await m.http.get(`/contacts/?locationId=${m.other.location.id}&limit=1`).set(m.auth(token))
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.message).toBe('The token does not have access to this location.')
  })

  it('rejects a token request for an unknown location', async () => {
    const res = await m.http.post('/__mock/tokens').send({ locationId: 'nope' })
    expect(res.status).toBe(400)
  })

  it('journals requests with operation, status and duration', async () => {
    await m.http.get('/__mock/health')
    await m.http.get('/contacts/AAAAAAAAAAAAAAAAAAAA').set(m.auth())
    const res = await m.http.get('/__mock/requests?operationId=get-contact')
    expect(res.status).toBe(200)
    const last = res.body.requests.at(-1)
    expect(last).toMatchObject({ method: 'GET', path: '/contacts/AAAAAAAAAAAAAAAAAAAA', operationId: 'get-contact', status: 400 })
    expect(last.durationMs).toBeGreaterThanOrEqual(0)
    expect(new Date(last.time).toISOString()).toBe(last.time)
  })

  it('moves the clock', async () => {
    const before = (await m.http.get('/__mock/clock')).body.epochMs
    const res = await m.http.post('/__mock/clock').send({ advanceMs: 60_000 })
    expect(res.body.epochMs).toBe(before + 60_000)
    const set = await m.http.post('/__mock/clock').send({ set: '2030-01-01T00:00:00.000Z' })
    expect(set.body).toMatchObject({ now: '2030-01-01T00:00:00.000Z', frozen: true })
  })
})

describe('reset and determinism', () => {
  it('reset brings back the seeded state: writes vanish, same ids', async () => {
    const before = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=100`).set(m.auth())
    const created = await m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, firstName: 'Temp', email: 'temp-reset@example.com' })
    expect(created.status).toBe(201)
    const reset = await m.http.post('/__mock/reset').send({})
    expect(reset.status).toBe(200)
    const token = m.state.defaultTokens[0].token
    expect(token).toBe(m.token) // same seed → same default tokens
    const gone = await m.http.get(`/contacts/${created.body.contact.id}`).set(m.auth())
    expect(gone.status).toBe(400)
    const after = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=100`).set(m.auth())
    expect(after.body.contacts).toEqual(before.body.contacts)
  })

  it('reset returns the whole mock to its start state: fault rules, limits, clock, strict mode, violations, options', async () => {
    const start = Date.UTC(2031, 4, 6, 7, 8, 9)
    const x = await makeMock({
      clock: createClock({ start, frozen: true }),
      faults: [{ id: 'from-start', match: { operationId: 'get-contact' }, action: { status: 503 }, times: 1 }],
      rateLimit: { burst: 50, windowMs: 10_000, daily: 1000 },
    })
    const initial = {
      faults: (await x.http.get('/__mock/faults')).body,
      limits: (await x.http.get('/__mock/limits')).body,
      clock: (await x.http.get('/__mock/clock')).body,
      contract: (await x.http.get('/__mock/contract')).body,
      ttl: x.state.options.accessTokenTtlSeconds,
      retryAfter: x.state.options.retryAfter,
    }
    expect(initial.faults.rules.map((r: { id: string }) => r.id)).toEqual(['from-start'])
    // Change everything a test or QA can change at run time.
    expect((await x.http.post('/__mock/faults').send({ id: 'later', action: { status: 500 } })).status).toBe(201)
    await x.http.get(`/contacts/${'a'.repeat(20)}`).set(x.auth()) // moves the start rule's counters
    expect((await x.http.put('/__mock/limits/*').send({ burst: 1, windowMs: 1000, daily: 2 })).status).toBe(200)
    expect((await x.http.put('/__mock/limits/some-app').send({ off: true })).status).toBe(200)
    expect((await x.http.post('/__mock/scenarios').send({ scenario: { retryAfter: true, auth: { accessTokenTtlSeconds: 60 } } })).status).toBe(200)
    await x.http.post('/__mock/clock').send({ advanceMs: 3_600_000 })
    await x.http.put('/__mock/contract').send({ strict: true })
    await x.http.post('/contacts/abc/appointments') // a violation
    expect((await x.http.get('/__mock/contract/violations')).body.violations.length).toBeGreaterThan(0)

    expect((await x.http.post('/__mock/reset').send({})).status).toBe(200)
    // Only the reset itself, journaled as it completes.
    expect((await x.http.get('/__mock/requests')).body.requests.map((r: { path: string }) => r.path)).toEqual(['/__mock/reset'])

    expect((await x.http.get('/__mock/faults')).body).toEqual(initial.faults)
    expect((await x.http.get('/__mock/limits')).body).toEqual(initial.limits)
    expect((await x.http.get('/__mock/clock')).body).toEqual(initial.clock)
    expect((await x.http.get('/__mock/contract')).body).toEqual(initial.contract)
    expect((await x.http.get('/__mock/contract/violations')).body.violations).toEqual([])
    expect(x.state.options.accessTokenTtlSeconds).toBe(initial.ttl)
    expect(x.state.options.retryAfter).toBe(initial.retryAfter)
    // The start rule fires again, as on a fresh mock.
    expect((await x.http.get(`/contacts/${'a'.repeat(20)}`).set(x.auth())).status).toBe(503)
  })

  it('same seed → identical data and ids in two instances; another seed differs', async () => {
    const a = await makeMock({ seed: 7 })
    const b = await makeMock({ seed: 7 })
    const c = await makeMock({ seed: 8 })
    // nextPageUrl names each instance's own port; everything else must match.
    const page = async (x: TestMock) => {
      const { body } = await x.http.get(`/contacts/?locationId=${x.location.id}&limit=50`).set(x.auth())
      return { ...body, meta: { ...body.meta, nextPageUrl: new URL(body.meta.nextPageUrl).search } }
    }
    const [pa, pb, pc] = await Promise.all([page(a), page(b), page(c)])
    expect(a.location.id).toBe(b.location.id)
    expect(pa).toEqual(pb)
    expect(c.location.id).not.toBe(a.location.id)
    expect(pc.contacts[0].id).not.toBe(pa.contacts[0].id)
    // Writes made in the same order get the same ids too.
    const create = (x: TestMock) => x.http.post('/contacts/').set(x.auth()).send({ locationId: x.location.id, firstName: 'Same' })
    expect((await create(a)).body.contact.id).toBe((await create(b)).body.contact.id)
  })

  it('--locations and --contacts shape the seed', async () => {
    const x = await makeMock({ seed: 3, locations: 3, contacts: 25 })
    expect(x.locations).toHaveLength(3)
    const res = await x.http.get(`/contacts/?locationId=${x.locations[2].id}&limit=100`).set(x.auth(x.state.defaultTokens[2].token))
    expect(res.body.contacts).toHaveLength(25)
  })
})

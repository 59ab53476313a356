/**
 * How the pipeline builds its answers (mock/pipeline/compose.ts, respond.ts): an error
 * thrown deep in the chain is answered there and the middleware around it still see that
 * answer (journal, rate-limit headers); headers are sent once each, in lower case; the
 * GET by id answer, serialised once per stored version, follows every write.
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { MAX_CACHED_ANSWERS, contactAnswer, searchAnswer, toSearchContact } from '../../mock/operations/contacts/view.ts'
import { T0 } from '../support/mock.ts'
import { jsonOf } from '../../mock/json-once.ts'
import type { Contact } from '../../mock/store/types.ts'

let server: MockServer
let contactId: string
const RATE = ['x-ratelimit-daily-remaining', 'x-ratelimit-interval-milliseconds', 'x-ratelimit-limit-daily', 'x-ratelimit-max', 'x-ratelimit-remaining']

beforeAll(async () => {
  server = await startMockServer({ port: 0, clock: createClock({ start: T0, frozen: true }), selfCheck: true })
  const token = server.defaultToken
  contactId = (await server.app.state.store.listContacts(token.locationId!, { limit: 1 })).contacts[0].id
})
afterAll(async () => {
  expect(server.app.state.selfCheckFailures).toEqual([])
  await server.close()
})

const call = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${init.token ?? server.defaultToken.token}`, Version: '2021-07-28', 'content-type': 'application/json', ...init.headers },
  })
const rateHeaders = (res: Response) => [...res.headers.keys()].filter((k) => k.startsWith('x-ratelimit')).sort()

describe('answers', () => {
  it('a refusal from the handler (unknown contact) still carries the rate-limit headers, each once, and is journaled with its status', async () => {
    const before = await call(`/contacts/${contactId}`)
    const remaining = Number(before.headers.get('x-ratelimit-remaining'))
    const res = await call('/contacts/no-such-contact')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(rateHeaders(res)).toEqual(RATE)
    expect(res.headers.get('x-ratelimit-remaining')).toBe(String(remaining - 1))
    expect((await res.json()).statusCode).toBe(400)
    const journal = await (await fetch(`${server.url}/__mock/requests?limit=1`)).json()
    expect(journal.requests[0]).toMatchObject({ path: '/contacts/no-such-contact', status: 400, operationId: 'get-contact' })
  })

  it('a refusal from the validator (422) carries them too; one before the limiter (401) carries none', async () => {
    const invalid = await call(`/contacts/${contactId}`, { method: 'PUT', body: JSON.stringify({ firstName: 42 }) })
    expect(invalid.status).toBe(422)
    expect(rateHeaders(invalid)).toEqual(RATE)
    const unauthorised = await call(`/contacts/${contactId}`, { token: 'not-a-token' })
    expect(unauthorised.status).toBe(401)
    expect(unauthorised.headers.get('content-type')).toBe('application/json')
    expect(rateHeaders(unauthorised)).toEqual([])
  })

  it('GET by id answers the same bytes while the contact is unchanged, and the new record after a write', async () => {
    const first = await (await call(`/contacts/${contactId}`)).text()
    expect(await (await call(`/contacts/${contactId}`)).text()).toBe(first)
    const updated = await call(`/contacts/${contactId}`, { method: 'PUT', body: JSON.stringify({ firstName: 'Zebulon' }) })
    expect(updated.status).toBe(200)
    const after = await call(`/contacts/${contactId}`)
    const body = await after.json()
    expect(body.contact.firstName).toBe('Zebulon')
    expect(JSON.stringify(body)).not.toBe(first)
    expect(after.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify(body))))
  })

  it('a search answers, byte for byte, the JSON of its views, before and after a write to a contact it shows', async () => {
    const { locationId } = server.defaultToken
    const search = { locationId: locationId!, pageLimit: 7, sort: [{ field: 'firstName' as const, direction: 'asc' as const }] }
    const expected = async () => {
      const { contacts, cursors, total } = await server.app.state.store.searchContacts(locationId!, search)
      return JSON.stringify({ contacts: contacts.map((c, i) => toSearchContact(c, cursors[i])), total })
    }
    const answer = async () => {
      const res = await call('/contacts/search', { method: 'POST', body: JSON.stringify(search) })
      expect(res.status).toBe(200)
      return res.text()
    }
    const before = await answer()
    expect(before).toBe(await expected())
    const shown = JSON.parse(before).contacts as Array<{ id: string; followers?: string[] }>
    // The seed gives some contacts followers, a part a search adds to the GET answer (attributions: the unit test below).
    expect(shown.some((c) => c.followers?.length)).toBe(true)
    // A new version of a shown contact (with multi-byte text) is shown as it is now.
    const updated = await call(`/contacts/${shown[2].id}`, { method: 'PUT', body: JSON.stringify({ lastName: 'Ørsted 東京 😀' }) })
    expect(updated.status).toBe(200)
    const after = await answer()
    expect(after).toBe(await expected())
    expect(JSON.parse(after).contacts.find((c: { id: string }) => c.id === shown[2].id)).toMatchObject({ lastName: 'Ørsted 東京 😀' })
  })

  it('an unknown route is answered 404 after the outer steps (journaled), and /__mock paths keep their guard', async () => {
    const res = await call('/no/such/route')
    expect(res.status).toBe(404)
    const journal = await (await fetch(`${server.url}/__mock/requests?limit=1`)).json()
    expect(journal.requests[0]).toMatchObject({ path: '/no/such/route', status: 404, operationId: null })
    // fetch cannot set Host; a DNS-rebinding page's request can.
    const url = new URL(`${server.url}/__mock/no-such-thing`)
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
        .on('error', reject)
        .end(),
    )
    expect(status).toBe(403)
  })
})

describe('searchAnswer', () => {
  const record = (over: Record<string, unknown>) => ({ id: 'c1', locationId: 'l1', dateAdded: '2026-01-01T00:00:00.000Z', ...over }) as unknown as Contact

  it('writes what JSON.stringify writes of its views, for stored (frozen) records and others, with and without the added fields', () => {
    const contacts = [
      Object.freeze(record({ firstName: 'Zoë', followers: ['u1', 'u2'], attributionSource: { medium: 'form' } })),
      record({ id: 'c2', lastName: '東京 😀', internalOnly: 'not in any view' }),
      Object.freeze(record({ id: 'c3', tags: [] })),
    ]
    const cursors = [
      [1, 'c1'],
      ['b', 2, 'c2'],
      [3, 'c3'],
    ]
    const answer = searchAnswer(contacts, cursors, 42)
    const text = new TextDecoder().decode(jsonOf(answer) as Uint8Array)
    expect(text).toBe(JSON.stringify({ contacts: contacts.map((c, i) => toSearchContact(c, cursors[i])), total: 42 }))
    expect(text).toBe(JSON.stringify(answer))
    expect(answer.contacts[1]).not.toHaveProperty('internalOnly')
    expect(new TextDecoder().decode(jsonOf(searchAnswer([], [], 0)) as Uint8Array)).toBe('{"contacts":[],"total":0}')
  })
})

describe('contactAnswer', () => {
  const stored = (id: string) => Object.freeze({ id, locationId: 'l1', dateAdded: '2026-01-01T00:00:00.000Z' }) as unknown as Contact

  it('keeps the answer of a stored record asked for again soon, serialised once, and never that of a record not from the store', () => {
    const c = stored('again')
    const first = contactAnswer(c)
    const second = contactAnswer(c)
    expect(second).not.toBe(first) // asked once: nothing kept yet
    expect(contactAnswer(c)).toBe(second)
    expect(jsonOf(second)).toBeInstanceOf(Uint8Array)
    const loose = { id: 'loose', locationId: 'l1' } as unknown as Contact
    contactAnswer(loose)
    expect(contactAnswer(loose)).not.toBe(contactAnswer(loose))
  })

  it('keeps the answers of a walk asked for again, unless the walk is longer than the cache holds', () => {
    const walk = (n: number, name: string) => Array.from({ length: n }, (_, i) => stored(`${name}-${i}`))
    // The answers of three passes through the same records, in the same order.
    const passes = (records: Contact[]) => [0, 1, 2].map(() => records.map((c) => contactAnswer(c)))
    const short = walk(20, 'short')
    const [, short2, short3] = passes(short)
    expect(short3.every((answer, i) => answer === short2[i])).toBe(true)
    // Each record of the long walk is asked for again only after more asks than the cache holds:
    // none is kept, and the answers kept before are not pushed out.
    const [, long2, long3] = passes(walk(MAX_CACHED_ANSWERS + 10, 'long'))
    expect(long3.some((answer, i) => answer === long2[i])).toBe(false)
    expect(short.every((c, i) => contactAnswer(c) === short3[i])).toBe(true)
  })
})

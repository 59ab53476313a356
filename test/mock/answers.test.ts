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
import { T0 } from '../support/mock.ts'

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

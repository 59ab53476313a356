/** The request checks every operation shares: Version, token, body parsing, limits, 404s. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeMock, type TestMock } from '../support/mock.ts'

let m: TestMock
let contactId: string

beforeAll(async () => {
  m = await makeMock()
  const { body } = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=1`).set(m.auth())
  contactId = body.contacts[0].id
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('Version header', () => {
  it('missing → 401 version header was not found.', async () => {
    const res = await m.http.get(`/contacts/${contactId}`).set({ Authorization: `Bearer ${m.token}` })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ statusCode: 401, message: 'version header was not found.', error: 'Unauthorized' })
  })

  it('unpublished value → 401 version header is invalid', async () => {
    const res = await m.http.get(`/contacts/${contactId}`).set({ Authorization: `Bearer ${m.token}`, Version: '2020-01-01' })
    expect(res.status).toBe(401)
    expect(res.body.message).toBe('version header is invalid')
  })

  it.each(['2021-07-28', '2021-04-15', '2023-02-21'])('accepts %s', async (version) => {
    const res = await m.http.get(`/contacts/${contactId}`).set({ Authorization: `Bearer ${m.token}`, Version: version })
    expect(res.status).toBe(200)
  })

  it('is checked before the token', async () => {
    const res = await m.http.get(`/contacts/${contactId}`).set({ Authorization: 'Bearer nope' })
    expect(res.body.message).toBe('version header was not found.')
  })
})

describe('bearer token', () => {
  it.each([
    ['missing', {}],
    ['unknown', { Authorization: 'Bearer pit-00000000-0000-4000-a000-000000000000' }],
    ['not a bearer', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ])('%s → 401 Invalid JWT', async (_case, headers) => {
    const res = await m.http.get(`/contacts/${contactId}`).set({ Version: '2021-07-28', ...headers })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' })
  })
})

describe('bodies', () => {
  it('malformed JSON → 400 in the GHL shape', async () => {
    const res = await m.http.post('/contacts/').set(m.auth()).set('Content-Type', 'application/json').send('{"firstName": "Ann",')
    expect(res.status).toBe(400)
    expect(res.body.statusCode).toBe(400)
    expect(res.body.message).toMatch(/JSON/)
  })

  it('__proto__ keys are refused, and nothing is polluted', async () => {
    const res = await m.http
      .post('/contacts/')
      .set(m.auth())
      .set('Content-Type', 'application/json')
      .send(`{"locationId":"${m.location.id}","firstName":"X","__proto__":{"polluted":true}}`)
    expect(res.status).toBe(400)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('bodies over 1 MB → 413', async () => {
    const res = await m.http
      .post('/contacts/')
      .set(m.auth())
      .send({ locationId: m.location.id, firstName: 'x'.repeat(1024 * 1024 + 10) })
    expect(res.status).toBe(413)
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' })
  })

  it('a non-JSON content type → 400 saying so', async () => {
    const res = await m.http.post('/contacts/').set(m.auth()).set('Content-Type', 'text/plain').send('hello')
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('Content-Type must be application/json')
  })
})

describe('validation (422, class-validator wording)', () => {
  it('lists every violation at once, unknown properties included', async () => {
    const res = await m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, foo: 1, dnd: 'yes', tags: 'vip', email: 'not-an-email' })
    expect(res.status).toBe(422)
    expect(res.body.error).toBe('Unprocessable Entity')
    expect(res.body.message).toEqual(
      expect.arrayContaining(['property foo should not exist', 'dnd must be a boolean value', 'tags must be an array', 'email must be an email']),
    )
  })

  it('query parameters are validated and unknown ones rejected', async () => {
    const res = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=500&bogus=1`).set(m.auth())
    expect(res.status).toBe(422)
    expect(res.body.message).toEqual(expect.arrayContaining(['limit must not be greater than 100', 'property bogus should not exist']))
  })

  it('a required query parameter missing', async () => {
    const res = await m.http.get('/contacts/').set(m.auth())
    expect(res.status).toBe(422)
    expect(res.body.message).toContain('locationId should not be empty')
  })
})

describe('routing', () => {
  it('unknown route → 404 in the GHL shape', async () => {
    const res = await m.http.get('/contacts/abc/unknown/thing').set(m.auth())
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ statusCode: 404, message: 'Cannot GET /contacts/abc/unknown/thing', error: 'Not Found' })
  })

  it('appointments cannot be written through the Contacts API (404, as the real API)', async () => {
    const res = await m.http.post(`/contacts/${contactId}/appointments`).set(m.auth()).send({})
    expect(res.status).toBe(404)
  })

  it('unknown contact id → 400, not 404', async () => {
    const res = await m.http.get('/contacts/AAAAAAAAAAAAAAAAAAAA').set(m.auth())
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: 'Contact with id AAAAAAAAAAAAAAAAAAAA not found' })
  })

  it('static segments win over parameters (removeAll is not a campaign id)', async () => {
    const res = await m.http.delete(`/contacts/${contactId}/campaigns/removeAll`).set(m.auth())
    expect(res.status).toBe(200)
  })
})

describe('garbage never crashes the mock', () => {
  const bodies = ['null', '[]', '"str"', '123', 'true', '{"locationId": {"$gt": ""}}', '{"tags": [null, 1, {}]}', '{"customFields": "x"}']
  it.each(bodies)('POST /contacts/ with %s → 4xx', async (raw) => {
    const res = await m.http.post('/contacts/').set(m.auth()).set('Content-Type', 'application/json').send(raw)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })

  it('search with a deeply wrong filter → 422', async () => {
    const res = await m.http
      .post('/contacts/search')
      .set(m.auth())
      .send({ locationId: m.location.id, pageLimit: 10, filters: [{ group: 'XOR', filters: [{ field: 'email', operator: 'like' }] }] })
    expect(res.status).toBe(422)
  })
})

describe('answers at once', () => {
  // @hono/node-server writes an answer that app.fetch hands back as a Response (not a
  // promise of one) without its async path: a tenth of a GET's cost. These stay at once
  // only while every step of their path does (mock/pipeline/compose.ts).
  it('a GET by id on the memory store, its 400 for an unknown id, and their journal entries', async () => {
    const plain = await makeMock({ selfCheck: false })
    const [first] = (await plain.state.store.listContacts(plain.location.id, { limit: 1 })).contacts
    const get = (id: string) => plain.app.fetch(new Request(`http://127.0.0.1/contacts/${id}`, { headers: plain.auth() }))
    const found = get(first.id)
    const unknown = get('no-such-contact')
    expect(found).toBeInstanceOf(Response)
    expect(unknown).toBeInstanceOf(Response)
    expect((found as Response).status).toBe(200)
    expect(((await (found as Response).json()) as { contact: { id: string } }).contact.id).toBe(first.id)
    expect((unknown as Response).status).toBe(400)
    expect(plain.state.journal.list().map((e) => [e.operationId, e.status])).toEqual([
      ['get-contact', 200],
      ['get-contact', 400],
    ])
  })

  it('a write still waits on its handler', async () => {
    const plain = await makeMock({ selfCheck: false })
    const res = plain.app.fetch(
      new Request('http://127.0.0.1/contacts/', {
        method: 'POST',
        headers: { ...plain.auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ locationId: plain.location.id, firstName: 'Ada' }),
      }),
    )
    expect(res).toBeInstanceOf(Promise)
    expect((await res).status).toBe(201)
  })
})

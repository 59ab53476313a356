/**
 * Every auth error row of the real API (ghl-facts.md), on a read, a write and a bulk
 * operation, with the real status and message. Tokens come from the control API, as QA
 * would mint them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AUTH_CLASS_MESSAGE, EXPIRED_MESSAGE, LOCATION_MESSAGE, SCOPE_MESSAGE } from '../../mock/errors.ts'
import { T0, VERSION, makeMock, type TestMock } from '../support/mock.ts'

let m: TestMock
let mine: string
let theirs: string
beforeAll(async () => {
  m = await makeMock({ locations: 2, contacts: 5 })
})
beforeEach(async () => {
  await m.state.reset()
  m.state.clock.set(T0)
  mine = (await m.state.store.listContacts(m.location.id, { limit: 1 })).contacts[0].id
  theirs = (await m.state.store.listContacts(m.other.location.id, { limit: 1 })).contacts[0].id
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

const issue = async (body: Record<string, unknown>) => {
  const res = await m.http.post('/__mock/tokens').send({ locationId: m.location.id, ...body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.access_token as string
}

type Call = (token: string | undefined, where?: 'mine' | 'theirs') => Promise<import('supertest').Response>
const withAuth = (req: import('supertest').Test, token: string | undefined) => (token === undefined ? req.set('Version', VERSION) : req.set(m.auth(token)))
const loc = (where: 'mine' | 'theirs' = 'mine') => (where === 'mine' ? m.location.id : m.other.location.id)

/** One read, one write, one bulk operation; each can address the token's location or the other one. */
const operations: Record<string, { scope: string; byQueryOrBody: Call; byContact?: Call }> = {
  'read (get-contacts / get-contact)': {
    scope: 'contacts.readonly',
    byQueryOrBody: (t, w) => withAuth(m.http.get(`/contacts/?locationId=${loc(w)}&limit=1`), t),
    byContact: (t, w) => withAuth(m.http.get(`/contacts/${w === 'theirs' ? theirs : mine}`), t),
  },
  'write (create-contact / update-contact)': {
    scope: 'contacts.write',
    byQueryOrBody: (t, w) => withAuth(m.http.post('/contacts/'), t).send({ locationId: loc(w), firstName: 'Auth', email: `auth-${w}@example.com` }),
    byContact: (t, w) => withAuth(m.http.put(`/contacts/${w === 'theirs' ? theirs : mine}`), t).send({ firstName: 'Changed' }),
  },
  'bulk (bulk-update-tags)': {
    scope: 'contacts.write',
    byQueryOrBody: (t, w) =>
      withAuth(m.http.post('/contacts/bulk/tags/update/add'), t).send({ locationId: loc(w), contacts: [w === 'theirs' ? theirs : mine], tags: ['vip'] }),
  },
}

const expectError = (res: import('supertest').Response, status: number, message: string) => {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { statusCode: status, message, error: status === 401 ? 'Unauthorized' : 'Forbidden' },
  })
}
const expectPassed = (res: import('supertest').Response) => {
  expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status)
}

describe.each(Object.entries(operations))('%s', (_name, op) => {
  const calls = () => [op.byQueryOrBody, ...(op.byContact ? [op.byContact] : [])]
  const other = op.scope === 'contacts.readonly' ? 'contacts.write' : 'contacts.readonly'

  it('the all-scopes token of the location passes', async () => {
    for (const call of calls()) expectPassed(await call(m.token))
  })

  it('missing, unknown or malformed token → 401 Invalid JWT', async () => {
    for (const call of calls()) {
      expectError(await call(undefined), 401, 'Invalid JWT')
      expectError(await call('pit-00000000-0000-4000-a000-000000000000'), 401, 'Invalid JWT')
      expectError(await withAuth(m.http.get(`/contacts/?locationId=${m.location.id}`), undefined).set('Authorization', m.token), 401, 'Invalid JWT')
    }
  })

  it('revoked token → 401 Invalid JWT', async () => {
    const pit = await issue({})
    const revoked = await m.http.post(`/__mock/tokens/${pit}/revoke`)
    expect(revoked.body).toMatchObject({ tokenType: 'access_token', kind: 'pit', revoked: true, expires_at: null })
    for (const call of calls()) expectError(await call(pit), 401, 'Invalid JWT')
  })

  it('expired OAuth token → 401 with the expiry message (by clock, or expired now by the control API)', async () => {
    const byClock = await issue({ kind: 'oauth', expiresIn: 60 })
    const byControl = await issue({ kind: 'oauth' })
    m.state.clock.advance(59_999)
    for (const call of calls()) expectPassed(await call(byClock))
    m.state.clock.advance(1)
    expect((await m.http.post(`/__mock/tokens/${byControl}/expire`)).body).toMatchObject({
      tokenType: 'access_token',
      expires_at: new Date(T0 + 60_000).toISOString(),
    })
    for (const call of calls()) {
      expectError(await call(byClock), 401, EXPIRED_MESSAGE)
      expectError(await call(byControl), 401, EXPIRED_MESSAGE)
    }
  })

  it('a PIT never expires', async () => {
    const pit = await issue({ kind: 'pit' })
    m.state.clock.advance(10 * 365 * 24 * 3600 * 1000)
    for (const call of calls()) expectPassed(await call(pit))
    const expire = await m.http.post(`/__mock/tokens/${pit}/expire`)
    expect(expire.status).toBe(400)
    expect(expire.body.message).toMatch(/^Private Integration Tokens never expire/)
  })

  it(`a token without ${op.scope} → 401 The token is not authorized for this scope.`, async () => {
    const narrow = await issue({ scopes: [other] })
    for (const call of calls()) expectError(await call(narrow), 401, SCOPE_MESSAGE)
  })

  it("another location's data → 403 The token does not have access to this location.", async () => {
    for (const call of calls()) expectError(await call(m.token, 'theirs'), 403, LOCATION_MESSAGE)
  })

  it('scope is checked before location', async () => {
    const narrow = await issue({ scopes: [other] })
    for (const call of calls()) expectError(await call(narrow, 'theirs'), 401, SCOPE_MESSAGE)
  })

  it('expiry is checked before scope', async () => {
    const narrow = await issue({ kind: 'oauth', scopes: [other], expiresIn: 1 })
    m.state.clock.advance(1000)
    for (const call of calls()) expectError(await call(narrow), 401, EXPIRED_MESSAGE)
  })

  it('a Company (agency) token → 403: it must be exchanged for a Location token first', async () => {
    const agency = await issue({ userType: 'Company', kind: 'oauth' })
    for (const call of calls()) expectError(await call(agency), 403, LOCATION_MESSAGE)
  })
})

describe('agency-only endpoints', () => {
  it('a Location token on /oauth/installedLocations → 401 authClass', async () => {
    const res = await m.http.get('/oauth/installedLocations').query({ companyId: m.location.companyId, appId: 'x' }).set(m.auth(m.token))
    // The seeded PITs carry only the Contacts scopes: the scope check comes first.
    expectError(res, 401, SCOPE_MESSAGE)
    const withScope = await issue({ scopes: ['oauth.readonly'] })
    expectError(
      await m.http.get('/oauth/installedLocations').query({ companyId: m.location.companyId, appId: 'x' }).set(m.auth(withScope)),
      401,
      AUTH_CLASS_MESSAGE,
    )
  })
})

describe('control API for tokens', () => {
  it('lists tokens with filters; a reset brings back only the seeded ones', async () => {
    const pit = await issue({ scopes: ['contacts.readonly'] })
    const all = (await m.http.get('/__mock/tokens')).body
    expect(all.tokens.map((t: any) => t.access_token)).toContain(pit)
    const filtered = (await m.http.get('/__mock/tokens').query({ locationId: m.other.location.id })).body.tokens
    expect(filtered.map((t: any) => t.access_token)).toEqual([m.other.token])
    await m.http.post('/__mock/reset').send({})
    const after = (await m.http.get('/__mock/tokens')).body
    expect(after.tokens.map((t: any) => t.access_token).sort()).toEqual([m.token, m.other.token].sort())
    expect(after.refreshTokens).toEqual([])
  })

  it('an OAuth token issued for an app carries the app and expires after the token lifetime', async () => {
    const app = m.state.apps.defaultApp
    const res = await m.http.post('/__mock/tokens').send({ locationId: m.location.id, clientId: app.clientId })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ kind: 'oauth', appId: app.clientId, expires_at: new Date(T0 + 86399_000).toISOString() })
  })

  it('refuses nonsense: unknown app, PIT with an app or a lifetime, unknown token', async () => {
    expect((await m.http.post('/__mock/tokens').send({ locationId: m.location.id, clientId: 'nope' })).body.message).toBe('App with client id nope not found')
    const app = m.state.apps.defaultApp
    expect((await m.http.post('/__mock/tokens').send({ locationId: m.location.id, clientId: app.clientId, kind: 'pit' })).status).toBe(400)
    expect((await m.http.post('/__mock/tokens').send({ locationId: m.location.id, kind: 'pit', expiresIn: 5 })).status).toBe(400)
    const unknown = await m.http.post('/__mock/tokens/nope/revoke')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({
      statusCode: 404,
      message: 'Token nope is not an access token, Private Integration Token or refresh token of this mock',
      error: 'Not Found',
    })
  })
})

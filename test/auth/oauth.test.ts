/** The OAuth endpoints: consent page, token endpoint errors, agency tokens, installed locations. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../mock/auth/apps.ts'
import {
  AUTH_CLASS_MESSAGE,
  COMPANY_MESSAGE,
  EXPIRED_MESSAGE,
  LOCATION_MESSAGE,
  SCOPE_MESSAGE,
  EXPIRED_CODE,
  EXPIRED_REFRESH,
  INVALID_CODE,
  INVALID_REFRESH,
  OTHER_CLIENT_CODE,
  OTHER_CLIENT_REFRESH,
  REDIRECT_MISMATCH,
  USED_CODE,
} from '../../mock/errors.ts'
import { T0, makeMock, type TestMock } from '../support/mock.ts'
import { authorizeParams, consent, install, tokenRequest } from './support.ts'

let m: TestMock
let app: App
beforeAll(async () => {
  m = await makeMock({ locations: 3, contacts: 5 })
})
// Each test starts from the seeded state: same default app, no codes, grants or installs.
beforeEach(async () => {
  await m.state.reset()
  m.state.clock.set(T0)
  app = m.state.apps.defaultApp
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

const registerApp = async (body: Record<string, unknown>) => {
  const res = await m.http.post('/__mock/apps').send(body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as App
}

describe('GET /oauth/chooselocation', () => {
  it('redirects with code and state, to the chosen location', async () => {
    const { res, redirect } = await consent(m, authorizeParams(app, { locationId: m.locations[1].id }))
    expect(res.status).toBe(302)
    expect(redirect!.searchParams.get('state')).toBe('st-123')
    const code = m.state.grants.findCode(redirect!.searchParams.get('code')!)!
    expect(code).toMatchObject({ clientId: app.clientId, locationId: m.locations[1].id, redirectUri: app.redirectUris[0], scopes: app.scopes })
    expect(code.expiresAt - code.issuedAt).toBe(10 * 60 * 1000)
  })

  it('picks the first location when none is chosen, and keeps the redirect URI query', async () => {
    const custom = await registerApp({ redirectUris: ['https://connector.example/cb?tenant=7'], scopes: ['contacts.readonly'] })
    const { res, redirect } = await consent(m, authorizeParams(custom, { state: undefined }))
    expect(res.status).toBe(302)
    expect(redirect!.searchParams.get('tenant')).toBe('7')
    expect(redirect!.searchParams.has('state')).toBe(false)
    expect(m.state.grants.findCode(redirect!.searchParams.get('code')!)!.locationId).toBe(m.locations[0].id)
  })

  it('deny=true sends the user back with error=access_denied and no code', async () => {
    const { res, redirect } = await consent(m, authorizeParams(app, { deny: 'true' }))
    expect(res.status).toBe(302)
    expect(redirect!.searchParams.get('error')).toBe('access_denied')
    expect(redirect!.searchParams.get('state')).toBe('st-123')
    expect(redirect!.searchParams.has('code')).toBe(false)
    expect((await m.http.get('/__mock/installs')).body.installs).toEqual([])
  })

  it('an app whose consent is set to deny is refused every time', async () => {
    const patched = await m.http.patch(`/__mock/apps/${app.clientId}`).send({ consent: 'deny' })
    expect(patched.status).toBe(200)
    expect(patched.body.consent).toBe('deny')
    const { redirect } = await consent(m, authorizeParams(app))
    expect(redirect!.searchParams.get('error')).toBe('access_denied')
  })

  const errorCases: Array<[string, (a: App) => Record<string, string>, RegExp]> = [
    ['unknown client_id', () => ({ client_id: 'nope' }), /client_id nope is not the client id of any app registered with the mock/],
    [
      'unregistered redirect_uri',
      () => ({ redirect_uri: 'https://evil.example/cb' }),
      /redirect_uri https:\/\/evil.example\/cb is not registered for app Mock default app/,
    ],
    ['a scope beyond the app', (a) => ({ scope: `${a.scopes[0]} locations.readonly` }), /scope locations.readonly is not granted to app/],
    ['response_type other than code', () => ({ response_type: 'token' }), /response_type must be code \(got token\)/],
    ['an unknown location', () => ({ locationId: 'AAAAAAAAAAAAAAAAAAAA' }), /locationId AAAAAAAAAAAAAAAAAAAA is not a location of the mock/],
  ]
  it.each(errorCases)('%s: 400 HTML page saying what is wrong, no redirect, no code', async (_name, change, message) => {
    const { res } = await consent(m, { ...authorizeParams(app), ...change(app) })
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers.location).toBeUndefined()
    expect(res.text).toMatch(message)
    expect((await m.http.get('/__mock/installs')).body.installs).toEqual([])
  })

  it('a scope the custom app does not have is refused even if the default app has it', async () => {
    const readOnly = await registerApp({ redirectUris: ['http://localhost:9999/cb'], scopes: ['contacts.readonly'] })
    const { res } = await consent(m, authorizeParams(readOnly, { scope: 'contacts.readonly contacts.write' }))
    expect(res.status).toBe(400)
    expect(res.text).toContain('scope contacts.write is not granted to app')
  })

  it('a missing required parameter is a 422 in the GHL shape', async () => {
    const res = await m.http.get('/oauth/chooselocation').query({ response_type: 'code', client_id: app.clientId, scope: 'contacts.readonly' })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ statusCode: 422, message: ['redirect_uri should not be empty'], error: 'Unprocessable Entity' })
  })
})

describe('POST /oauth/token', () => {
  const code = async (a = app, locationId?: string) => {
    const { redirect } = await consent(m, authorizeParams(a, { locationId }))
    return redirect!.searchParams.get('code')!
  }
  const exchange = (c: string, extra: Record<string, string> = {}, a = app) =>
    tokenRequest(m, { client_id: a.clientId, client_secret: a.clientSecret, grant_type: 'authorization_code', code: c, user_type: 'Location', ...extra })

  it('answers the vendor fields, and the token is a Location token of the chosen location', async () => {
    const res = await exchange(await code(app, m.locations[2].id))
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(Object.keys(res.body).sort()).toEqual([
      'access_token',
      'companyId',
      'expires_in',
      'isBulkInstallation',
      'locationId',
      'refreshTokenId',
      'refresh_token',
      'scope',
      'token_type',
      'userId',
      'userType',
    ])
    const token = m.state.tokens.find(res.body.access_token)!
    expect(token).toMatchObject({
      kind: 'oauth',
      userType: 'Location',
      locationId: m.locations[2].id,
      appId: app.clientId,
      expiresAt: token.issuedAt + 86399_000,
    })
  })

  it('expires_in follows accessTokenTtlSeconds', async () => {
    const short = await makeMock({ locations: 1, contacts: 1, accessTokenTtlSeconds: 120 })
    const { body } = await install(short, short.state.apps.defaultApp)
    expect(body.expires_in).toBe(120)
    short.state.clock.advance(119_999)
    expect((await short.http.get(`/contacts/?locationId=${short.location.id}`).set(short.auth(body.access_token))).status).toBe(200)
    short.state.clock.advance(1)
    const res = await short.http.get(`/contacts/?locationId=${short.location.id}`).set(short.auth(body.access_token))
    expect(res.status).toBe(401)
    expect(res.body.message).toBe(EXPIRED_MESSAGE)
    expect(short.state.selfCheckFailures).toEqual([])
  })

  it('unknown client_id → 401', async () => {
    const res = await tokenRequest(m, { client_id: 'nope', client_secret: 'x', grant_type: 'authorization_code', code: 'c' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ statusCode: 401, message: 'Invalid client credentials: no app is registered with client_id nope', error: 'Unauthorized' })
  })

  it('wrong client_secret → 401 and the code stays usable', async () => {
    const c = await code()
    const res = await exchange(c, { client_secret: 'wrong' })
    expect(res.status).toBe(401)
    expect(res.body.message).toBe(`Invalid client credentials: client_secret does not match client_id ${app.clientId}`)
    expect((await exchange(c)).status).toBe(200)
  })

  it('unknown code → 400', async () => {
    const res = await exchange('0'.repeat(40))
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: INVALID_CODE })
  })

  it('a code is one-time', async () => {
    const c = await code()
    expect((await exchange(c)).status).toBe(200)
    const again = await exchange(c)
    expect(again.status).toBe(400)
    expect(again.body.message).toBe(USED_CODE)
  })

  it('a code expires after 10 minutes of mock time', async () => {
    const c = await code()
    m.state.clock.advance(10 * 60 * 1000)
    const res = await exchange(c)
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(EXPIRED_CODE)
  })

  it('a code is bound to its client', async () => {
    const other = await registerApp({ redirectUris: ['http://localhost:4000/cb'] })
    const res = await exchange(await code(), {}, other)
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(OTHER_CLIENT_CODE)
  })

  it('a code is bound to its redirect_uri', async () => {
    const res = await exchange(await code(), { redirect_uri: 'http://localhost:3000/other' })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(REDIRECT_MISMATCH)
  })

  it('a missing code or refresh token is a 422', async () => {
    const res = await tokenRequest(m, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'authorization_code' })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ statusCode: 422, message: ['code should not be empty'], error: 'Unprocessable Entity' })
    const r2 = await tokenRequest(m, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'refresh_token' })
    expect(r2.body.message).toEqual(['refresh_token should not be empty'])
  })

  it('client_credentials is not supported', async () => {
    const res = await tokenRequest(m, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials' })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('Unsupported grant_type client_credentials: the mock supports authorization_code and refresh_token')
  })

  it('a JSON body is refused: the endpoint is form-encoded', async () => {
    const res = await m.http
      .post('/oauth/token')
      .send({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'authorization_code', code: 'x' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: 'Content-Type must be application/x-www-form-urlencoded' })
  })

  it('user_type Company needs an agency (distribution Company) app', async () => {
    const subAccountApp = await registerApp({ redirectUris: ['http://localhost:4000/cb'], distribution: 'Location' })
    const res = await exchange(await code(subAccountApp), { user_type: 'Company' }, subAccountApp)
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/^Invalid request: user_type Company needs an agency install/)
  })

  describe('refresh_token grant', () => {
    const refresh = (token: string, extra: Record<string, string> = {}, a = app) =>
      tokenRequest(m, { client_id: a.clientId, client_secret: a.clientSecret, grant_type: 'refresh_token', refresh_token: token, ...extra })

    it('rotates: the old refresh token fails after use', async () => {
      const { body } = await install(m, app)
      const next = await refresh(body.refresh_token)
      expect(next.status).toBe(200)
      expect(next.body).toMatchObject({ userType: 'Location', locationId: body.locationId, scope: body.scope, companyId: body.companyId, userId: body.userId })
      const again = await refresh(body.refresh_token)
      expect(again.status).toBe(400)
      expect(again.body).toEqual({ statusCode: 400, message: INVALID_REFRESH })
      // The access token issued before the refresh keeps working until it expires.
      expect((await m.http.get(`/contacts/?locationId=${body.locationId}`).set(m.auth(body.access_token))).status).toBe(200)
    })

    it('unknown refresh token → 400', async () => {
      const res = await refresh('mock-rt-nope')
      expect(res.status).toBe(400)
      expect(res.body.message).toBe(INVALID_REFRESH)
    })

    it('is bound to its client', async () => {
      const { body } = await install(m, app)
      const other = await registerApp({ redirectUris: ['http://localhost:4000/cb'] })
      const res = await refresh(body.refresh_token, {}, other)
      expect(res.status).toBe(400)
      expect(res.body.message).toBe(OTHER_CLIENT_REFRESH)
    })

    it('a revoked refresh token (control API) fails', async () => {
      const { body } = await install(m, app)
      const revoked = await m.http.post(`/__mock/tokens/${body.refresh_token}/revoke`)
      expect(revoked.status).toBe(200)
      expect(revoked.body).toMatchObject({ tokenType: 'refresh_token', revoked: true })
      expect((await refresh(body.refresh_token)).body.message).toBe(INVALID_REFRESH)
    })

    it('expires after a year unused, or when expired through the control API', async () => {
      const { body } = await install(m, app)
      const { body: body2 } = await install(m, app)
      m.state.clock.advance(365 * 24 * 3600 * 1000)
      expect((await refresh(body.refresh_token)).body.message).toBe(EXPIRED_REFRESH)
      m.state.clock.set(m.state.grants.findRefresh(body2.refresh_token)!.issuedAt)
      expect((await m.http.post(`/__mock/tokens/${body2.refresh_token}/expire`)).status).toBe(200)
      expect((await refresh(body2.refresh_token)).body.message).toBe(EXPIRED_REFRESH)
    })

    it('user_type must match the refreshed token', async () => {
      const { body } = await install(m, app)
      const res = await refresh(body.refresh_token, { user_type: 'Company' })
      expect(res.status).toBe(400)
      expect(res.body.message).toBe('Invalid request: user_type Company does not match the refresh token, which is for a Location token')
    })
  })
})

describe('agency (Company) install', () => {
  const agency = async () => {
    const { body } = await install(m, app, { userType: 'Company' })
    return body
  }

  it('a Company token: no locationId, the approved locations of its company', async () => {
    const body = await agency()
    const company = m.locations.filter((l) => l.companyId === m.locations[0].companyId).map((l) => l.id)
    expect(body).toMatchObject({ userType: 'Company', companyId: m.locations[0].companyId, approvedLocations: company, isBulkInstallation: true })
    expect(body.locationId).toBeUndefined()
    const installs = (await m.http.get('/__mock/installs').query({ clientId: app.clientId })).body.installs
    expect(installs.map((i: any) => i.locationId).sort()).toEqual([...company].sort())
    expect(installs[0]).toMatchObject({ installedBy: 'Company', appName: app.name })
  })

  it('cannot read Contacts itself: 403, it must be exchanged for a Location token', async () => {
    const body = await agency()
    const res = await m.http.get(`/contacts/?locationId=${m.location.id}`).set(m.auth(body.access_token))
    expect(res.status).toBe(403)
    expect(res.body.message).toBe(LOCATION_MESSAGE)
  })

  it('GET /oauth/installedLocations lists its company with isInstalled', async () => {
    const body = await agency()
    const res = await m.http
      .get('/oauth/installedLocations')
      .query({ companyId: body.companyId, appId: app.appId, isInstalled: true })
      .set(m.auth(body.access_token))
    expect(res.status).toBe(200)
    expect(res.body.count).toBe(body.approvedLocations.length)
    expect(res.body.locations.map((l: any) => l._id)).toEqual(body.approvedLocations)
    expect(res.body.locations[0]).toMatchObject({ isInstalled: true, versionId: app.versionId, installedAt: new Date(m.state.clock.now()).toISOString() })
    const paged = await m.http
      .get('/oauth/installedLocations')
      .query({ companyId: body.companyId, appId: app.appId, limit: 1, skip: 1 })
      .set(m.auth(body.access_token))
    expect(paged.body.locations).toHaveLength(Math.min(1, body.approvedLocations.length - 1))
  })

  it('POST /oauth/locationToken turns it into a Location token that reads Contacts', async () => {
    const body = await agency()
    const target = body.approvedLocations.at(-1)
    const res = await m.http.post('/oauth/locationToken').type('form').send({ companyId: body.companyId, locationId: target }).set(m.auth(body.access_token))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      locationId: target,
      scope: body.scope,
      appId: app.appId,
      versionId: app.versionId,
    })
    const read = await m.http.get(`/contacts/?locationId=${target}`).set(m.auth(res.body.access_token))
    expect(read.status).toBe(200)
  })

  it('locationToken for a location where the app is not installed → 400', async () => {
    const { redirect } = await consent(m, authorizeParams(app, { locationId: m.locations[0].id }))
    const res0 = await tokenRequest(m, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code: redirect!.searchParams.get('code')!,
      user_type: 'Company',
    })
    expect(res0.body.approvedLocations).toEqual([m.locations[0].id])
    // The seed puts every location in one company (agency).
    const sameCompany = m.locations.find((l) => l.id !== m.locations[0].id && l.companyId === m.locations[0].companyId)!
    expect(sameCompany).toBeDefined()
    const res = await m.http
      .post('/oauth/locationToken')
      .type('form')
      .send({ companyId: res0.body.companyId, locationId: sameCompany.id })
      .set(m.auth(res0.body.access_token))
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`The app ${app.clientId} is not installed on location ${sameCompany.id}.`)
  })

  it('another company → 403; a Location token → 401 authClass; a token without oauth.write → 401 scope', async () => {
    const body = await agency()
    const otherCompany = await m.http
      .post('/oauth/locationToken')
      .type('form')
      .send({ companyId: 'SomeOtherCompany0000', locationId: m.location.id })
      .set(m.auth(body.access_token))
    expect(otherCompany.status).toBe(403)
    expect(otherCompany.body.message).toBe(COMPANY_MESSAGE)

    const located = await install(m, app)
    const withLocation = await m.http
      .post('/oauth/locationToken')
      .type('form')
      .send({ companyId: body.companyId, locationId: m.location.id })
      .set(m.auth(located.body.access_token))
    expect(withLocation.status).toBe(401)
    expect(withLocation.body.message).toBe(AUTH_CLASS_MESSAGE)

    const narrow = (
      await m.http.post('/__mock/tokens').send({ locationId: m.location.id, userType: 'Company', clientId: app.clientId, scopes: ['oauth.readonly'] })
    ).body
    const noScope = await m.http
      .post('/oauth/locationToken')
      .type('form')
      .send({ companyId: body.companyId, locationId: m.location.id })
      .set(m.auth(narrow.access_token))
    expect(noScope.status).toBe(401)
    expect(noScope.body.message).toBe(SCOPE_MESSAGE)
  })

  it('the Version header is required on the agency endpoints', async () => {
    const body = await agency()
    const res = await m.http
      .get('/oauth/installedLocations')
      .query({ companyId: body.companyId, appId: app.appId })
      .set('Authorization', `Bearer ${body.access_token}`)
    expect(res.status).toBe(401)
    expect(res.body.message).toBe('version header was not found.')
  })
})

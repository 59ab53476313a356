/** Marketplace apps: the default app, the apps file, the control API, determinism. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppRegistry, loadAppsFile, parseAppDefinitions } from '../../mock/auth/apps.ts'
import { startMockServer } from '../../mock/server.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { authorizeParams, consent, install } from './support.ts'

const dir = mkdtempSync(join(tmpdir(), 'ghl-mock-apps-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

let m: TestMock
beforeAll(async () => {
  m = await makeMock({ locations: 2, contacts: 2 })
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('the default app', () => {
  it('exists, has every scope the spec names, and is the same for the same seed', async () => {
    const res = await m.http.get('/__mock/apps')
    expect(res.status).toBe(200)
    const [app] = res.body.apps
    expect(app).toMatchObject({ source: 'default', distribution: 'Company', consent: 'approve', redirectUris: ['http://localhost:3000/oauth/callback'] })
    expect(app.clientId).toMatch(/^[0-9a-f]{24}-[a-z0-9]{8}$/)
    expect(app.clientSecret).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(app.appId).toBe(app.clientId.split('-')[0])
    expect(app.scopes).toEqual(m.state.allScopes)
    expect(m.state.allScopes).toEqual(expect.arrayContaining(['contacts.readonly', 'contacts.write', 'oauth.readonly', 'oauth.write']))

    const same = await makeMock({ locations: 2, contacts: 2 })
    expect(same.state.apps.defaultApp).toEqual(app)
    const other = await makeMock({ locations: 2, contacts: 2, seed: 'other' })
    expect(other.state.apps.defaultApp.clientId).not.toBe(app.clientId)
  })

  it('takes its redirect URIs from the options', () => {
    const registry = createAppRegistry({ seed: 1, allScopes: ['a.b'], defaultRedirectUris: ['http://127.0.0.1:8080/cb'] })
    expect(registry.defaultApp.redirectUris).toEqual(['http://127.0.0.1:8080/cb'])
  })
})

describe('apps through the control API', () => {
  it('registers, reads, changes and lists apps; a reset keeps only the default and configured ones', async () => {
    const created = await m.http.post('/__mock/apps').send({ name: 'My connector', redirectUris: ['http://localhost:8080/cb'], scopes: ['contacts.readonly'] })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'My connector', distribution: 'Location', consent: 'approve', source: 'control', scopes: ['contacts.readonly'] })
    const id = created.body.clientId
    expect((await m.http.get(`/__mock/apps/${id}`)).body).toEqual(created.body)

    const fixed = await m.http.post('/__mock/apps').send({ clientId: 'my-dev-client', clientSecret: 's3cret', redirectUris: ['http://localhost:8080/cb'] })
    expect(fixed.body).toMatchObject({ clientId: 'my-dev-client', clientSecret: 's3cret', appId: 'my' })
    const dup = await m.http.post('/__mock/apps').send({ clientId: 'my-dev-client', redirectUris: ['http://localhost:8080/cb'] })
    expect(dup.status).toBe(400)
    expect(dup.body.message).toBe('An app with client id my-dev-client already exists')

    const patched = await m.http.patch(`/__mock/apps/${id}`).send({ redirectUris: ['http://localhost:8081/cb'], distribution: 'Company' })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ redirectUris: ['http://localhost:8081/cb'], distribution: 'Company', name: 'My connector' })

    expect((await m.http.get('/__mock/apps/nope')).status).toBe(404)
    expect((await m.http.patch('/__mock/apps/nope').send({ consent: 'deny' })).status).toBe(404)
    expect((await m.http.post('/__mock/apps').send({ redirectUris: ['not a url'] })).status).toBe(422)
    expect((await m.http.post('/__mock/apps').send({ redirectUris: [] })).status).toBe(422)

    const before = m.state.apps.defaultApp
    await m.http.post('/__mock/reset').send({})
    const after = (await m.http.get('/__mock/apps')).body.apps
    expect(after).toEqual([before])
  })

  it('lists installs made through the consent page', async () => {
    const app = m.state.apps.defaultApp
    await consent(m, authorizeParams(app, { locationId: m.other.location.id }))
    const res = await m.http.get('/__mock/installs').query({ locationId: m.other.location.id })
    expect(res.status).toBe(200)
    expect(res.body.installs).toEqual([
      expect.objectContaining({
        clientId: app.clientId,
        appName: app.name,
        locationId: m.other.location.id,
        companyId: m.other.location.companyId,
        installedBy: 'Company',
        scopes: app.scopes,
      }),
    ])
  })

  it('lists refresh tokens, spent ones marked used', async () => {
    const app = m.state.apps.defaultApp
    const { body } = await install(m, app)
    await m.http
      .post('/oauth/token')
      .type('form')
      .send({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'refresh_token', refresh_token: body.refresh_token })
    const res = await m.http.get('/__mock/tokens').query({ clientId: app.clientId })
    const used = res.body.refreshTokens.find((r: any) => r.refresh_token === body.refresh_token)
    expect(used).toMatchObject({ used: true, revoked: false, clientId: app.clientId, userType: 'Location', locationId: body.locationId })
    expect(res.body.refreshTokens.filter((r: any) => !r.used)).toHaveLength(1)
    expect(res.body.tokens.every((t: any) => t.appId === app.clientId && t.kind === 'oauth')).toBe(true)
  })
})

describe('the apps file', () => {
  it('registers its apps at start and after every reset', async () => {
    const path = file(
      'good.json',
      JSON.stringify([
        {
          clientId: 'file-app',
          clientSecret: 'file-secret',
          redirectUris: ['https://example.com/cb'],
          scopes: ['contacts.readonly'],
          distribution: 'Location',
        },
      ]),
    )
    const mock = await makeMock({ locations: 1, contacts: 1, apps: loadAppsFile(path) })
    const list = () => mock.state.apps.list().map((a) => [a.clientId, a.source])
    expect(list()).toEqual([
      [mock.state.apps.defaultApp.clientId, 'default'],
      ['file-app', 'config'],
    ])
    await mock.state.reset()
    expect(list()).toEqual([
      [mock.state.apps.defaultApp.clientId, 'default'],
      ['file-app', 'config'],
    ])
    const { body } = await install(mock, mock.state.apps.get('file-app')!, { scope: 'contacts.readonly' })
    expect(body.scope).toBe('contacts.readonly')
  })

  it('accepts {"apps": [...]} too', () => {
    expect(parseAppDefinitions({ apps: [{ redirectUris: ['http://x.test/cb'] }] })).toHaveLength(1)
  })

  it.each([
    ['missing file', () => join(dir, 'nope.json'), /^cannot read apps file .*nope\.json: ENOENT$/],
    ['not JSON', () => file('bad.json', '{ nope'), /^apps file .*bad\.json is not valid JSON: /],
    [
      'a __proto__ key',
      () => file('proto.json', '[{"redirectUris": ["http://x.test/cb"], "__proto__": {"admin": true}}]'),
      /^apps file .*proto\.json is not valid JSON: /,
    ],
    ['not an array', () => file('obj.json', '{"clientId": "x"}'), /expected an array of apps/],
    [
      'invalid apps',
      () =>
        file(
          'invalid.json',
          JSON.stringify([
            { redirectUris: ['nope'], distribution: 'Agency', extra: 1 },
            { clientId: 'a', redirectUris: ['http://a.test'] },
            { clientId: 'a', redirectUris: ['http://a.test'] },
          ]),
        ),
      /apps\[0\]: unknown property "extra"[\s\S]*apps\[0\]\.redirectUris\[0\] must be an absolute URL[\s\S]*apps\[0\]\.distribution must be "Location" or "Company"[\s\S]*clientId "a" appears more than once/,
    ],
  ])('%s: a clear error', (_name, path, message) => {
    expect(() => loadAppsFile(path())).toThrow(message)
  })

  it('an unknown scope is refused, in the file, at start and through the control API, every one named', async () => {
    const path = file('scopes.json', JSON.stringify([{ redirectUris: ['http://a.test/cb'], scopes: ['contacts.readonly', 'contacts.reed', 'contacts.wrte'] }]))
    const scopes = m.state.allScopes
    expect(() => loadAppsFile(path, scopes)).toThrow(
      /apps\[0\]\.scopes\[1\] "contacts\.reed" is not a scope the API knows[\s\S]*apps\[0\]\.scopes\[2\] "contacts\.wrte"/,
    )
    await expect(startMockServer({ port: 0, apps: [{ redirectUris: ['http://a.test/cb'], scopes: ['contacts.reed'] }] })).rejects.toThrow(
      /"contacts\.reed" is not a scope the API knows/,
    )
    const res = await m.http.post('/__mock/apps').send({ redirectUris: ['http://a.test/cb'], scopes: ['nope.readonly'] })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/"nope\.readonly" is not a scope the API knows/)
  })

  it('an invalid apps option stops the server before it listens', async () => {
    await expect(startMockServer({ port: 0, apps: [{ redirectUris: [] }] })).rejects.toThrow(/redirectUris must be a non-empty array/)
  })
})

/**
 * App webhooks: an app's webhookUrl gets the events of the locations it is installed in,
 * INSTALL when it receives its token and UNINSTALL when it is removed. The vendor SDK's
 * middleware reacts as it does in production: INSTALL → it exchanges its company token
 * for a location token against the mock; UNINSTALL → it forgets that location's session.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HighLevel } from '@gohighlevel/api-client'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { T0 } from '../support/mock.ts'

let mock: MockServer
let server: Server
let url: string
const received: Array<{ type: string; body: Record<string, any>; valid: boolean; installError?: unknown }> = []
let middleware: (req: any, res: any, next: (err?: unknown) => void) => Promise<void>
/** The receiver waits for this before handing a delivery to the SDK (the test stores the company session first). */
let ready: Promise<void> = Promise.resolve()

beforeAll(async () => {
  mock = await startMockServer({ port: 0, contacts: 3, clock: createClock({ start: T0, frozen: true }) })
  server = createServer((req: IncomingMessage & { body?: Buffer }, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      await ready
      req.body = Buffer.concat(chunks)
      const r = req as any
      await middleware(req, res, () => {})
      const body = JSON.parse(req.body.toString())
      received.push({ type: body.type, body, valid: r.isSignatureValid === true, installError: r.installTokenError })
      res.writeHead(r.isSignatureValid ? 200 : 401).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app-hooks`
})

afterAll(async () => {
  delete process.env.WEBHOOK_SIGNATURE_PUBLIC_KEY
  mock.app.state.webhooks.close()
  await mock.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
  const res = await fetch(`${mock.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  })
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() }
}

describe('app webhooks: INSTALL, events of installed locations, UNINSTALL', () => {
  it('the vendor SDK exchanges a location token on INSTALL and drops it on UNINSTALL', async () => {
    const state = mock.app.state
    const [loc, other] = await state.store.listLocations()
    const registered = await api('/__mock/apps', {
      method: 'POST',
      json: {
        name: 'Hooked app',
        redirectUris: ['http://localhost:9/cb'],
        distribution: 'Company',
        webhookUrl: url,
        events: ['INSTALL', 'UNINSTALL', 'ContactCreate'],
      },
    })
    expect(registered.status).toBe(201)
    const app = registered.body
    expect(app).toMatchObject({ webhookUrl: url, events: ['INSTALL', 'UNINSTALL', 'ContactCreate'] })

    process.env.WEBHOOK_SIGNATURE_PUBLIC_KEY = state.webhooks.signer.publicKeyRaw
    const ghl = new HighLevel({ clientId: app.clientId, clientSecret: app.clientSecret, logLevel: 'error' })
    ghl.addRequestInterceptor({ onFulfilled: (config) => ({ ...config, baseURL: mock.url }) })
    middleware = ghl.webhooks.subscribe() as typeof middleware
    const sessions = ghl.getSessionStorage()

    // Consent on the mock's choose-location page, for one location of the company.
    let release!: () => void
    ready = new Promise((resolve) => (release = resolve))
    const authorize = new URL('/oauth/chooselocation', mock.url)
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: 'http://localhost:9/cb',
      scope: 'contacts.readonly contacts.write oauth.readonly oauth.write',
      locationId: loc.id,
    }).toString()
    const consent = await fetch(authorize, { redirect: 'manual' })
    expect(consent.status).toBe(302)
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!
    // No INSTALL yet: the install completes when the app takes its token.
    expect(state.webhooks.deliveries({ type: 'INSTALL' })).toEqual([])
    const company = await ghl.oauth.getAccessToken({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Company',
    } as any)
    await sessions.setSession(loc.companyId, { ...company, userType: 'Company', companyId: loc.companyId } as any)
    release()
    await api('/__mock/webhooks/flush', { method: 'POST' })

    expect(received.map((r) => r.type)).toEqual(['INSTALL'])
    expect(received[0]).toMatchObject({ valid: true, installError: undefined })
    expect(received[0].body).toMatchObject({
      type: 'INSTALL',
      appId: app.appId,
      companyId: loc.companyId,
      locationId: loc.id,
      installType: 'Company',
      versionId: app.versionId,
    })
    // The middleware asked the mock for a location token and stored it.
    const locationSession = await sessions.getSession(loc.id)
    expect(locationSession?.access_token).toBeTruthy()
    expect(state.tokens.find(locationSession!.access_token!)).toMatchObject({ locationId: loc.id, userType: 'Location', appId: app.clientId })

    // Events of the installed location reach the app; those of another location do not; unsubscribed types neither.
    const pit = state.defaultTokens
    for (const l of [loc, other]) {
      const token = pit.find((t) => t.locationId === l.id)!.token
      const res = await fetch(`${mock.url}/contacts/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28', 'content-type': 'application/json' },
        body: JSON.stringify({ locationId: l.id, firstName: 'Installed' }),
      })
      const { contact } = await res.json()
      await fetch(`${mock.url}/contacts/${contact.id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28', 'content-type': 'application/json' },
        body: JSON.stringify({ lastName: 'Changed' }),
      })
    }
    await api('/__mock/webhooks/flush', { method: 'POST' })
    expect(received.map((r) => [r.type, r.body.locationId])).toEqual([
      ['INSTALL', loc.id],
      ['ContactCreate', loc.id],
    ])

    expect((await api(`/__mock/installs/${app.clientId}/${loc.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await api(`/__mock/installs/${app.clientId}/${loc.id}`, { method: 'DELETE' })).status).toBe(404)
    await api('/__mock/webhooks/flush', { method: 'POST' })
    expect(received.at(-1)).toMatchObject({ type: 'UNINSTALL', valid: true, body: { appId: app.appId, locationId: loc.id, companyId: loc.companyId } })
    expect(await sessions.getSession(loc.id)).toBeNull()
    expect((await api(`/__mock/installs?clientId=${app.clientId}`)).body.installs).toEqual([])
  })

  it('refuses a bad webhookUrl or event in an app definition', async () => {
    expect((await api('/__mock/apps', { method: 'POST', json: { redirectUris: ['http://localhost:9/cb'], webhookUrl: 'nope' } })).status).toBe(422)
    expect((await api('/__mock/apps', { method: 'POST', json: { redirectUris: ['http://localhost:9/cb'], events: ['Nope'] } })).status).toBe(422)
  })
})

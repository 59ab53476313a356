/**
 * The whole authorization-code flow over real HTTP, as a connector does it:
 * authorize → redirect → token → call → clock past expiry → 401 → refresh → call →
 * old refresh token rejected. The clock is moved through the control API, never waited on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { EXPIRED_MESSAGE, INVALID_REFRESH, USED_CODE } from '../../mock/errors.ts'
import { T0, VERSION } from '../support/mock.ts'

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ port: 0, clock: createClock({ start: T0, frozen: true }), selfCheck: true })
})
afterAll(async () => {
  expect(server.app.state.selfCheckFailures).toEqual([])
  await server.close()
})

const url = (path: string) => new URL(path, server.url).toString()
const json = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(url(path), init)
  return { status: res.status, body: (await res.json()) as any }
}
const postForm = (path: string, form: Record<string, string>) =>
  json(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() })
const api = (path: string, token: string) => json(path, { headers: { Authorization: `Bearer ${token}`, Version: VERSION } })

describe('OAuth authorization code flow over HTTP', () => {
  it('installs, calls, expires, refreshes and rotates', async () => {
    const { body: apps } = await json('/__mock/apps')
    const app = apps.apps.find((a: any) => a.source === 'default')
    const { body: locs } = await json('/__mock/locations')
    const location = locs.locations[1]

    // 1. The connector sends the user to the consent page; the mock plays the user and redirects back.
    const authorize = new URL(url('/oauth/chooselocation'))
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.redirectUris[0],
      scope: 'contacts.readonly contacts.write',
      state: 'csrf-42',
      locationId: location.id,
    }).toString()
    const consent = await fetch(authorize, { redirect: 'manual' })
    expect(consent.status).toBe(302)
    const back = new URL(consent.headers.get('location')!)
    expect(`${back.origin}${back.pathname}`).toBe(app.redirectUris[0])
    expect(back.searchParams.get('state')).toBe('csrf-42')
    const code = back.searchParams.get('code')!
    expect(code).toMatch(/^[0-9a-f]{40}$/)

    // 2. The connector's callback exchanges the code.
    const exchange = {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: app.redirectUris[0],
    }
    const first = await postForm('/oauth/token', exchange)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      scope: 'contacts.readonly contacts.write',
      userType: 'Location',
      locationId: location.id,
      companyId: location.companyId,
      userId: location.users[0].id,
    })
    expect(first.body.refresh_token).toEqual(expect.any(String))

    // The install is recorded.
    const installs = await json(`/__mock/installs?clientId=${app.clientId}`)
    expect(installs.body.installs.map((i: any) => i.locationId)).toContain(location.id)

    // 3. The token works on the Contacts API, for its location.
    const listPath = `/contacts/?locationId=${location.id}&limit=1`
    expect((await api(listPath, first.body.access_token)).status).toBe(200)

    // 4. 3 a.m.: the access token has expired.
    await json('/__mock/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 86399 * 1000 }) })
    const expired = await api(listPath, first.body.access_token)
    expect(expired).toEqual({ status: 401, body: { statusCode: 401, message: EXPIRED_MESSAGE, error: 'Unauthorized' } })

    // 5. Refresh: a new pair; the new access token works.
    const refreshForm = {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      user_type: 'Location',
    }
    const second = await postForm('/oauth/token', refreshForm)
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      userType: 'Location',
      locationId: location.id,
      scope: 'contacts.readonly contacts.write',
    })
    expect(second.body.access_token).not.toBe(first.body.access_token)
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token)
    expect((await api(listPath, second.body.access_token)).status).toBe(200)

    // 6. Refresh tokens rotate: the old one is spent.
    expect(await postForm('/oauth/token', refreshForm)).toEqual({ status: 400, body: { statusCode: 400, message: INVALID_REFRESH } })
    // And codes are one-time.
    expect(await postForm('/oauth/token', exchange)).toEqual({ status: 400, body: { statusCode: 400, message: USED_CODE } })
    // The rotated refresh token still works.
    const third = await postForm('/oauth/token', { ...refreshForm, refresh_token: second.body.refresh_token })
    expect(third.status).toBe(200)
  })
})

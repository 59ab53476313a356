/**
 * OAuth through the client against the mock's real token endpoint: proactive refresh
 * before expiry, one refresh for many concurrent calls when the token expires mid-run,
 * and a spent refresh token surfacing as a TokenRefreshError.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createGhlClient, oauthRefresher, tokensFromResponse, TokenRefreshError, type OAuthTokens } from '../../client/index.ts'
import type { App } from '../../mock/auth/apps.ts'
import { VERSION } from '../support/mock.ts'
import { mockClient, type MockClient } from './mock-client.ts'

let t: MockClient
let app: App
let tokens: OAuthTokens

/** The install flow, as a connector's callback does it: consent → code → tokens. */
async function install(): Promise<OAuthTokens> {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUris[0],
    scope: 'contacts.readonly contacts.write',
    state: 's',
    locationId: t.m.location.id,
  })
  const consent = await t.m.app.request(`/oauth/chooselocation?${params}`)
  expect(consent.status).toBe(302)
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!
  const res = await t.m.app.request('/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
    }).toString(),
  })
  expect(res.status).toBe(200)
  return tokensFromResponse(await res.json(), t.m.state.clock.now())
}

function oauthClient(saved: OAuthTokens[] = []) {
  const now = () => t.m.state.clock.now()
  return t.client({
    token: undefined,
    oauth: {
      ...tokens,
      refresh: oauthRefresher({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        baseUrl: 'http://ghl.mock',
        fetch: (input, init) => t.fetch(input as never, init ?? {}),
        now,
      }),
      onTokens: (next) => void saved.push(next),
    },
    pacing: { maxConcurrency: 25 },
  })
}

const tokenCalls = () => t.m.state.journal.list().filter((e) => e.path === '/oauth/token').length

beforeEach(async () => {
  t = await mockClient({ mock: { strict: true } })
  app = t.m.state.apps.defaultApp
  tokens = await install()
})

describe('OAuth tokens in the client, against the mock', () => {
  it('refreshes before the token expires: no request ever meets a 401', async () => {
    const saved: OAuthTokens[] = []
    const ghl = oauthClient(saved)
    await ghl.contacts.list({ locationId: t.m.location.id, limit: 1 })
    t.m.state.clock.advance(86_399_000 - 4 * 60_000) // 4 minutes left
    const before = tokenCalls()
    await Promise.all(Array.from({ length: 5 }, () => ghl.contacts.list({ locationId: t.m.location.id, limit: 1 })))
    expect(tokenCalls() - before).toBe(1)
    expect(saved).toHaveLength(1)
    expect(saved[0].refreshToken).not.toBe(tokens.refreshToken) // rotated, and handed over for storage
    t.m.state.clock.advance(10 * 60_000) // past the first token's expiry
    await ghl.contacts.list({ locationId: t.m.location.id, limit: 1 })
    expect(t.m.state.journal.list({ status: 401 })).toEqual([])
  })

  it('expiry mid-run: many concurrent calls, one refresh, every call succeeds', async () => {
    const ghl = oauthClient()
    const ids = (await t.m.state.store.listContacts(t.m.location.id, { limit: 20 })).contacts.map((c) => c.id)
    await ghl.contacts.get(ids[0])
    t.m.state.tokens.expire(tokens.accessToken) // the 3 a.m. surprise: the server says expired before the client expected it
    const before = tokenCalls()
    const results = await Promise.all(ids.map((id) => ghl.contacts.get(id)))
    expect(results.map((r) => r.contact.id)).toEqual(ids)
    expect(tokenCalls() - before).toBe(1)
    expect(ghl.tokens()?.accessToken).not.toBe(tokens.accessToken)
    const refused = t.m.state.journal.list({ status: 401 })
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.length).toBeLessThanOrEqual(ids.length)
    expect(t.m.state.strict.violations.list()).toEqual([])
  })

  it('a spent refresh token: TokenRefreshError (kind auth, status 400), nothing retried in a loop', async () => {
    const ghl = oauthClient()
    // Another worker refreshed with the same refresh token first: ours is now spent.
    const res = await t.m.app.request('/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken!,
      }).toString(),
    })
    expect(res.status).toBe(200)
    t.m.state.tokens.expire(tokens.accessToken)
    const err = await ghl.contacts.list({ locationId: t.m.location.id, limit: 1 }).catch((e) => e)
    expect(err).toBeInstanceOf(TokenRefreshError)
    expect(err).toMatchObject({ kind: 'auth', status: 400, operation: 'get-contacts' })
    expect(err.message).toMatch(/refresh token is invalid or has been used/)
  })

  it('a Private Integration Token needs no refresh and is never sent to the token endpoint', async () => {
    const ghl = createGhlClient({ baseUrl: 'http://ghl.mock', version: VERSION, token: t.m.token, fetch: t.fetch })
    await ghl.contacts.list({ locationId: t.m.location.id, limit: 1 })
    expect(tokenCalls()).toBe(1) // the install's code exchange only
  })
})

/** OAuth tokens in the client: proactive refresh, one refresh for many 401s, typed refresh failures. */
import { describe, expect, it } from 'vitest'
import { createGhlClient, TokenRefreshError, type OAuthTokens } from '../../client/index.ts'
import { TokenManager } from '../../client/auth.ts'
import { oauthRefresher } from '../../client/oauth.ts'
import type { FetchFunction } from '../../client/transport.ts'
import { json, manualClock, T0 } from './fakes.ts'

const CONTACT = { id: 'c1aaaaaaaaaaaaaaaaaa', locationId: 'loc', dateAdded: '2026-01-01T00:00:00.000Z' }
const EXPIRED = { statusCode: 401, message: 'Invalid JWT: the access token has expired. Refresh it and retry.', error: 'Unauthorized' }

/** A server that accepts only the tokens in `valid`. */
function tokenServer(valid: Set<string>) {
  const seen: string[] = []
  const fetch: FetchFunction = async (_url, init) => {
    const token = new Headers(init.headers).get('authorization')?.replace('Bearer ', '') ?? ''
    seen.push(token)
    for (let i = 0; i < 3; i++) await Promise.resolve()
    return valid.has(token) ? json(200, { contact: CONTACT }) : json(401, EXPIRED)
  }
  return { fetch, seen }
}

function refresher(valid: Set<string>, clock: { now(): number }) {
  let n = 0
  const calls: OAuthTokens[] = []
  const refresh = async (current: OAuthTokens): Promise<OAuthTokens> => {
    calls.push(current)
    await Promise.resolve()
    const accessToken = `at-${++n}`
    valid.add(accessToken)
    return { accessToken, refreshToken: `rt-${n}`, expiresAt: clock.now() + 86_399_000 }
  }
  return { refresh, calls }
}

describe('OAuth in the client', () => {
  it('an expiry 401 refreshes once and retries; many concurrent calls share the one refresh', async () => {
    const clock = manualClock()
    const valid = new Set<string>()
    const server = tokenServer(valid)
    const { refresh, calls } = refresher(valid, clock)
    const saved: OAuthTokens[] = []
    const ghl = createGhlClient({
      baseUrl: 'http://x',
      fetch: server.fetch,
      now: clock.now,
      sleep: clock.sleep,
      oauth: { accessToken: 'at-0', refreshToken: 'rt-0', refresh, onTokens: (t) => void saved.push(t) },
      pacing: { maxConcurrency: 20 },
    })
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ghl.contacts.get(`c${i}`)))
    expect(results).toHaveLength(12)
    expect(calls).toEqual([{ accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: undefined }])
    expect(saved).toEqual([{ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: T0 + 86_399_000 }])
    expect(ghl.tokens()?.accessToken).toBe('at-1')
    expect(server.seen.filter((t) => t === 'at-1')).toHaveLength(12)
  })

  it('refreshes proactively shortly before expiry: no 401 at all', async () => {
    const clock = manualClock()
    const valid = new Set(['at-0'])
    const server = tokenServer(valid)
    const { refresh, calls } = refresher(valid, clock)
    const ghl = createGhlClient({
      baseUrl: 'http://x',
      fetch: server.fetch,
      now: clock.now,
      sleep: clock.sleep,
      oauth: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 + 10 * 60_000, refresh },
    })
    await ghl.contacts.get('a')
    clock.advance(6 * 60_000) // 4 minutes left: inside the 5-minute margin
    valid.delete('at-0')
    await Promise.all([ghl.contacts.get('b'), ghl.contacts.get('c')])
    expect(calls).toHaveLength(1)
    expect(server.seen).toEqual(['at-0', 'at-1', 'at-1'])
  })

  it('a failed refresh surfaces as TokenRefreshError (kind auth) and the next call tries again', async () => {
    const clock = manualClock()
    const server = tokenServer(new Set())
    let n = 0
    const ghl = createGhlClient({
      baseUrl: 'http://x',
      fetch: server.fetch,
      now: clock.now,
      sleep: clock.sleep,
      oauth: {
        accessToken: 'at-0',
        refreshToken: 'rt-0',
        refresh: async () => {
          n++
          throw new Error('invalid_grant')
        },
      },
    })
    const err = await ghl.contacts.get('a').catch((e) => e)
    expect(err).toBeInstanceOf(TokenRefreshError)
    expect(err).toMatchObject({ kind: 'auth', operation: 'get-contact' })
    expect(err.message).toContain('invalid_grant')
    await expect(ghl.contacts.get('b')).rejects.toBeInstanceOf(TokenRefreshError)
    expect(n).toBe(2)
  })

  it('a static token gets no refresh: the 401 surfaces as kind auth after one send', async () => {
    const server = tokenServer(new Set())
    const ghl = createGhlClient({ baseUrl: 'http://x', token: 'pit-x', fetch: server.fetch })
    await expect(ghl.contacts.get('a')).rejects.toMatchObject({ kind: 'auth', status: 401, attempts: 1 })
    expect(server.seen).toHaveLength(1)
  })

  it('a scope 401 is not an expiry: no refresh', async () => {
    const clock = manualClock()
    let refreshed = 0
    const fetch: FetchFunction = async () => json(401, { statusCode: 401, message: 'The token is not authorized for this scope.' })
    const ghl = createGhlClient({
      baseUrl: 'http://x',
      fetch,
      now: clock.now,
      sleep: clock.sleep,
      oauth: {
        accessToken: 'a',
        refreshToken: 'r',
        refresh: async () => {
          refreshed++
          return { accessToken: 'b' }
        },
      },
    })
    await expect(ghl.contacts.create({ locationId: 'l' })).rejects.toMatchObject({ kind: 'scope' })
    expect(refreshed).toBe(0)
  })
})

describe('TokenManager', () => {
  it('needs a token or oauth, not both', () => {
    expect(() => new TokenManager({})).toThrow(/token/)
    expect(() => new TokenManager({ token: 'a', oauth: { accessToken: 'b', refresh: async () => ({ accessToken: 'c' }) } })).toThrow(/either/)
  })

  it('keeps a still-valid token when a proactive refresh fails', async () => {
    const clock = manualClock()
    const tm = new TokenManager({
      now: clock.now,
      oauth: { accessToken: 'a', refreshToken: 'r', expiresAt: T0 + 60_000, refresh: async () => Promise.reject(new Error('down')) },
    })
    expect(await tm.token()).toBe('a')
    clock.advance(60_000)
    await expect(tm.token()).rejects.toBeInstanceOf(TokenRefreshError)
  })
})

describe('oauthRefresher (POST /oauth/token)', () => {
  it('sends a form-encoded refresh_token grant and maps the answer', async () => {
    let seen: { url: string; type: string | null; body: string } | undefined
    const fetch = async (input: string | URL | Request) => {
      const req = input as Request
      seen = { url: req.url, type: req.headers.get('content-type'), body: await req.text() }
      return json(200, { access_token: 'new-at', token_type: 'Bearer', expires_in: 86399, refresh_token: 'new-rt', userId: 'u1' })
    }
    const refresh = oauthRefresher({ clientId: 'cid', clientSecret: 'sec', baseUrl: 'http://mock', fetch, now: () => T0 })
    const tokens = await refresh({ accessToken: 'old', refreshToken: 'old-rt' })
    expect(tokens).toEqual({ accessToken: 'new-at', refreshToken: 'new-rt', expiresAt: T0 + 86_399_000 })
    expect(seen!.url).toBe('http://mock/oauth/token')
    expect(seen!.type).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(seen!.body))).toEqual({
      client_id: 'cid',
      client_secret: 'sec',
      grant_type: 'refresh_token',
      refresh_token: 'old-rt',
      user_type: 'Location',
    })
  })

  it('a refused refresh is a TokenRefreshError with the endpoint status', async () => {
    const fetch = async () => json(400, { statusCode: 400, message: 'Invalid grant: refresh token is invalid or has been used' })
    const refresh = oauthRefresher({ clientId: 'c', clientSecret: 's', baseUrl: 'http://mock', fetch })
    await expect(refresh({ accessToken: 'a', refreshToken: 'r' })).rejects.toMatchObject({ name: 'TokenRefreshError', kind: 'auth', status: 400 })
    await expect(refresh({ accessToken: 'a' })).rejects.toBeInstanceOf(TokenRefreshError)
  })
})

describe('short-lived tokens', () => {
  it('refreshes at half the lifetime when that is shorter than refreshBeforeMs', async () => {
    const clock = manualClock()
    let n = 0
    const tm = new TokenManager({
      now: clock.now,
      oauth: {
        accessToken: 'at-0',
        refreshToken: 'rt',
        expiresAt: T0 + 60_000, // a one-minute token
        refresh: async () => ({ accessToken: `at-${++n}`, refreshToken: 'rt', expiresAt: clock.now() + 60_000 }),
      },
    })
    expect(await tm.token()).toBe('at-0')
    clock.advance(29_000)
    expect(await tm.token()).toBe('at-0')
    clock.advance(2_000)
    expect(await tm.token()).toBe('at-1')
    expect(await tm.token()).toBe('at-1')
    expect(n).toBe(1)
  })
})

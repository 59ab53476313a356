/** Helpers for the auth tests: walk the OAuth flow through supertest. */
import { expect } from 'vitest'
import type { App } from '../../mock/auth/apps.ts'
import type { TestMock } from '../support/mock.ts'

export interface AuthorizeParams {
  response_type?: string
  client_id: string
  redirect_uri: string
  scope: string
  state?: string
  locationId?: string
  deny?: string
}

export function authorizeParams(app: App, extra: Partial<AuthorizeParams> = {}): AuthorizeParams {
  return { response_type: 'code', client_id: app.clientId, redirect_uri: app.redirectUris[0], scope: app.scopes.join(' '), state: 'st-123', ...extra }
}

/** GET /oauth/chooselocation; returns the redirect target's parameters when it redirected. */
export async function consent(m: TestMock, params: AuthorizeParams) {
  const res = await m.http.get('/oauth/chooselocation').query({ ...params })
  const location = res.headers.location as string | undefined
  return { res, redirect: location ? new URL(location) : undefined }
}

/** Consent then code exchange: the token endpoint's answer. */
export async function install(m: TestMock, app: App, opts: { locationId?: string; scope?: string; userType?: 'Location' | 'Company' } = {}) {
  const { res, redirect } = await consent(m, authorizeParams(app, { locationId: opts.locationId, ...(opts.scope ? { scope: opts.scope } : {}) }))
  expect(res.status, res.text).toBe(302)
  const code = redirect!.searchParams.get('code')!
  const token = await tokenRequest(m, {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'authorization_code',
    code,
    user_type: opts.userType ?? 'Location',
    redirect_uri: app.redirectUris[0],
  })
  expect(token.status, JSON.stringify(token.body)).toBe(200)
  return { code, body: token.body as Record<string, any> }
}

export function tokenRequest(m: TestMock, form: Record<string, string>) {
  return m.http.post('/oauth/token').type('form').send(form)
}

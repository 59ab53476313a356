/**
 * Auth through the control API: apps (OAuth clients), tokens (issue, list, revoke, expire)
 * and installs. For QA: reproduce every auth failure of the real API on purpose.
 */
import { badRequest, notFound } from '../errors.ts'
import type { App } from '../auth/apps.ts'
import type { Install, RefreshGrant } from '../auth/grants.ts'
import type { TokenRecord } from '../auth/tokens.ts'
import { defineHandlers } from '../handler.ts'
import type { MockState } from '../state.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function tokenView(t: TokenRecord) {
  return {
    access_token: t.token,
    token_type: 'Bearer' as const,
    kind: t.kind,
    userType: t.userType,
    locationId: t.locationId ?? null,
    companyId: t.companyId,
    scopes: t.scopes,
    appId: t.appId,
    expires_at: iso(t.expiresAt),
    revoked: t.revoked,
  }
}

export function refreshView(g: RefreshGrant) {
  return {
    refresh_token: g.refreshToken,
    refreshTokenId: g.refreshTokenId,
    clientId: g.clientId,
    userType: g.userType,
    locationId: g.locationId ?? null,
    companyId: g.companyId,
    scopes: g.scopes,
    issued_at: new Date(g.issuedAt).toISOString(),
    expires_at: new Date(g.expiresAt).toISOString(),
    used: g.usedAt !== null,
    revoked: g.revoked,
  }
}

export const appView = (a: App) => ({ ...a })

function installView(i: Install, state: MockState) {
  return { ...i, appName: state.apps.get(i.clientId)?.name ?? null, installedAt: new Date(i.installedAt).toISOString() }
}

/** The state of an access token, PIT or refresh token after a control change. */
function tokenState(token: string, state: MockState) {
  const access = state.tokens.find(token)
  if (access) return { token, tokenType: 'access_token' as const, kind: access.kind, revoked: access.revoked, expires_at: iso(access.expiresAt) }
  const refresh = state.grants.findRefresh(token)
  if (refresh) return { token, tokenType: 'refresh_token' as const, kind: 'oauth' as const, revoked: refresh.revoked, expires_at: iso(refresh.expiresAt) }
  return undefined
}

const unknownToken = (token: string) => notFound(`Token ${token} is not an access token, Private Integration Token or refresh token of this mock`)

export const authControlHandlers = defineHandlers({
  listApps: (_input, state) => ({ status: 200, body: { apps: state.apps.list().map(appView) } }),

  getApp({ params }, state) {
    const app = state.apps.get(params.clientId)
    if (!app) throw notFound(`App with client id ${params.clientId} not found`)
    return { status: 200, body: appView(app) }
  },

  registerApp({ body }, state) {
    if (body.clientId && state.apps.get(body.clientId)) throw badRequest(`An app with client id ${body.clientId} already exists`)
    try {
      return { status: 201, body: appView(state.apps.register(body, 'control')) }
    } catch (err) {
      throw badRequest((err as Error).message)
    }
  },

  updateApp({ params, body }, state) {
    if (!state.apps.get(params.clientId)) throw notFound(`App with client id ${params.clientId} not found`)
    try {
      return { status: 200, body: appView(state.apps.update(params.clientId, body)!) }
    } catch (err) {
      throw badRequest((err as Error).message)
    }
  },

  listInstalls({ query }, state) {
    const installs = state.grants.installs({ clientId: query.clientId, companyId: query.companyId, locationId: query.locationId })
    return { status: 200, body: { installs: installs.map((i) => installView(i, state)) } }
  },

  listTokens({ query }, state) {
    const match = (t: { locationId?: string; userType: string; appId?: string; clientId?: string }) =>
      (!query.locationId || t.locationId === query.locationId) &&
      (!query.userType || t.userType === query.userType) &&
      (!query.clientId || (t.appId ?? t.clientId) === query.clientId)
    const tokens = state.tokens.list().filter((t) => match(t) && (!query.kind || t.kind === query.kind))
    const refresh = query.kind === 'pit' ? [] : state.grants.listRefresh().filter(match)
    return { status: 200, body: { tokens: tokens.map(tokenView), refreshTokens: refresh.map(refreshView) } }
  },

  async issueToken({ body }, state) {
    const location = await state.store.getLocation(body.locationId)
    if (!location) throw badRequest(`Location with id ${body.locationId} not found`)
    let app: App | undefined
    if (body.clientId !== undefined) {
      app = state.apps.get(body.clientId)
      if (!app) throw badRequest(`App with client id ${body.clientId} not found`)
    }
    const kind = body.kind ?? (app ? 'oauth' : 'pit')
    if (kind === 'pit' && app) throw badRequest('A Private Integration Token belongs to no app: leave out clientId, or ask for kind oauth')
    if (kind === 'pit' && body.expiresIn !== undefined) throw badRequest('Private Integration Tokens never expire: leave out expiresIn')
    const userType = body.userType ?? 'Location'
    const token = state.tokens.issue({
      kind,
      userType,
      locationId: userType === 'Company' ? undefined : location.id,
      companyId: location.companyId,
      // Location tokens: every Contacts scope; Company tokens: every scope the spec names (oauth.* included).
      scopes: body.scopes ?? (userType === 'Company' ? state.allScopes : state.contactScopes),
      appId: app?.clientId,
      userId: location.users[0]?.id,
      ttlMs: kind === 'pit' ? null : (body.expiresIn ?? state.options.accessTokenTtlSeconds) * 1000,
    })
    return { status: 201, body: tokenView(token) }
  },

  revokeToken({ params }, state) {
    const { token } = params
    if (!state.tokens.revoke(token) && !state.grants.revokeRefresh(token)) throw unknownToken(token)
    return { status: 200, body: tokenState(token, state) }
  },

  expireToken({ params }, state) {
    const { token } = params
    const access = state.tokens.find(token)
    if (access?.kind === 'pit') throw badRequest('Private Integration Tokens never expire: revoke it instead (POST /__mock/tokens/{token}/revoke)')
    if (!state.tokens.expire(token) && !state.grants.expireRefresh(token)) throw unknownToken(token)
    return { status: 200, body: tokenState(token, state) }
  },
})

/**
 * The OAuth 2.0 endpoints (openapi/oauth.yaml): the consent page, the token endpoint
 * (authorization_code and refresh_token grants, rotating refresh tokens), agency →
 * location tokens and the installed locations. Errors use the GHL shape (errors.ts).
 */
import {
  EXPIRED_CODE,
  EXPIRED_REFRESH,
  INVALID_CODE,
  INVALID_REFRESH,
  OTHER_CLIENT_CODE,
  OTHER_CLIENT_REFRESH,
  REDIRECT_MISMATCH,
  USED_CODE,
  badRequest,
  refuse,
  unprocessable,
} from '../errors.ts'
import type { App } from '../auth/apps.ts'
import type { RefreshGrant } from '../auth/grants.ts'
import type { TokenRecord, UserType } from '../auth/tokens.ts'
import { defineHandlers, type HandlerResult, type ResultOf } from '../handler.ts'
import type { MockState } from '../state.ts'
import { chooseLocation, userIdOf } from './consent.ts'

type TokenAnswer = HandlerResult<ResultOf<'get-access-token'>>

/** Access token (and a fresh refresh token) for a grant subject; the answer /oauth/token sends. */
function issuePair(
  state: MockState,
  app: App,
  subject: Omit<RefreshGrant, 'refreshToken' | 'refreshTokenId' | 'issuedAt' | 'expiresAt' | 'usedAt' | 'revoked' | 'clientId'>,
): TokenAnswer {
  const ttl = state.options.accessTokenTtlSeconds
  const token = state.tokens.issue({
    kind: 'oauth',
    userType: subject.userType,
    locationId: subject.locationId,
    companyId: subject.companyId,
    scopes: subject.scopes,
    appId: app.clientId,
    userId: subject.userId,
    ttlMs: ttl * 1000,
  })
  const refresh = state.grants.createRefresh({ ...subject, clientId: app.clientId })
  const body: TokenAnswer['body'] = {
    access_token: token.token,
    token_type: 'Bearer',
    expires_in: ttl,
    refresh_token: refresh.refreshToken,
    refreshTokenId: refresh.refreshTokenId,
    scope: subject.scopes.join(' '),
    userType: subject.userType,
    companyId: subject.companyId,
    ...(subject.userType === 'Location' ? { locationId: subject.locationId } : { approvedLocations: subject.approvedLocations }),
    userId: subject.userId,
    isBulkInstallation: subject.userType === 'Company',
  }
  return { status: 200, body, headers: { 'cache-control': 'no-store' } }
}

function authorizationCodeGrant(body: Record<string, string | undefined>, app: App, state: MockState): TokenAnswer {
  if (!body.code) throw unprocessable(['code should not be empty'])
  const code = state.grants.findCode(body.code)
  if (!code) throw refuse('invalid-grant', INVALID_CODE)
  if (code.clientId !== app.clientId) throw refuse('invalid-grant', OTHER_CLIENT_CODE)
  if (code.usedAt !== null) throw refuse('invalid-grant', USED_CODE)
  if (code.expiresAt <= state.clock.now()) throw refuse('invalid-grant', EXPIRED_CODE)
  if (body.redirect_uri !== undefined && body.redirect_uri !== code.redirectUri) throw refuse('invalid-grant', REDIRECT_MISMATCH)
  const userType = (body.user_type ?? 'Location') as UserType
  if (userType === 'Company' && code.installedBy !== 'Company') {
    throw badRequest(
      `Invalid request: user_type Company needs an agency install, but this code comes from a sub-account install (app ${app.clientId} has distribution Location)`,
    )
  }
  state.grants.useCode(code.code)
  const pair = issuePair(state, app, {
    userType,
    locationId: userType === 'Location' ? code.locationId : undefined,
    companyId: code.companyId,
    approvedLocations: code.approvedLocations,
    scopes: code.scopes,
    userId: code.userId,
  })
  // INSTALL goes out once the app holds its token, as on the platform: the receiver can exchange it for location tokens.
  for (const locationId of code.approvedLocations) {
    state.webhooks.lifecycle('INSTALL', app, { locationId, companyId: code.companyId, installType: code.installedBy, userId: code.userId })
  }
  return pair
}

function refreshTokenGrant(body: Record<string, string | undefined>, app: App, state: MockState): TokenAnswer {
  if (!body.refresh_token) throw unprocessable(['refresh_token should not be empty'])
  const grant = state.grants.findRefresh(body.refresh_token)
  if (!grant || grant.revoked) throw refuse('invalid-grant', INVALID_REFRESH)
  if (grant.clientId !== app.clientId) throw refuse('invalid-grant', OTHER_CLIENT_REFRESH)
  if (grant.usedAt !== null) throw refuse('invalid-grant', INVALID_REFRESH)
  if (grant.expiresAt <= state.clock.now()) throw refuse('invalid-grant', EXPIRED_REFRESH)
  if (body.user_type !== undefined && body.user_type !== grant.userType) {
    throw badRequest(`Invalid request: user_type ${body.user_type} does not match the refresh token, which is for a ${grant.userType} token`)
  }
  state.grants.useRefresh(grant.refreshToken)
  const { userType, locationId, companyId, approvedLocations, scopes, userId } = grant
  return issuePair(state, app, { userType, locationId, companyId, approvedLocations, scopes, userId })
}

/** The registered app behind an OAuth token (undefined for tokens minted by the control API without clientId). */
const appOf = (token: TokenRecord, state: MockState) => state.apps.get(token.appId)

export const oauthHandlers = defineHandlers({
  'choose-location': chooseLocation,

  'get-access-token'({ body }, state) {
    const app = state.apps.get(body.client_id)
    if (!app) throw refuse('invalid-client', body.client_id, 'unknown')
    if (app.clientSecret !== body.client_secret) throw refuse('invalid-client', body.client_id, 'secret')
    switch (body.grant_type) {
      case 'authorization_code':
        return authorizationCodeGrant(body, app, state)
      case 'refresh_token':
        return refreshTokenGrant(body, app, state)
      default:
        throw badRequest(`Unsupported grant_type ${body.grant_type}: the mock supports authorization_code and refresh_token`)
    }
  },

  async 'get-location-access-token'({ body, auth }, state) {
    // The pipeline has checked: a Company token with oauth.write, companyId its own, locationId in that company.
    const token = auth!
    if (token.kind !== 'oauth') throw refuse('auth-class')
    const app = appOf(token, state)
    if (!app) throw badRequest('This token was not issued to a registered app (issue it with a clientId), so no location has installed its app.')
    if (state.grants.installs({ clientId: app.clientId, locationId: body.locationId }).length === 0) {
      throw badRequest(`The app ${app.clientId} is not installed on location ${body.locationId}.`)
    }
    const location = (await state.store.getLocation(body.locationId))!
    const ttl = state.options.accessTokenTtlSeconds
    const userId = token.userId ?? userIdOf(location)
    const issued = state.tokens.issue({
      kind: 'oauth',
      userType: 'Location',
      locationId: location.id,
      companyId: location.companyId,
      scopes: token.scopes,
      appId: app.clientId,
      userId,
      ttlMs: ttl * 1000,
    })
    return {
      status: 200,
      body: {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: ttl,
        scope: issued.scopes.join(' '),
        locationId: location.id,
        userId,
        appId: app.appId,
        versionId: app.versionId,
      },
      headers: { 'cache-control': 'no-store' },
    }
  },

  async 'get-installed-location'({ query, auth }, state) {
    const token = auth!
    const app = appOf(token, state)
    if (!app) throw badRequest('This token was not issued to a registered app (issue it with a clientId), so it has no installed locations.')
    if (query.appId !== app.appId && query.appId !== app.clientId) {
      throw badRequest(`appId ${query.appId} is not the app this token was issued to (${app.appId})`)
    }
    const installs = state.grants.installs({ clientId: app.clientId, companyId: token.companyId })
    const needle = typeof query.query === 'string' ? query.query.toLowerCase() : undefined
    const rows = (await state.store.listLocations())
      .filter((l) => l.companyId === token.companyId)
      .map((l) => {
        const install = installs.find((i) => i.locationId === l.id)
        return {
          _id: l.id,
          name: l.name,
          address: (l as { address?: string }).address ?? '',
          isInstalled: Boolean(install),
          ...(install ? { versionId: app.versionId, installedAt: new Date(install.installedAt).toISOString() } : {}),
        }
      })
      .filter((r) => query.locationId === undefined || r._id === query.locationId)
      .filter((r) => query.isInstalled === undefined || r.isInstalled === query.isInstalled)
      .filter((r) => !needle || r.name.toLowerCase().includes(needle))
      // The mock knows no trials (versionId and planId are accepted and ignored).
      .filter(() => query.onTrial !== true)
    const skip = query.skip ?? 0
    const limit = query.limit ?? 20
    return { status: 200, body: { locations: rows.slice(skip, skip + limit), count: rows.length } }
  },
})

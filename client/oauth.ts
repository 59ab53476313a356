/**
 * HighLevel's token endpoint (`POST /oauth/token`, form encoded) as a RefreshFunction,
 * typed from openapi/generated/oauth.ts.
 *
 * The refresh is sent once and never retried by the client: refresh tokens rotate, so a
 * repeated request after an ambiguous failure could spend the new refresh token too.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from '../openapi/generated/oauth.ts'
import type { OAuthTokens, RefreshFunction } from './auth.ts'
import { TokenRefreshError, errorFromResponse } from './errors.ts'
import type { Now } from './time.ts'
import { DEFAULT_BASE_URL } from './defaults.ts'

export type TokenResponse = components['schemas']['GetAccessCodeSuccessfulResponseDto']

export interface OAuthRefresherOptions {
  clientId: string
  clientSecret: string
  /** `Location` (sub-account, the default) or `Company` (agency). */
  userType?: 'Location' | 'Company'
  baseUrl?: string
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  now?: Now
}

/** Turns a token endpoint answer into OAuthTokens (expiresAt from `expires_in`). */
export function tokensFromResponse(body: TokenResponse, now: number): OAuthTokens {
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: now + body.expires_in * 1000 }
}

function tokenEndpoint(options: { baseUrl?: string; fetch?: OAuthRefresherOptions['fetch'] }) {
  const fetchImpl = options.fetch ?? globalThis.fetch
  return createClient<paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    fetch: (request: Request) => fetchImpl(request),
    bodySerializer: (body) => new URLSearchParams(Object.entries(body as unknown as Record<string, string>).filter(([, v]) => v !== undefined)).toString(),
  })
}

function refused(what: string, response: Response, error: unknown): TokenRefreshError {
  const apiError = errorFromResponse(response.status, error, { operation: 'get-access-token', method: 'POST' })
  return new TokenRefreshError(`The token endpoint refused ${what} (${response.status}): ${apiError.message}`, {
    cause: apiError,
    status: response.status,
    messages: apiError.messages,
    operation: 'get-access-token',
  })
}

const unreachable = (err: unknown) =>
  new TokenRefreshError(`The token endpoint could not be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err })

export interface CodeExchangeOptions extends OAuthRefresherOptions {
  /** The one-time `code` the consent page redirected back with. */
  code: string
  /** The redirect URI the consent started with (required when the app has several). */
  redirectUri?: string
}

/** What an install leaves: the first tokens, and the location (or company) they are for. */
export interface Installation {
  tokens: OAuthTokens
  /** Present for a `Location` install; a `Company` install has `companyId` only. */
  locationId?: string
  companyId?: string
}

type Grant = { grant_type: 'authorization_code'; code: string; redirect_uri?: string } | { grant_type: 'refresh_token'; refresh_token: string }

/** One `POST /oauth/token`: both grants send the app's credentials and user type, and fail the same way. */
async function requestTokens(
  api: ReturnType<typeof tokenEndpoint>,
  options: OAuthRefresherOptions,
  grant: Grant,
  what: string,
  signal?: AbortSignal,
): Promise<TokenResponse> {
  let result
  try {
    result = await api.POST('/oauth/token', {
      body: { client_id: options.clientId, client_secret: options.clientSecret, user_type: options.userType ?? 'Location', ...grant },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      signal,
    })
  } catch (err) {
    throw unreachable(err)
  }
  if (result.error !== undefined || !result.data) throw refused(what, result.response, result.error)
  return result.data
}

/**
 * The install's second half: the app's OAuth callback exchanges the authorization `code`
 * at `POST /oauth/token` for the location's first access and refresh tokens. Persist
 * `tokens` (and every set `onTokens` hands over later: refresh tokens rotate).
 */
export async function exchangeAuthorizationCode(options: CodeExchangeOptions): Promise<Installation> {
  const now = options.now ?? Date.now
  const grant: Grant = { grant_type: 'authorization_code', code: options.code, ...(options.redirectUri !== undefined && { redirect_uri: options.redirectUri }) }
  const data = await requestTokens(tokenEndpoint(options), options, grant, 'the code')
  const { locationId, companyId } = data
  return { tokens: tokensFromResponse(data, now()), ...(locationId && { locationId }), ...(companyId && { companyId }) }
}

export function oauthRefresher(options: OAuthRefresherOptions): RefreshFunction {
  const now = options.now ?? Date.now
  const api = tokenEndpoint(options)
  return async (current, signal) => {
    if (!current.refreshToken) throw new TokenRefreshError('No refresh token to refresh the access token with')
    const data = await requestTokens(api, options, { grant_type: 'refresh_token', refresh_token: current.refreshToken }, 'the refresh', signal)
    return tokensFromResponse(data, now())
  }
}

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

export function oauthRefresher(options: OAuthRefresherOptions): RefreshFunction {
  const now = options.now ?? Date.now
  const fetchImpl = options.fetch ?? globalThis.fetch
  const api = createClient<paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    fetch: (request: Request) => fetchImpl(request),
    bodySerializer: (body) => new URLSearchParams(Object.entries(body as unknown as Record<string, string>).filter(([, v]) => v !== undefined)).toString(),
  })
  return async (current, signal) => {
    if (!current.refreshToken) throw new TokenRefreshError('No refresh token to refresh the access token with')
    let result
    try {
      result = await api.POST('/oauth/token', {
        body: {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: current.refreshToken,
          user_type: options.userType ?? 'Location',
        },
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        signal,
      })
    } catch (err) {
      throw new TokenRefreshError(`The token endpoint could not be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
    if (result.error !== undefined || !result.data) {
      const apiError = errorFromResponse(result.response.status, result.error, { operation: 'get-access-token', method: 'POST' })
      throw new TokenRefreshError(`The token endpoint refused the refresh (${result.response.status}): ${apiError.message}`, {
        cause: apiError,
        status: result.response.status,
        messages: apiError.messages,
        operation: 'get-access-token',
      })
    }
    return tokensFromResponse(result.data, now())
  }
}

/**
 * The install: HighLevel redirects the user back to the app's redirect URI with a
 * one-time `code`; the app's callback exchanges it at POST /oauth/token for the first
 * access and refresh tokens of that location.
 */
import { tokensFromResponse, type OAuthTokens } from 'ghl-contacts-mock/client'

type TokenResponse = Parameters<typeof tokensFromResponse>[0]

export interface CodeExchange {
  baseUrl: string
  clientId: string
  clientSecret: string
  code: string
  redirectUri?: string
  now?: () => number
}

export interface Installation {
  tokens: OAuthTokens
  locationId: string
}

export async function exchangeCode(x: CodeExchange): Promise<Installation> {
  const form = new URLSearchParams({
    client_id: x.clientId,
    client_secret: x.clientSecret,
    grant_type: 'authorization_code',
    code: x.code,
    user_type: 'Location',
    ...(x.redirectUri && { redirect_uri: x.redirectUri }),
  })
  const res = await fetch(`${x.baseUrl}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })
  if (!res.ok) throw new Error(`The token endpoint refused the code (${res.status}): ${await res.text()}`)
  const body = (await res.json()) as TokenResponse
  if (!body.locationId) throw new Error('The install is not bound to a location (a Company token?): exchange it for a location token first')
  return { tokens: tokensFromResponse(body, (x.now ?? Date.now)()), locationId: body.locationId }
}

/**
 * The HighLevel side of the connector: the kit's typed client on OAuth tokens, refreshed
 * before they expire (and once on a 401), with the rotated refresh token handed back
 * for storage. The client paces itself by the X-RateLimit-* headers and retries what is
 * safe to repeat, so the connector's own code never sees a 429 or a passing 503.
 */
import { createGhlClient, oauthRefresher, type GhlClient, type GhlClientEvent, type Now, type OAuthTokens, type Sleep } from 'ghl-contacts-mock/client'

export interface GhlConnection {
  /** API root: the real API, or the mock's URL in tests. */
  baseUrl: string
  /** The marketplace app's credentials. */
  clientId: string
  clientSecret: string
  /** Tokens from the install (see oauth.ts) or from storage. */
  tokens: OAuthTokens
  /** Persist every new token set: refresh tokens rotate, the old one stops working. */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>
  now?: Now
  sleep?: Sleep
  log?: (event: GhlClientEvent) => void
}

export function connectGhl(c: GhlConnection): GhlClient {
  return createGhlClient({
    baseUrl: c.baseUrl,
    oauth: {
      ...c.tokens,
      refresh: oauthRefresher({ clientId: c.clientId, clientSecret: c.clientSecret, baseUrl: c.baseUrl, ...(c.now && { now: c.now }) }),
      ...(c.onTokens && { onTokens: c.onTokens }),
    },
    timeoutMs: 10_000,
    ...(c.now && { now: c.now }),
    ...(c.sleep && { sleep: c.sleep }),
    ...(c.log && { log: c.log }),
  })
}

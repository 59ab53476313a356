/**
 * The bearer token of each request: a Private Integration Token, a token provider, or
 * OAuth tokens with a refresh function.
 *
 * OAuth: the access token is refreshed shortly before it expires (proactively) and once
 * when the API answers 401 for it; every request waiting at that moment shares the one
 * refresh (refresh tokens rotate: two refreshes with the same token would fail). A
 * failed refresh is a `TokenRefreshError` (kind `auth`).
 */
import { TokenRefreshError, isGhlError } from './errors.ts'
import type { Now } from './time.ts'

export interface OAuthTokens {
  accessToken: string
  refreshToken?: string
  /** Epoch ms when the access token expires (from `expires_in`); unknown: refreshed only on a 401. */
  expiresAt?: number
}

/** Exchanges the current refresh token for new tokens (see `oauthRefresher` for HighLevel's endpoint). */
export type RefreshFunction = (current: OAuthTokens, signal?: AbortSignal) => Promise<OAuthTokens>

export interface OAuthOptions extends OAuthTokens {
  refresh: RefreshFunction
  /** Called with every new token set: persist the rotated refresh token here. */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>
  /** Refresh this long before `expiresAt` (default 5 minutes). */
  refreshBeforeMs?: number
}

/** A static token (PIT or access token), or a function asked for the token before every request. */
export type TokenSource = string | ((signal?: AbortSignal) => string | Promise<string>)

export type RefreshReason = 'proactive' | 'rejected'

export interface TokenManagerOptions {
  token?: TokenSource
  oauth?: OAuthOptions
  now?: Now
  onRefresh?: (info: { reason: RefreshReason; ok: boolean; error?: unknown }) => void
}

export class TokenManager {
  private tokens?: OAuthTokens
  private readonly source?: TokenSource
  private readonly oauth?: OAuthOptions
  private readonly now: Now
  private readonly onRefresh?: TokenManagerOptions['onRefresh']
  private refreshing?: Promise<OAuthTokens>
  /** When the current tokens were received: with expiresAt, their lifetime. */
  private receivedAt = 0

  constructor(options: TokenManagerOptions) {
    if (!options.token && !options.oauth) throw new TypeError('createGhlClient: pass `token` (a Private Integration Token or a token provider) or `oauth`')
    if (options.token && options.oauth) throw new TypeError('createGhlClient: pass either `token` or `oauth`, not both')
    this.source = options.token
    this.oauth = options.oauth
    this.now = options.now ?? Date.now
    this.onRefresh = options.onRefresh
    if (options.oauth) {
      const { accessToken, refreshToken, expiresAt } = options.oauth
      this.tokens = { accessToken, refreshToken, expiresAt }
      this.receivedAt = this.now()
    }
  }

  /** The OAuth tokens as they are now (after any refresh). */
  get current(): OAuthTokens | undefined {
    return this.tokens && { ...this.tokens }
  }

  /** The token to send now; refreshes first when an OAuth token is about to expire. */
  async token(signal?: AbortSignal): Promise<string> {
    if (this.source !== undefined) return typeof this.source === 'string' ? this.source : await this.source(signal)
    const tokens = this.tokens!
    if (tokens.expiresAt === undefined || this.now() < tokens.expiresAt - this.margin(tokens.expiresAt)) return tokens.accessToken
    try {
      return (await this.refresh('proactive', signal)).accessToken
    } catch (err) {
      // Still valid for a while: use it and try again on the next request.
      if (tokens.expiresAt !== undefined && this.now() < tokens.expiresAt && this.tokens === tokens) return tokens.accessToken
      throw err
    }
  }

  /** Refresh this long before expiry: `refreshBeforeMs` (5 min), but at most half the token's lifetime. */
  private margin(expiresAt: number): number {
    const wanted = this.oauth!.refreshBeforeMs ?? 5 * 60_000
    const lifetime = expiresAt - this.receivedAt
    return lifetime > 0 ? Math.min(wanted, lifetime / 2) : wanted
  }

  /**
   * The API refused `rejected` with a 401: the token to retry with, or undefined when
   * there is nothing new to try (a static token, or a provider that gives the same one).
   */
  async afterRejection(rejected: string, signal?: AbortSignal): Promise<string | undefined> {
    if (this.source !== undefined) {
      if (typeof this.source === 'string') return undefined
      const next = await this.source(signal)
      return next !== rejected ? next : undefined
    }
    // Someone else refreshed since this request was sent: just use the new token.
    if (this.tokens!.accessToken !== rejected) return this.tokens!.accessToken
    return (await this.refresh('rejected', signal)).accessToken
  }

  private refresh(reason: RefreshReason, signal?: AbortSignal): Promise<OAuthTokens> {
    this.refreshing ??= (async () => {
      try {
        const next = await Promise.resolve().then(() => this.oauth!.refresh({ ...this.tokens! }, signal))
        if (!next?.accessToken) throw new TokenRefreshError('The refresh function returned no access token')
        this.tokens = { accessToken: next.accessToken, refreshToken: next.refreshToken ?? this.tokens!.refreshToken, expiresAt: next.expiresAt }
        this.receivedAt = this.now()
        this.onRefresh?.({ reason, ok: true })
        await this.oauth!.onTokens?.({ ...this.tokens })
        return this.tokens
      } catch (err) {
        this.onRefresh?.({ reason, ok: false, error: err })
        if (err instanceof TokenRefreshError) throw err
        const message = err instanceof Error ? err.message : String(err)
        throw new TokenRefreshError(`Refreshing the access token failed: ${message}`, {
          cause: err,
          status: isGhlError(err) ? err.status : undefined,
          messages: isGhlError(err) ? err.messages : undefined,
        })
      } finally {
        this.refreshing = undefined
      }
    })()
    return this.refreshing
  }
}

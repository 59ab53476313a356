/**
 * The HighLevel Contacts API v2 client: typed from our spec (openapi-fetch over the
 * generated types), paced by the rate-limit headers, retrying what is safe, refreshing
 * OAuth tokens, paging for you.
 *
 *   const ghl = createGhlClient({ token: process.env.GHL_TOKEN })
 *   for await (const c of ghl.contacts.searchAll({ locationId, filters })) …
 */
import createClient from 'openapi-fetch'
import { TokenManager, type OAuthOptions, type OAuthTokens, type TokenSource } from './auth.ts'
import { DEFAULT_BASE_URL, DEFAULT_VERSION } from './defaults.ts'
import type { GhlClientEvent } from './events.ts'
import { RateLimiter, type RateLimiterOptions, type RateLimiterState } from './pacing.ts'
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts'
import { guardedSleep, realSleep, type Now, type Sleep } from './time.ts'
import { Transport, type FetchFunction } from './transport.ts'
import type { ApiVersion, paths } from './types.ts'
import type { ApiContext } from './resources/call.ts'
import { oauthRefresher } from './oauth.ts'
import { contactsResource } from './resources/contacts.ts'
import { tasksResource } from './resources/tasks.ts'
import { notesResource } from './resources/notes.ts'
import { tagsResource } from './resources/tags.ts'
import { followersResource } from './resources/followers.ts'
import { campaignsResource } from './resources/campaigns.ts'
import { workflowsResource } from './resources/workflows.ts'
import { businessesResource } from './resources/businesses.ts'
import { appointmentsResource } from './resources/appointments.ts'

export interface GhlClientOptions {
  /** API root (default: the real API, https://services.leadconnectorhq.com; the mock: its URL, e.g. MOCK_BASE_URL). */
  baseUrl?: string
  /** `Version` header (default 2021-07-28). */
  version?: ApiVersion
  /** A Private Integration Token (or any fixed access token), or a function that returns the token for each request. */
  token?: TokenSource
  /** OAuth tokens and the function that refreshes them (see `oauthRefresher`). */
  oauth?: OAuthOptions
  /** Per-attempt timeout in ms (default 30 000; 0 disables). */
  timeoutMs?: number
  /** Cancels every request of this client (e.g. on shutdown); calls also take their own `signal`. */
  signal?: AbortSignal
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: FetchFunction
  retry?: Partial<RetryPolicy>
  /** Pacing knobs: concurrency, reserve, margin. */
  pacing?: Pick<RateLimiterOptions, 'maxConcurrency' | 'reserve' | 'marginMs'>
  /** Share one budget between clients that use the same app on the same location. */
  rateLimiter?: RateLimiter
  /** Clock for pacing, backoff and token expiry (default Date.now). */
  now?: Now
  /** Waits for pacing and backoff (default: real timers). Tests pass one that moves a mock clock. */
  sleep?: Sleep
  /** Random source for jitter (default Math.random). */
  random?: () => number
  /** Logging hook: every request, answer, retry, wait and token refresh. */
  log?: (event: GhlClientEvent) => void
  userAgent?: string
}

export function createGhlClient(options: GhlClientOptions) {
  const now = options.now ?? Date.now
  const sleep = guardedSleep(options.sleep ?? realSleep)
  const log = options.log
  const safeLog = log
    ? (event: GhlClientEvent) => {
        try {
          log(event)
        } catch {
          // A logging hook must never break a request.
        }
      }
    : undefined
  const limiter = options.rateLimiter ?? new RateLimiter({ now, sleep, ...options.pacing, onWait: safeLog && ((w) => safeLog({ type: 'wait', ...w })) })
  const tokens = new TokenManager({
    token: options.token,
    oauth: options.oauth,
    now,
    onRefresh: safeLog && ((r) => safeLog({ type: 'token-refresh', ...r })),
  })
  const fetchImpl: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const transport = new Transport({
    fetch: fetchImpl,
    limiter,
    tokens,
    retry: { ...defaultRetryPolicy, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now,
    sleep,
    random: options.random ?? Math.random,
    log: safeLog,
    userAgent: options.userAgent,
  })
  const ctx: ApiContext = {
    api: createClient<paths>({ baseUrl: options.baseUrl ?? DEFAULT_BASE_URL }),
    transport,
    version: options.version ?? DEFAULT_VERSION,
    signal: options.signal,
    now,
  }
  return {
    contacts: contactsResource(ctx),
    tasks: tasksResource(ctx),
    notes: notesResource(ctx),
    tags: tagsResource(ctx),
    followers: followersResource(ctx),
    campaigns: campaignsResource(ctx),
    workflows: workflowsResource(ctx),
    businesses: businessesResource(ctx),
    appointments: appointmentsResource(ctx),
    /** What the client knows about its rate-limit budget right now. */
    rateLimit: (): RateLimiterState => limiter.state(),
    /** The current OAuth tokens (after refreshes); undefined with `token`. */
    tokens: (): OAuthTokens | undefined => tokens.current,
  }
}

export type GhlClient = ReturnType<typeof createGhlClient>

export interface OAuthClientOptions extends Omit<GhlClientOptions, 'token' | 'oauth'> {
  /** The marketplace app's credentials. */
  clientId: string
  clientSecret: string
  /** The install's tokens (`exchangeAuthorizationCode`) or the last set you stored. */
  tokens: OAuthTokens
  /** Who the tokens belong to: `Location` (the default) or `Company` (an agency install); refreshes ask for the same. */
  userType?: 'Location' | 'Company'
  /** Persist every new token set: refresh tokens rotate, the old one stops working. */
  onTokens?: OAuthOptions['onTokens']
  refreshBeforeMs?: number
}

/**
 * A client on an app's OAuth tokens, refreshed at the same token endpoint (`baseUrl`)
 * before they expire and once on a 401: what every marketplace connector wires up.
 */
export function createOAuthClient(options: OAuthClientOptions): GhlClient {
  const { clientId, clientSecret, userType, tokens, onTokens, refreshBeforeMs, ...rest } = options
  const { fetch: fetchImpl } = rest
  const refresh = oauthRefresher({
    clientId,
    clientSecret,
    ...(userType !== undefined && { userType }),
    ...(rest.baseUrl !== undefined && { baseUrl: rest.baseUrl }),
    ...(rest.now !== undefined && { now: rest.now }),
    // Refreshes take the same way out as the API calls (a proxy, an in-process app).
    ...(fetchImpl !== undefined && {
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const req = new Request(input, init)
        return fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.method === 'GET' ? undefined : await req.text() })
      },
    }),
  })
  return createGhlClient({ ...rest, oauth: { ...tokens, refresh, ...(onTokens && { onTokens }), ...(refreshBeforeMs !== undefined && { refreshBeforeMs }) } })
}

export { GhlError, TokenRefreshError, isGhlError, type GhlErrorKind } from './errors.ts'
export { RateLimiter, type RateLimiterOptions, type RateLimiterState } from './pacing.ts'
export { defaultRetryPolicy, type RetryPolicy } from './retry.ts'
export type { OAuthOptions, OAuthTokens, RefreshFunction, TokenSource } from './auth.ts'
export {
  oauthRefresher,
  tokensFromResponse,
  exchangeAuthorizationCode,
  type OAuthRefresherOptions,
  type CodeExchangeOptions,
  type Installation,
  type TokenResponse,
} from './oauth.ts'
export {
  createContactTriggers,
  CONTACT_TRIGGER_EVENTS,
  type ContactTriggerOptions,
  type ContactTriggers,
  type ContactTriggerEvent,
} from './contact-triggers.ts'
export { DEFAULT_BASE_URL, DEFAULT_VERSION, MOCK_BASE_URL } from './defaults.ts'
export type { GhlClientEvent } from './events.ts'
export type { RateLimitSnapshot } from './ratelimit-headers.ts'
export type { Sleep, Now } from './time.ts'
export type { FetchFunction } from './transport.ts'
export type { SearchAllParams, ListAllParams } from './paging.ts'
export {
  verifyWebhookSignature,
  verifyLegacyWebhookSignature,
  createWebhookVerifier,
  createWebhookHandler,
  WebhookVerificationError,
  WebhookRetryLater,
  ReplayGuard,
  type WebhookVerifierOptions,
  type WebhookHandlerOptions,
  type WebhookAnswer,
} from './webhooks.ts'
export type * from './webhook-events.ts'
export type * from './types.ts'

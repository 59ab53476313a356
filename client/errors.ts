/**
 * One error type for everything the client can fail with, so connectors branch on
 * meaning (`err.kind`), not on message strings.
 */
import type { RateLimitSnapshot } from './ratelimit-headers.ts'

export type GhlErrorKind =
  | 'auth' // 401: missing, invalid, revoked or expired token (or a failed refresh)
  | 'scope' // 401: the token lacks the operation's scope
  | 'location' // 403: the token may not touch this location (or company)
  | 'not-found' // 404, or the API's 400 "… not found" for unknown ids
  | 'validation' // 422 (every violated constraint in `messages`), other 400s, 413, 415
  | 'duplicate' // 400 "This location does not allow duplicated contacts." (see existingContactId)
  | 'rate-limit' // 429 for the burst window (retried by the client; surfaces only when retries run out)
  | 'quota' // daily quota exhausted: never retried
  | 'server' // 5xx
  | 'network' // connection failures, timeouts, malformed responses

/** What a GhlError carries besides its message: every field, listed once. */
export interface GhlErrorFields {
  kind: GhlErrorKind
  /** HTTP status; undefined for network errors and errors raised before sending. */
  status?: number
  /** Every message the API returned (422 lists each violated constraint). */
  messages: string[]
  /** The error body's `meta` (duplicate errors carry `contactId`, `contactName`, `matchingField`). */
  meta?: Record<string, unknown>
  /** The spec's operationId of the request, e.g. `create-contact`. */
  operation?: string
  method?: string
  url?: string
  /** How many times the request was sent (0: never sent). */
  attempts: number
  /** True when a write may have been applied although the call failed (ambiguous failure of a non-retry-safe request). */
  maybeApplied: boolean
  /** The request timed out (kind `network`). */
  timeout: boolean
  rateLimit?: RateLimitSnapshot
  /** The parsed error body as the API sent it. */
  body?: unknown
}

const DEFAULTS = { attempts: 0, maybeApplied: false, timeout: false }
type Defaulted = keyof typeof DEFAULTS | 'messages'

export type GhlErrorInit = Omit<GhlErrorFields, Defaulted> & Partial<Pick<GhlErrorFields, Defaulted>> & { message: string; cause?: unknown }

// The class takes its fields from GhlErrorFields (declaration merging), so they are not listed again.
export interface GhlError extends Readonly<GhlErrorFields> {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above lends the class its fields on purpose
export class GhlError extends Error {
  override readonly name: string = 'GhlError'

  constructor(init: GhlErrorInit) {
    const { message, cause, ...fields } = init
    super(message, cause === undefined ? undefined : { cause })
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
    Object.assign(this, DEFAULTS, { messages: [message] }, given)
  }

  /** For `duplicate` errors: the id of the contact that already has this email or phone. */
  get existingContactId(): string | undefined {
    const id = this.meta?.contactId
    return typeof id === 'string' ? id : undefined
  }
}

export class TokenRefreshError extends GhlError {
  override readonly name = 'TokenRefreshError'
  constructor(message: string, init: Partial<GhlErrorInit> = {}) {
    super({ ...init, kind: 'auth', message })
  }
}

/** Everything a GhlError was built from. */
export function errorInit(err: GhlError): GhlErrorInit {
  const { name: _name, ...fields } = { ...err }
  return { ...(fields as GhlErrorFields), message: err.message, cause: err.cause }
}

/** The same error (same class) with more details, e.g. the request it belongs to. */
export function withDetails<E extends GhlError>(err: E, extra: Partial<GhlErrorInit>): E {
  const init = { ...errorInit(err), ...extra }
  const next = err instanceof TokenRefreshError ? new TokenRefreshError(init.message, init) : new GhlError(init)
  if (err.stack) next.stack = err.stack
  return next as E
}

export const isGhlError = (err: unknown): err is GhlError => err instanceof GhlError

const EXPIRED_RE = /expired/i
const SCOPE_RE = /not authorized for this scope|authClass type is not allowed/i
const NOT_FOUND_RE = /not\s*found/i
const VERSION_RE = /version header/i
const DUPLICATE_RE = /does not allow duplicated contacts/i

function messagesOf(body: unknown, fallback: string): string[] {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message
    if (Array.isArray(m)) return m.map(String)
    if (typeof m === 'string' && m !== '') return [m]
  }
  if (typeof body === 'string' && body.trim() !== '') return [body.trim().slice(0, 500)]
  return [fallback]
}

/** Daily quota is spent when the daily-remaining header says 0. */
export function isQuotaExhausted(rateLimit?: RateLimitSnapshot): boolean {
  return rateLimit?.dailyRemaining !== undefined && rateLimit.dailyRemaining <= 0
}

/** Maps an HTTP error answer to its kind. */
export function kindOf(status: number, messages: string[], meta?: Record<string, unknown>, rateLimit?: RateLimitSnapshot): GhlErrorKind {
  const text = messages.join(' ')
  // A missing or unpublished Version header is the caller's mistake, not an auth problem.
  if (status === 401 && VERSION_RE.test(text)) return 'validation'
  if (status === 401) return SCOPE_RE.test(text) ? 'scope' : 'auth'
  if (status === 403) return 'location'
  if (status === 404) return 'not-found'
  if (status === 422 || status === 413 || status === 415) return 'validation'
  if (status === 429) return isQuotaExhausted(rateLimit) ? 'quota' : 'rate-limit'
  if (status >= 500) return 'server'
  if (status === 400) {
    if (typeof meta?.contactId === 'string' || DUPLICATE_RE.test(text)) return 'duplicate'
    if (NOT_FOUND_RE.test(text)) return 'not-found'
    return 'validation'
  }
  return 'validation'
}

/** Builds the GhlError for an HTTP error answer. */
export function errorFromResponse(status: number, body: unknown, context: Partial<GhlErrorInit> = {}): GhlError {
  const rateLimit = context.rateLimit
  const messages = messagesOf(body, `HTTP ${status}`)
  const rawMeta = body && typeof body === 'object' ? (body as { meta?: unknown }).meta : undefined
  const meta = rawMeta && typeof rawMeta === 'object' && !Array.isArray(rawMeta) ? (rawMeta as Record<string, unknown>) : undefined
  const kind = kindOf(status, messages, meta, rateLimit)
  return new GhlError({ ...context, kind, status, message: messages.join('; '), messages, meta, body })
}

/** True for a 401 that says the access token expired (the client refreshes and retries once). */
export function isExpiredTokenError(err: GhlError): boolean {
  return err.kind === 'auth' && err.status === 401 && EXPIRED_RE.test(err.message)
}

/** What the client reports to the `log` hook: one event per step worth a log line or a metric. */
import type { GhlError } from './errors.ts'
import type { RateLimitSnapshot } from './ratelimit-headers.ts'
import type { RateLimiterState } from './pacing.ts'

interface RequestInfo {
  /** The spec's operationId. */
  operation: string
  method: string
  url: string
  /** 1 for the first send of a call. */
  attempt: number
}

export type GhlClientEvent =
  | ({ type: 'request' } & RequestInfo)
  | ({ type: 'response'; status: number; durationMs: number; rateLimit?: RateLimitSnapshot } & RequestInfo)
  /** The call will be sent again after `delayMs` (0 after a token refresh; a 429's wait is the limiter's). */
  | ({ type: 'retry'; delayMs: number; error: GhlError } & RequestInfo)
  /** The call failed for good. */
  | ({ type: 'error'; error: GhlError } & RequestInfo)
  /** The shared budget is spent (or a 429 closed it): nothing is sent for `waitMs`. */
  | { type: 'wait'; waitMs: number; reason: 'budget' | 'rate-limited'; state: RateLimiterState }
  | { type: 'token-refresh'; reason: 'proactive' | 'rejected'; ok: boolean; error?: unknown }

/**
 * When to try a request again, and how long to wait first.
 *
 * - Retried: 429 (burst window), 502/503/504, network failures and timeouts.
 * - Never retried: daily quota (kind `quota`), 4xx other than 429 (the expiry 401 is
 *   handled by the auth layer: refresh once, then one more try).
 * - Writes: a request that is not retry-safe (creates: POST /contacts/, tasks, notes,
 *   workflow enrolment …) is retried only when the failure proves it was not applied:
 *   a 429, or a connection that was refused before anything was sent. After a 5xx,
 *   a reset connection, a timeout or a malformed answer the write may have happened,
 *   so the error surfaces with `maybeApplied: true` instead.
 */
import type { GhlError } from './errors.ts'

export interface RetryPolicy {
  /** Attempts in all, the first one included (default 5). */
  maxAttempts: number
  /** Backoff base: the cap of the first retry's delay (default 500 ms). */
  baseDelayMs: number
  /** Cap of any backoff delay (default 30 s). */
  maxDelayMs: number
  /** No retry starts later than this after the first attempt (default 120 s). */
  maxElapsedMs: number
  /** Extra random wait added to a 429's window wait, at most this (default 1 s). */
  rateLimitJitterMs: number
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
  rateLimitJitterMs: 1_000,
}

export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504])

/** Exponential backoff with full jitter: uniform in [0, min(maxDelay, base · 2^(retry-1))]. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
  return Math.floor(random() * cap)
}

/** The wait after a 429: Retry-After when the server sent one, else the window length, plus jitter. */
export function rateLimitDelay(
  info: { retryAfterMs?: number; intervalMs?: number },
  policy: Pick<RetryPolicy, 'rateLimitJitterMs' | 'baseDelayMs'>,
  random: () => number = Math.random,
): number {
  const base = info.retryAfterMs ?? info.intervalMs ?? policy.baseDelayMs
  return Math.ceil(base + random() * policy.rateLimitJitterMs)
}

/** What the transport knows about a failed attempt. */
export interface FailedAttempt {
  error: GhlError
  /** Whether the request may have reached the server (false: connection refused, DNS failure …). */
  sent: boolean
}

/** Whether this failure may be retried for a request that is (or is not) retry-safe. */
export function isRetryable(failure: FailedAttempt, retrySafe: boolean): boolean {
  const { error, sent } = failure
  if (error.kind === 'quota') return false
  if (error.kind === 'rate-limit') return true // a 429 is refused before anything happens
  if (error.kind === 'network') return retrySafe || !sent
  if (error.kind === 'server') return retrySafe && error.status !== undefined && RETRYABLE_STATUSES.has(error.status)
  return false
}

import { describe, expect, it } from 'vitest'
import { GhlError } from '../../client/errors.ts'
import { backoffDelay, defaultRetryPolicy, isRetryable, rateLimitDelay } from '../../client/retry.ts'

const err = (kind: GhlError['kind'], status?: number) => new GhlError({ kind, status, message: kind })

describe('backoff', () => {
  it('full jitter: uniform below an exponentially growing cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 }
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99)
    expect(backoffDelay(2, policy, () => 0.999)).toBe(199)
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399)
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999)
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('a 429 waits for Retry-After when present, else for the window, plus jitter', () => {
    expect(rateLimitDelay({ retryAfterMs: 3_000, intervalMs: 10_000 }, defaultRetryPolicy, () => 0.5)).toBe(3_500)
    expect(rateLimitDelay({ intervalMs: 10_000 }, defaultRetryPolicy, () => 0)).toBe(10_000)
  })
})

describe('what is retried', () => {
  it('429 always (refused before anything happened); quota never', () => {
    expect(isRetryable({ error: err('rate-limit', 429), sent: true }, false)).toBe(true)
    expect(isRetryable({ error: err('quota', 429), sent: true }, true)).toBe(false)
  })

  it('502/503/504 only when retry-safe', () => {
    for (const status of [502, 503, 504]) {
      expect(isRetryable({ error: err('server', status), sent: true }, true)).toBe(true)
      expect(isRetryable({ error: err('server', status), sent: true }, false)).toBe(false)
    }
    expect(isRetryable({ error: err('server', 500), sent: true }, true)).toBe(false)
  })

  it('network errors: always when nothing was sent, else only when retry-safe', () => {
    expect(isRetryable({ error: err('network'), sent: false }, false)).toBe(true)
    expect(isRetryable({ error: err('network'), sent: true }, false)).toBe(false)
    expect(isRetryable({ error: err('network'), sent: true }, true)).toBe(true)
  })

  it('client errors never', () => {
    for (const kind of ['auth', 'scope', 'location', 'not-found', 'validation', 'duplicate'] as const) {
      expect(isRetryable({ error: err(kind, 400), sent: true }, true)).toBe(false)
    }
  })
})

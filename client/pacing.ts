/**
 * Pacing: one rate-limit bucket (an app on one location) shared by every request a
 * client sends, so that it waits for the next window instead of collecting 429s.
 *
 * The bucket learns from the `X-RateLimit-*` headers of each answer and counts the
 * requests still in flight against what it learned:
 *
 *   available = remaining (last trusted answer) − requests in flight − reserve
 *
 * A request is sent only while `available ≥ 1`. Answers can arrive out of order, so a
 * `remaining` value is taken as is only from a request sent after the answer that set
 * the current estimate arrived (it was certainly counted later); otherwise the lower of
 * the two wins. Before any header is known, requests go one at a time.
 *
 * When the budget is spent and nothing is in flight, the bucket sleeps until the window
 * that held the last answer is certainly over: last answer + interval + margin. That is
 * safe for fixed windows, sliding logs and refilling buckets alike, and it is measured
 * from the answer (not the send) so network latency cannot make it short. After a 429
 * it sleeps for the delay the transport chose (Retry-After or the window, with jitter)
 * and then probes with one request before trusting the budget again.
 *
 * Daily quota: once an answer says `X-RateLimit-Daily-Remaining: 0`, requests fail
 * fast with a `quota` GhlError (never sent) until the next UTC day.
 */
import { GhlError } from './errors.ts'
import type { RateLimitSnapshot } from './ratelimit-headers.ts'
import { abortReason, realSleep, type Now, type Sleep } from './time.ts'

export interface RateLimiterOptions {
  now?: Now
  sleep?: Sleep
  /** Requests in flight at most (default 8). */
  maxConcurrency?: number
  /** Leave this many requests of each window unused, e.g. for another process (default 0). */
  reserve?: number
  /** Extra wait after a window is over, against clock skew and boundary rounding (default 100 ms). */
  marginMs?: number
  /** Window length until the headers say otherwise (default 10 000 ms, the API's). */
  defaultIntervalMs?: number
  /** Called whenever the bucket waits for the window instead of sending. */
  onWait?: (info: { waitMs: number; reason: 'budget' | 'rate-limited'; state: RateLimiterState }) => void
}

export interface RateLimiterState {
  max?: number
  intervalMs?: number
  /** Estimated requests left in the current window, before counting those in flight. */
  remaining?: number
  dailyLimit?: number
  dailyRemaining?: number
  inFlight: number
  queued: number
}

/** The outcome of a sent request, as the bucket needs it. */
export interface PermitResult {
  rateLimit?: RateLimitSnapshot
  status?: number
  /** Whether the request may have reached the server (a refused connection did not). */
  sent: boolean
  /** After a 429: how long to keep the bucket closed (Retry-After or the window, with jitter). */
  blockMs?: number
}

export interface Permit {
  release(result: PermitResult): void
}

interface Waiter {
  resolve(permit: Permit): void
  reject(err: unknown): void
  signal?: AbortSignal
  onAbort?: () => void
}

const DAY_MS = 86_400_000

export class RateLimiter {
  private readonly now: Now
  private readonly sleep: Sleep
  private readonly maxConcurrency: number
  private readonly reserve: number
  private readonly marginMs: number
  private readonly defaultIntervalMs: number
  private readonly onWait?: RateLimiterOptions['onWait']

  private max?: number
  private intervalMs?: number
  private estimate?: number
  /** A successful answer came without rate-limit headers: nothing to pace by (only concurrency). */
  private unmetered = false
  /** Value of `answers` when the estimate was last set from an answer. */
  private estimateIndex = 0
  private answers = 0
  private inFlight = 0
  private lastAnswerAt?: number
  private blockedUntil?: number
  private dailyLimit?: number
  private dailyRemaining?: number
  private dailyBlockedUntil?: number
  private readonly queue: Waiter[] = []
  private sleeping = false
  private sleepAbort?: AbortController

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 8)
    this.reserve = Math.max(0, options.reserve ?? 0)
    this.marginMs = Math.max(0, options.marginMs ?? 100)
    this.defaultIntervalMs = options.defaultIntervalMs ?? 10_000
    this.onWait = options.onWait
  }

  state(): RateLimiterState {
    return {
      max: this.max,
      intervalMs: this.intervalMs,
      remaining: this.estimate,
      dailyLimit: this.dailyLimit,
      dailyRemaining: this.dailyRemaining,
      inFlight: this.inFlight,
      queued: this.queue.length,
    }
  }

  /** Resolves when a request may be sent; the permit must be released with its outcome. */
  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal }
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter)
          if (i >= 0) this.queue.splice(i, 1)
          if (this.queue.length === 0) this.sleepAbort?.abort()
          reject(abortReason(signal))
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
      this.pump()
    })
  }

  private available(): number {
    if (this.estimate === undefined) return this.unmetered ? Infinity : this.inFlight === 0 ? 1 : 0
    const reserve = this.max !== undefined ? Math.min(this.reserve, this.max - 1) : this.reserve
    return this.estimate - this.inFlight - reserve
  }

  private dailyAvailable(): number {
    if (this.dailyRemaining === undefined) return Infinity
    return this.dailyRemaining - this.inFlight
  }

  private quotaError(): GhlError {
    return new GhlError({
      kind: 'quota',
      message: `Daily request quota exhausted (${this.dailyLimit ?? '?'} per day); requests are refused until ${new Date(this.dailyBlockedUntil ?? this.now()).toISOString()}`,
      rateLimit: { dailyLimit: this.dailyLimit, dailyRemaining: 0 },
    })
  }

  private grant(): void {
    const waiter = this.queue.shift()!
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort)
    this.inFlight++
    const sentIndex = this.answers
    let released = false
    waiter.resolve({
      release: (result) => {
        if (released) return
        released = true
        this.onRelease(sentIndex, result)
      },
    })
  }

  private pump(): void {
    if (this.sleeping) return
    while (this.queue.length > 0) {
      const now = this.now()
      if (this.dailyBlockedUntil !== undefined) {
        if (now < this.dailyBlockedUntil) {
          const err = this.quotaError()
          for (const w of this.queue.splice(0)) {
            if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort)
            w.reject(err)
          }
          return
        }
        this.dailyBlockedUntil = undefined
        this.dailyRemaining = undefined
      }
      if (this.inFlight >= this.maxConcurrency) return
      if (this.blockedUntil !== undefined && now < this.blockedUntil) {
        if (this.inFlight > 0) return
        this.wait(this.blockedUntil - now, 'rate-limited', () => {
          this.blockedUntil = undefined
          this.estimate = undefined // probe before trusting the budget again
        })
        return
      }
      if (this.dailyAvailable() <= 0 && this.inFlight > 0) return // their answers will tell
      if (this.available() >= 1) {
        this.grant()
        continue
      }
      if (this.inFlight > 0) return // an answer will free or correct the budget
      const interval = this.intervalMs ?? this.defaultIntervalMs
      const until = (this.lastAnswerAt ?? now) + interval + this.marginMs
      this.wait(Math.max(0, until - now), 'budget', () => {
        this.estimate = this.max
        this.estimateIndex = this.answers
      })
      return
    }
  }

  private wait(ms: number, reason: 'budget' | 'rate-limited', then: () => void): void {
    this.sleeping = true
    this.onWait?.({ waitMs: ms, reason, state: this.state() })
    const controller = (this.sleepAbort = new AbortController())
    const done = () => {
      this.sleeping = false
      this.sleepAbort = undefined
      if (!controller.signal.aborted) then()
      this.pump()
    }
    this.sleep(ms, controller.signal).then(done, done)
  }

  private onRelease(sentIndex: number, result: PermitResult): void {
    this.inFlight--
    this.answers++
    const now = this.now()
    if (result.sent) this.lastAnswerAt = now
    const rl = result.rateLimit
    const trusted = sentIndex >= this.estimateIndex
    if (rl?.max !== undefined) this.max = rl.max
    if (rl?.intervalMs !== undefined) this.intervalMs = rl.intervalMs
    if (rl?.dailyLimit !== undefined) this.dailyLimit = rl.dailyLimit
    if (rl?.remaining === undefined && result.status !== undefined && result.status < 300 && this.estimate === undefined) this.unmetered = true
    if (rl?.remaining !== undefined) {
      this.unmetered = false
      const value = trusted || this.estimate === undefined ? rl.remaining : Math.min(this.estimate, rl.remaining)
      if (value !== this.estimate || trusted) this.estimateIndex = this.answers
      this.estimate = value
    } else if (result.sent && this.estimate !== undefined) {
      // No headers (a network failure, a proxy error): the server may have counted it.
      this.estimate = Math.max(0, this.estimate - 1)
    }
    if (rl?.dailyRemaining !== undefined) {
      this.dailyRemaining = trusted || this.dailyRemaining === undefined ? rl.dailyRemaining : Math.min(this.dailyRemaining, rl.dailyRemaining)
      if (this.dailyRemaining <= 0) this.dailyBlockedUntil = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS
    }
    if (result.status === 429) {
      this.estimate = 0
      this.estimateIndex = this.answers
      const block = result.blockMs ?? this.intervalMs ?? this.defaultIntervalMs
      this.blockedUntil = Math.max(this.blockedUntil ?? 0, now + block)
    }
    this.pump()
  }
}

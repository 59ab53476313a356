/**
 * The one place a request goes over the wire. openapi-fetch builds the typed Request;
 * this sends it: pacing (shared budget), bearer token (refresh on expiry), per-attempt
 * timeout, caller's AbortSignal, retries with backoff, and every failure turned into a
 * GhlError. openapi-fetch only ever sees successful answers.
 */
import { GhlError, errorFromResponse, isGhlError, withDetails } from './errors.ts'
import type { RateLimiter } from './pacing.ts'
import type { TokenManager } from './auth.ts'
import { readRateLimit, type RateLimitSnapshot } from './ratelimit-headers.ts'
import { backoffDelay, isRetryable, rateLimitDelay, type RetryPolicy } from './retry.ts'
import { abortReason, type Now, type Sleep } from './time.ts'
import type { GhlClientEvent } from './events.ts'

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

export interface TransportOptions {
  fetch: FetchFunction
  limiter: RateLimiter
  tokens: TokenManager
  retry: RetryPolicy
  timeoutMs: number
  now: Now
  sleep: Sleep
  random: () => number
  log?: (event: GhlClientEvent) => void
  userAgent?: string
}

/** What a call tells the transport about itself. */
export interface CallContext {
  operation: string
  retrySafe: boolean
  signal?: AbortSignal
  timeoutMs?: number
  maxAttempts?: number
}

interface Answer {
  status: number
  headers: Headers
  text: string
  body: unknown
  rateLimit?: RateLimitSnapshot
}

type AttemptOutcome = { ok: true; answer: Answer } | { ok: false; error: GhlError; sent: boolean; answer?: Answer }

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

/** True when the error proves the request never left: the connection was never made. */
export function isConnectFailure(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return true
  const nested = (err as { errors?: unknown }).errors
  if (Array.isArray(nested) && nested.length > 0 && nested.every((e) => isConnectFailure(e, depth + 1))) return true
  return isConnectFailure((err as { cause?: unknown }).cause, depth + 1)
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: unknown }).cause
  const code = cause && typeof cause === 'object' ? (cause as { code?: string }).code : undefined
  return code ? `${err.message} (${code})` : err.message
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** openapi-fetch's `fetch`, bound to one call's context. */
  fetchFor(ctx: CallContext): (request: Request) => Promise<Response> {
    return (request) => this.send(request, ctx)
  }

  async send(request: Request, ctx: CallContext): Promise<Response> {
    const { limiter, tokens, retry, now, log } = this.options
    const method = request.method
    const url = request.url
    const body = request.body ? await request.text() : undefined
    const headers = new Headers(request.headers)
    if (this.options.userAgent && !headers.has('user-agent')) headers.set('User-Agent', this.options.userAgent)
    const maxAttempts = Math.max(1, ctx.maxAttempts ?? retry.maxAttempts)
    const base = { operation: ctx.operation, method, url }

    let attempts = 0 // sent (or tried to send)
    let retries = 0 // counted against maxAttempts
    let refreshedAfter401 = false
    let firstSentAt: number | undefined

    for (;;) {
      if (ctx.signal?.aborted) throw abortReason(ctx.signal)
      let permit
      try {
        permit = await limiter.acquire(ctx.signal)
      } catch (err) {
        if (isGhlError(err)) throw withDetails(err, { ...base, attempts })
        throw err
      }
      let token: string
      try {
        token = await tokens.token(ctx.signal)
      } catch (err) {
        permit.release({ sent: false })
        if (isGhlError(err)) throw withDetails(err, { ...base, attempts })
        throw err
      }
      headers.set('Authorization', `Bearer ${token}`)
      attempts++
      firstSentAt ??= now()
      log?.({ type: 'request', ...base, attempt: attempts })
      const started = performance.now()

      let outcome: AttemptOutcome
      try {
        outcome = await this.attempt(url, { method, headers, body }, ctx)
      } catch (err) {
        permit.release({ sent: true }) // the caller aborted mid-request
        throw err
      }
      const rateLimit = outcome.answer?.rateLimit
      const status = outcome.answer?.status
      const blockMs = status === 429 ? rateLimitDelay(rateLimit ?? {}, retry, this.options.random) : undefined
      permit.release({ rateLimit, status, sent: outcome.ok || outcome.sent, blockMs })
      if (outcome.answer) {
        log?.({ type: 'response', ...base, attempt: attempts, status: outcome.answer.status, durationMs: performance.now() - started, rateLimit })
      }

      if (outcome.ok) {
        const { answer } = outcome
        const out = new Headers(answer.headers)
        for (const h of ['content-length', 'content-encoding', 'transfer-encoding']) out.delete(h)
        return new Response(NULL_BODY_STATUSES.has(answer.status) || answer.text === '' ? null : answer.text, { status: answer.status, headers: out })
      }

      if (ctx.signal?.aborted) throw abortReason(ctx.signal)
      const error = withDetails(outcome.error, { ...base, attempts })

      // An expired (or otherwise refused) token: refresh once, then send again. The
      // request was refused before it did anything, so this is safe for any method.
      if (error.status === 401 && error.kind === 'auth' && !refreshedAfter401) {
        refreshedAfter401 = true
        let next: string | undefined
        try {
          next = await tokens.afterRejection(token, ctx.signal)
        } catch (err) {
          if (isGhlError(err)) throw withDetails(err, { ...base, attempts })
          throw err
        }
        if (next !== undefined) {
          log?.({ type: 'retry', ...base, attempt: attempts, delayMs: 0, error })
          continue
        }
      }

      const retrySafe = ctx.retrySafe
      const canRetry = isRetryable({ error, sent: outcome.sent }, retrySafe) && retries + 1 < maxAttempts
      const delay = error.kind === 'rate-limit' ? 0 /* the limiter waits blockMs */ : backoffDelay(retries + 1, retry, this.options.random)
      const elapsed = now() - firstSentAt + delay + (blockMs ?? 0)
      if (!canRetry || elapsed > retry.maxElapsedMs) {
        const maybeApplied = !retrySafe && outcome.sent && (error.kind === 'network' || error.kind === 'server')
        const final = maybeApplied ? withDetails(error, { maybeApplied: true }) : error
        log?.({ type: 'error', ...base, attempt: attempts, error: final })
        throw final
      }
      retries++
      log?.({ type: 'retry', ...base, attempt: attempts, delayMs: delay + (blockMs ?? 0), error })
      if (delay > 0) await this.options.sleep(delay, ctx.signal)
    }
  }

  /** One send: never throws except for the caller's abort. */
  private async attempt(url: string, init: { method: string; headers: Headers; body?: string }, ctx: CallContext): Promise<AttemptOutcome> {
    if (ctx.signal?.aborted) throw abortReason(ctx.signal)
    const timeoutMs = ctx.timeoutMs ?? this.options.timeoutMs
    const controller = new AbortController()
    let timedOut = false
    const timer =
      timeoutMs > 0 && Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            timedOut = true
            controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'))
          }, timeoutMs)
        : undefined
    const onCallerAbort = () => controller.abort(abortReason(ctx.signal!))
    ctx.signal?.addEventListener('abort', onCallerAbort, { once: true })
    // Some fetch implementations (an in-process app) ignore the signal: race it as well.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
    })
    aborted.catch(() => {})
    const network = (err: unknown, sent: boolean, answer?: Answer): AttemptOutcome => {
      if (ctx.signal?.aborted) throw abortReason(ctx.signal)
      const message = timedOut ? `Request timed out after ${timeoutMs} ms` : `Network error: ${describe(err)}`
      return {
        ok: false,
        sent,
        answer,
        error: new GhlError({ kind: 'network', message, timeout: timedOut, cause: err, rateLimit: answer?.rateLimit, status: answer?.status }),
      }
    }
    try {
      let response: Response
      try {
        const pending = this.options.fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: controller.signal })
        pending.catch(() => {})
        response = await Promise.race([pending, aborted])
      } catch (err) {
        return network(err, timedOut || !isConnectFailure(err))
      }
      const rateLimit = readRateLimit(response.headers, this.options.now())
      let text: string
      try {
        text = await Promise.race([response.text(), aborted])
      } catch (err) {
        return network(err, true, { status: response.status, headers: response.headers, text: '', body: undefined, rateLimit })
      }
      const isJson = (response.headers.get('content-type') ?? '').includes('json')
      let body: unknown = text
      let malformed = false
      if (text.trim() !== '' && (isJson || response.ok)) {
        try {
          body = JSON.parse(text)
        } catch {
          malformed = true
        }
      }
      const answer: Answer = { status: response.status, headers: response.headers, text, body, rateLimit }
      if (response.ok) {
        if (malformed) return network(new SyntaxError('The API answered with malformed JSON'), true, answer)
        return { ok: true, answer }
      }
      return { ok: false, sent: true, answer, error: errorFromResponse(response.status, body, { rateLimit }) }
    } finally {
      if (timer) clearTimeout(timer)
      ctx.signal?.removeEventListener('abort', onCallerAbort)
    }
  }
}

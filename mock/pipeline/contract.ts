/**
 * Strict mode: judge each request by the answer the real pipeline gave it, and record
 * the ones that break the consumer contract. The request still gets the real API's
 * answer; strict mode only watches.
 */
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import type { ViolationKind } from '../contract/violations.ts'
import { HttpError, type ErrorCode } from '../errors.ts'
import { MAX_JSON_DEPTH, jsonDepth } from './body.ts'
import type { Step, StepNext } from './compose.ts'

/** A create sent again with the same body by the same app within this much mock time is a retried create. */
export const RETRY_WINDOW_MS = 10 * 60 * 1000

/** Operations that create a record each time they succeed (upsert does not: it is retry-safe). */
const CREATES = new Set(['create-contact', 'create-task', 'create-note'])

/** The consumer-contract break each refusal code stands for (codes not listed are none). */
const KINDS: Partial<Record<ErrorCode, ViolationKind>> = {
  'unknown-route': 'unknown-endpoint',
  validation: 'invalid-request',
  'body-too-large': 'invalid-request',
  'content-type': 'invalid-request',
  'too-deep': 'invalid-request',
  'missing-version': 'missing-version',
  'invalid-version': 'invalid-version',
  scope: 'insufficient-scope',
  'auth-class': 'insufficient-scope',
  location: 'wrong-location',
  company: 'wrong-location',
  'rate-limit': 'rate-limit-ignored',
  quota: 'rate-limit-ignored',
}

/** Injected faults (X-Mock-Fault, fault rules) carry only a status; judged as the refusal with that status would be. */
const INJECTED: Record<number, ViolationKind> = { 413: 'invalid-request', 422: 'invalid-request', 403: 'wrong-location', 429: 'rate-limit-ignored' }

function classify(code: ErrorCode | undefined, status: number): ViolationKind | undefined {
  if (code === 'injected') return INJECTED[status]
  return code ? KINDS[code] : undefined
}

export function contractCheck(state: MockState): Step {
  // fingerprint → time of the last successful create with that body
  const creates = new Map<string, number>()
  // Strict mode off (the default), or the control API: pass without an async step.
  return (c, next) => (!state.strict.enabled || c.req.path.startsWith('/__mock') ? next() : check(c, next))
  async function check(c: Context<MockEnv>, next: StepNext): Promise<void> {
    // Read a copy: the pipeline still reads the original (and enforces the size limit on it).
    const raw =
      c.req.method === 'GET' || c.req.method === 'HEAD'
        ? ''
        : await c.req.raw
            .clone()
            .text()
            .catch(() => '')
    await next()
    const op = c.get('op')
    const status = c.res.status
    const body = (c.res.headers.get('content-type') ?? '').includes('json')
      ? await c.res
          .clone()
          .json()
          .catch(() => undefined)
      : undefined
    const message = typeof body?.message === 'string' ? body.message : Array.isArray(body?.message) ? body.message.join('; ') : ''
    const auth = c.get('auth')
    // The pipeline's onError (compose.ts) leaves the error it answered on the context; unmatched routes get no op.
    const code = c.error instanceof HttpError ? c.error.code : !op && status === 404 ? 'unknown-route' : undefined
    let kind = classify(code, status)
    let why = message || `status ${status}`

    if (op && CREATES.has(op.operationId)) {
      const key = createHash('sha256').update(`${auth?.appId}|${c.req.path}|${raw}`).digest('hex')
      const now = state.clock.now()
      const last = creates.get(key)
      if (last !== undefined && now - last <= RETRY_WINDOW_MS && (status < 300 || body?.meta?.contactId)) {
        kind = 'duplicate-create'
        why = `the same ${op.operationId} body was sent again ${Math.round((now - last) / 1000)} s after it succeeded: a retried create that duplicates (or would duplicate) the record`
      }
      if (status < 300) creates.set(key, now)
    }
    if (!kind) return

    const url = new URL(c.req.url)
    let requestBody: unknown
    try {
      // Too deep a body is kept as text: the violation list is serialized again later.
      requestBody = raw && jsonDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH ? raw.slice(0, 2000) : raw ? JSON.parse(raw) : undefined
    } catch {
      requestBody = raw.slice(0, 2000)
    }
    await state.strict.violations.record({
      time: new Date(state.clock.now()).toISOString(),
      kind,
      message: why,
      request: {
        method: c.req.method,
        path: c.req.path,
        query: url.search,
        operationId: op?.operationId ?? null,
        app: auth?.appId,
        locationId: c.get('locationId'),
        body: requestBody,
      },
      response: { status, body },
    })
  }
}

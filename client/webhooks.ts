/**
 * Verifying HighLevel webhooks. `X-GHL-Signature` is a base64 Ed25519 signature of the
 * raw body, checked with the vendor's published Ed25519 public key (or the mock's:
 * GET /__mock/webhooks/public-key). Since 2026-07-01 it is the only signature sent; the
 * RSA-SHA256 `x-wh-signature` stays available as `signature: 'legacy-rsa'` for replaying
 * older deliveries. The body carries `timestamp` and a unique `webhookId`: reject stale
 * deliveries (5 minutes by default) and ids already seen (replays). A missing signature
 * is always a refusal, never a skipped check.
 *
 * Verify the raw body exactly as received: re-serialising parsed JSON changes bytes
 * and breaks the signature.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import type { WebhookEvent } from './webhook-events.ts'

export const SIGNATURE_HEADER = 'x-ghl-signature'
export const LEGACY_SIGNATURE_HEADER = 'x-wh-signature'

export type WebhookFailure = 'missing-signature' | 'bad-signature' | 'malformed' | 'stale' | 'replayed'

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError'
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message)
  }
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** A public key from PEM, a KeyObject, or (Ed25519) the raw 32-byte key as base64 or hex, as the vendor publishes it. */
export function toPublicKey(publicKey: string | KeyObject): KeyObject {
  if (typeof publicKey !== 'string') return publicKey
  const text = publicKey.trim()
  if (text.includes('-----BEGIN')) return createPublicKey(text)
  const raw = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
  if (raw.length !== 32) throw new Error('Unsupported public key: expected PEM, or a 32-byte Ed25519 key as base64 or hex')
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

function check(rawBody: string | Uint8Array, signatureBase64: string | undefined | null, publicKey: string | KeyObject, algorithm: 'sha256' | null): boolean {
  if (!signatureBase64) return false
  const signature = Buffer.from(signatureBase64.trim(), 'base64')
  if (signature.length === 0) return false
  try {
    const key = toPublicKey(publicKey)
    // Node would verify an RSA signature with a null algorithm too: the key type decides which header this is.
    if (key.asymmetricKeyType !== (algorithm ? 'rsa' : 'ed25519')) return false
    return cryptoVerify(algorithm, typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody, key, signature)
  } catch {
    return false
  }
}

/** True when `signatureBase64` (X-GHL-Signature) is a valid Ed25519 signature of `rawBody`. */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signatureBase64: string | undefined | null, publicKey: string | KeyObject): boolean {
  return check(rawBody, signatureBase64, publicKey, null)
}

/** True when `signatureBase64` (legacy x-wh-signature) is a valid RSA-SHA256 signature of `rawBody` by `publicKey` (PEM or KeyObject). */
export function verifyLegacyWebhookSignature(rawBody: string | Uint8Array, signatureBase64: string | undefined | null, publicKey: string | KeyObject): boolean {
  return check(rawBody, signatureBase64, publicKey, 'sha256')
}

/** Epoch ms of a payload's `timestamp` (ISO string, epoch ms or epoch seconds); undefined when absent or unreadable. */
export function webhookTimestamp(payload: Record<string, unknown>): number | undefined {
  const t = payload.timestamp
  if (typeof t === 'number' && Number.isFinite(t)) return t < 1e12 ? t * 1000 : t
  if (typeof t === 'string' && t !== '') {
    const n = Number(t)
    if (Number.isFinite(n)) return n < 1e12 ? n * 1000 : n
    const ms = Date.parse(t)
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}

/** Whether a delivery is older (or further in the future) than `toleranceMs`. */
export function isStale(timestampMs: number, now: number, toleranceMs = 5 * 60_000): boolean {
  return Math.abs(now - timestampMs) > toleranceMs
}

/** Remembers webhook ids for `ttlMs` (default: twice the staleness tolerance, after which a replay is stale anyway). */
export class ReplayGuard {
  private readonly seen = new Map<string, number>()
  constructor(private readonly ttlMs = 10 * 60_000) {}

  /** False when `id` was seen within the TTL; otherwise records it and returns true. */
  remember(id: string, now: number): boolean {
    this.prune(now)
    if (this.seen.has(id)) return false
    this.seen.set(id, now + this.ttlMs)
    return true
  }

  /** Forget an id whose handling failed, so the platform's retry is handled. */
  forget(id: string): void {
    this.seen.delete(id)
  }

  get size(): number {
    return this.seen.size
  }

  private prune(now: number): void {
    for (const [id, expires] of this.seen) {
      if (expires > now) break // insertion order is expiry order
      this.seen.delete(id)
    }
  }
}

export interface WebhookVerifierOptions {
  /** The vendor's published public key, or the mock's: PEM, KeyObject, or the raw Ed25519 key (base64 or hex). */
  publicKey: string | KeyObject
  /** `ed25519` (X-GHL-Signature, default) or `legacy-rsa` (x-wh-signature, deliveries from before 2026-07-01). */
  signature?: 'ed25519' | 'legacy-rsa'
  /** Maximum age (and future skew) of `timestamp` (default 5 minutes). */
  toleranceMs?: number
  /** Accept payloads without `timestamp` or `webhookId` (default false). */
  allowMissingTimestampOrId?: boolean
  now?: () => number
  /** Replay memory (default: an in-process ReplayGuard; share one across handlers, or plug in your own store). */
  replay?: Pick<ReplayGuard, 'remember'> & Partial<Pick<ReplayGuard, 'forget'>>
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Returns `verify(rawBody, headers)`: the parsed payload when the signature is valid, the
 * delivery is fresh and its webhookId new; a WebhookVerificationError otherwise.
 */
export function createWebhookVerifier(options: WebhookVerifierOptions) {
  const key = toPublicKey(options.publicKey)
  const legacy = options.signature === 'legacy-rsa'
  const name = legacy ? LEGACY_SIGNATURE_HEADER : SIGNATURE_HEADER
  const valid = legacy ? verifyLegacyWebhookSignature : verifyWebhookSignature
  const now = options.now ?? Date.now
  const tolerance = options.toleranceMs ?? 5 * 60_000
  const replay = options.replay ?? new ReplayGuard(tolerance * 2)
  return function verify<T extends Record<string, unknown> = WebhookEvent & Record<string, unknown>>(rawBody: string | Uint8Array, headers: HeaderSource): T {
    const signature = header(headers, name)
    if (!signature) throw new WebhookVerificationError('missing-signature', `No ${name} header`)
    if (!valid(rawBody, signature, key)) throw new WebhookVerificationError('bad-signature', `The ${name} signature does not match the body`)
    let payload: T
    try {
      payload = JSON.parse(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'))
    } catch {
      throw new WebhookVerificationError('malformed', 'The body is not JSON')
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new WebhookVerificationError('malformed', 'The body is not a JSON object')
    const at = webhookTimestamp(payload)
    if (at === undefined) {
      if (!options.allowMissingTimestampOrId) throw new WebhookVerificationError('malformed', 'The payload has no readable timestamp')
    } else if (isStale(at, now(), tolerance)) {
      throw new WebhookVerificationError('stale', `The delivery is ${Math.round(Math.abs(now() - at) / 1000)} s off (tolerance ${tolerance / 1000} s)`)
    }
    const id = payload.webhookId
    if (typeof id !== 'string' || id === '') {
      if (!options.allowMissingTimestampOrId) throw new WebhookVerificationError('malformed', 'The payload has no webhookId')
    } else if (!replay.remember(id, now())) {
      throw new WebhookVerificationError('replayed', `Webhook ${id} was already delivered`)
    }
    return payload
  }
}

/** Throw it from `onEvent` to answer 429: the only status the platform retries (10 minutes later). */
export class WebhookRetryLater extends Error {
  override readonly name = 'WebhookRetryLater'
}

export interface WebhookHandlerOptions extends WebhookVerifierOptions {
  /** Gets each verified event once; a replayed webhookId is acknowledged without calling it again. */
  onEvent(event: WebhookEvent): unknown | Promise<unknown>
  /** Told about every refused delivery (default: nothing). */
  onRejected?(error: WebhookVerificationError): void
}

/** What a delivery gets back: 200 handled (or a replay acknowledged), 401 signature, 400 malformed or stale, 429 retry later, 500 handler failed. */
export interface WebhookAnswer {
  status: number
  body: { ok: boolean; reason?: string }
}

interface NodeRequest {
  headers: Record<string, string | string[] | undefined>
  rawBody?: Buffer | string
  body?: unknown
  on?(event: string, listener: (chunk?: any) => void): unknown
}
interface NodeResponse {
  statusCode: number
  setHeader(name: string, value: string): unknown
  end(body?: string): unknown
}

async function rawOf(req: NodeRequest): Promise<Buffer> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody
  if (typeof req.rawBody === 'string') return Buffer.from(req.rawBody)
  // express.raw() leaves a Buffer; a parsed JSON body has lost its exact bytes and cannot be verified.
  if (Buffer.isBuffer(req.body)) return req.body
  if (typeof req.body === 'string') return Buffer.from(req.body)
  if (req.body !== undefined || !req.on)
    throw new WebhookVerificationError('malformed', 'The raw body is not available: use express.raw({ type: "application/json" }) or keep req.rawBody')
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    req.on!('data', (c: Buffer) => chunks.push(c))
    req.on!('end', () => resolve())
    req.on!('error', reject)
  })
  return Buffer.concat(chunks)
}

/**
 * A receiver for webhook deliveries: verifies each one, hands the typed event to
 * `onEvent` once, and answers the platform. Use `handle` anywhere, `fetch` in Hono or any
 * fetch-style server (`app.post('/hooks', (c) => receiver.fetch(c.req.raw))`), `node` in
 * node:http or Express (`app.post('/hooks', express.raw({ type: 'application/json' }), receiver.node)`).
 */
export function createWebhookHandler(options: WebhookHandlerOptions) {
  const replay = options.replay ?? new ReplayGuard((options.toleranceMs ?? 5 * 60_000) * 2)
  const verify = createWebhookVerifier({ ...options, replay })
  const refuse = (err: WebhookVerificationError): WebhookAnswer => {
    options.onRejected?.(err)
    if (err.reason === 'replayed') return { status: 200, body: { ok: true, reason: 'replayed' } }
    return { status: err.reason === 'missing-signature' || err.reason === 'bad-signature' ? 401 : 400, body: { ok: false, reason: err.reason } }
  }
  async function handle(rawBody: string | Uint8Array, headers: HeaderSource): Promise<WebhookAnswer> {
    let event: WebhookEvent
    try {
      event = verify<WebhookEvent & Record<string, unknown>>(rawBody, headers)
    } catch (err) {
      if (err instanceof WebhookVerificationError) return refuse(err)
      throw err
    }
    try {
      await options.onEvent(event)
      return { status: 200, body: { ok: true } }
    } catch (err) {
      // Not handled: let the platform's retry (429) or a manual replay be handled next time.
      replay.forget?.(event.webhookId)
      return err instanceof WebhookRetryLater
        ? { status: 429, body: { ok: false, reason: 'retry-later' } }
        : { status: 500, body: { ok: false, reason: 'handler-failed' } }
    }
  }
  return {
    handle,
    async fetch(request: Request): Promise<Response> {
      const answer = await handle(new Uint8Array(await request.arrayBuffer()), request.headers)
      return Response.json(answer.body, { status: answer.status })
    },
    async node(req: NodeRequest, res: NodeResponse): Promise<void> {
      let answer: WebhookAnswer
      try {
        answer = await handle(await rawOf(req), req.headers)
      } catch (err) {
        answer = err instanceof WebhookVerificationError ? refuse(err) : { status: 500, body: { ok: false, reason: 'handler-failed' } }
      }
      res.statusCode = answer.status
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(answer.body))
    },
  }
}

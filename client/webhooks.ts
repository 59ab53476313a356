/**
 * Verifying HighLevel webhooks: the `x-wh-signature` header is a base64 RSA-SHA256
 * signature of the raw JSON body, checked with the vendor's published public key (or
 * the mock's, for tests). The body carries `timestamp` and a unique `webhookId`:
 * reject stale deliveries (5 minutes by default) and ids already seen (replays).
 *
 * Verify the raw body exactly as received: re-serialising parsed JSON changes bytes
 * and breaks the signature.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-wh-signature'

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

function toKey(publicKey: string | KeyObject): KeyObject {
  return typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
}

/** True when `signatureBase64` is a valid RSA-SHA256 signature of `rawBody` by `publicKey` (PEM or KeyObject). */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signatureBase64: string | undefined | null, publicKey: string | KeyObject): boolean {
  if (!signatureBase64) return false
  const signature = Buffer.from(signatureBase64.trim(), 'base64')
  if (signature.length === 0) return false
  try {
    return createVerify('RSA-SHA256').update(rawBody).verify(toKey(publicKey), signature)
  } catch {
    return false
  }
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
  /** The vendor's published public key (PEM), or the mock's. */
  publicKey: string | KeyObject
  /** Maximum age (and future skew) of `timestamp` (default 5 minutes). */
  toleranceMs?: number
  /** Accept payloads without `timestamp` or `webhookId` (default false). */
  allowMissingTimestampOrId?: boolean
  now?: () => number
  /** Replay memory (default: an in-process ReplayGuard; share one across handlers, or plug in your own store). */
  replay?: Pick<ReplayGuard, 'remember'>
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
  const key = toKey(options.publicKey)
  const now = options.now ?? Date.now
  const tolerance = options.toleranceMs ?? 5 * 60_000
  const replay = options.replay ?? new ReplayGuard(tolerance * 2)
  return function verify<T extends Record<string, unknown> = Record<string, unknown>>(rawBody: string | Uint8Array, headers: HeaderSource): T {
    const signature = header(headers, SIGNATURE_HEADER)
    if (!signature) throw new WebhookVerificationError('missing-signature', `No ${SIGNATURE_HEADER} header`)
    if (!verifyWebhookSignature(rawBody, signature, key)) throw new WebhookVerificationError('bad-signature', `The ${SIGNATURE_HEADER} signature does not match the body`)
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

import { createSign, generateKeyPairSync, sign as cryptoSign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  createWebhookHandler,
  createWebhookVerifier,
  verifyLegacyWebhookSignature,
  verifyWebhookSignature,
  WebhookRetryLater,
  WebhookVerificationError,
} from '../../client/index.ts'
import { ReplayGuard, webhookTimestamp } from '../../client/webhooks.ts'
import { T0 } from './fakes.ts'

const { publicKey, privateKey } = generateKeyPairSync('ed25519')
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
const publicRaw = publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64')
const other = generateKeyPairSync('ed25519').publicKey

const sign = (body: string) => cryptoSign(null, Buffer.from(body), privateKey).toString('base64')
const delivery = (extra: Record<string, unknown> = {}) => {
  const body = JSON.stringify({ type: 'ContactCreate', locationId: 'loc', id: 'c1', timestamp: new Date(T0).toISOString(), webhookId: 'wh-1', ...extra })
  return { body, headers: { 'x-ghl-signature': sign(body) } }
}

describe('verifyWebhookSignature (Ed25519, X-GHL-Signature)', () => {
  it('accepts the signature of the exact raw body, with the key as PEM, KeyObject, raw base64 or hex', () => {
    const { body, headers } = delivery()
    const sig = headers['x-ghl-signature']
    expect(verifyWebhookSignature(body, sig, publicPem)).toBe(true)
    expect(verifyWebhookSignature(Buffer.from(body), sig, publicKey)).toBe(true)
    expect(verifyWebhookSignature(body, sig, publicRaw)).toBe(true)
    expect(verifyWebhookSignature(body, sig, Buffer.from(publicRaw, 'base64').toString('hex'))).toBe(true)
  })

  it('refuses a changed body, another key, garbage and a missing signature', () => {
    const { body, headers } = delivery()
    const sig = headers['x-ghl-signature']
    expect(verifyWebhookSignature(body.replace('c1', 'c2'), sig, publicPem)).toBe(false)
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(body), null, 2), sig, publicPem)).toBe(false)
    expect(verifyWebhookSignature(body, sig, other)).toBe(false)
    expect(verifyWebhookSignature(body, 'bm90IGEgc2lnbmF0dXJl', publicPem)).toBe(false)
    expect(verifyWebhookSignature(body, undefined, publicPem)).toBe(false)
  })
})

describe('createWebhookVerifier', () => {
  it('returns the payload of a fresh, signed, new delivery; refuses its replay', () => {
    const verify = createWebhookVerifier({ publicKey: publicPem, now: () => T0 + 60_000 })
    const { body, headers } = delivery()
    expect(verify(body, headers)).toMatchObject({ type: 'ContactCreate', id: 'c1' })
    expect(() => verify(body, new Headers(headers))).toThrow(expect.objectContaining({ reason: 'replayed' }))
  })

  it('refuses stale and future deliveries (5 minutes by default)', () => {
    const verify = createWebhookVerifier({ publicKey: publicPem, now: () => T0 })
    const old = delivery({ timestamp: new Date(T0 - 6 * 60_000).toISOString(), webhookId: 'a' })
    const future = delivery({ timestamp: T0 + 6 * 60_000, webhookId: 'b' })
    const fine = delivery({ timestamp: T0 - 4 * 60_000, webhookId: 'c' })
    expect(() => verify(old.body, old.headers)).toThrow(expect.objectContaining({ reason: 'stale' }))
    expect(() => verify(future.body, future.headers)).toThrow(expect.objectContaining({ reason: 'stale' }))
    expect(verify(fine.body, fine.headers)).toMatchObject({ webhookId: 'c' })
  })

  it('says why it refused', () => {
    const verify = createWebhookVerifier({ publicKey: publicPem, now: () => T0 })
    const { body } = delivery()
    const fail = (b: string, h: Record<string, string>) => {
      try {
        verify(b, h)
      } catch (err) {
        expect(err).toBeInstanceOf(WebhookVerificationError)
        return (err as WebhookVerificationError).reason
      }
      return 'accepted'
    }
    expect(fail(body, {})).toBe('missing-signature')
    expect(fail(body, { 'X-GHL-Signature': sign(`${body} `) })).toBe('bad-signature')
    // The legacy header alone is not enough: the current signature is required.
    expect(fail(body, { 'x-wh-signature': sign(body) })).toBe('missing-signature')
    expect(fail('not json', { 'x-ghl-signature': sign('not json') })).toBe('malformed')
    const noId = JSON.stringify({ type: 'ContactCreate', timestamp: T0 })
    expect(fail(noId, { 'x-ghl-signature': sign(noId) })).toBe('malformed')
  })

  it('timestamps: ISO, epoch ms, epoch seconds', () => {
    expect(webhookTimestamp({ timestamp: '2026-01-15T12:00:00.000Z' })).toBe(T0)
    expect(webhookTimestamp({ timestamp: T0 })).toBe(T0)
    expect(webhookTimestamp({ timestamp: T0 / 1000 })).toBe(T0)
    expect(webhookTimestamp({})).toBeUndefined()
  })

  it('the replay memory forgets ids after its TTL', () => {
    const guard = new ReplayGuard(1_000)
    expect(guard.remember('a', 0)).toBe(true)
    expect(guard.remember('a', 500)).toBe(false)
    expect(guard.remember('a', 1_000)).toBe(true)
    expect(guard.size).toBe(1)
  })
})

describe('legacy RSA (x-wh-signature)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const rsaSign = (body: string) => createSign('RSA-SHA256').update(body).sign(rsa.privateKey, 'base64')

  it('verifies RSA-SHA256 only when asked for, on its own header', () => {
    const body = JSON.stringify({ type: 'ContactCreate', locationId: 'loc', timestamp: T0, webhookId: 'legacy-1' })
    expect(verifyLegacyWebhookSignature(body, rsaSign(body), rsaPem)).toBe(true)
    expect(verifyLegacyWebhookSignature(`${body} `, rsaSign(body), rsaPem)).toBe(false)
    expect(verifyWebhookSignature(body, rsaSign(body), rsaPem)).toBe(false)
    const verify = createWebhookVerifier({ publicKey: rsaPem, signature: 'legacy-rsa', now: () => T0 })
    expect(verify(body, { 'x-wh-signature': rsaSign(body) })).toMatchObject({ webhookId: 'legacy-1' })
    expect(() => verify(body, { 'x-ghl-signature': rsaSign(body) })).toThrow(expect.objectContaining({ reason: 'missing-signature' }))
  })
})

describe('createWebhookHandler', () => {
  const make = (onEvent: (e: unknown) => unknown) => createWebhookHandler({ publicKey: publicRaw, now: () => T0, onEvent })

  it('hands each verified event to onEvent once; a replay is acknowledged (200) without a second call', async () => {
    const seen: unknown[] = []
    const h = make((e) => seen.push(e))
    const { body, headers } = delivery({ webhookId: 'once' })
    expect(await h.handle(body, headers)).toEqual({ status: 200, body: { ok: true } })
    expect(await h.handle(body, headers)).toEqual({ status: 200, body: { ok: true, reason: 'replayed' } })
    expect(seen).toEqual([JSON.parse(body)])
  })

  it('401 for a missing or bad signature, 400 for a stale delivery; onEvent is not called', async () => {
    const seen: unknown[] = []
    const h = make((e) => seen.push(e))
    const { body, headers } = delivery({ webhookId: 'x' })
    expect((await h.handle(body, {})).status).toBe(401)
    expect((await h.handle(body, { 'x-ghl-signature': sign(`${body}x`) })).status).toBe(401)
    const old = delivery({ webhookId: 'old', timestamp: new Date(T0 - 3_600_000).toISOString() })
    expect((await h.handle(old.body, old.headers)).status).toBe(400)
    expect(seen).toEqual([])
    expect((await h.handle(body, headers)).status).toBe(200)
  })

  it('a failing handler answers 500, WebhookRetryLater 429; the id is forgotten so the retry is handled', async () => {
    let calls = 0
    const h = make(() => {
      calls++
      if (calls === 1) throw new WebhookRetryLater('busy')
      if (calls === 2) throw new Error('bug')
    })
    const { body, headers } = delivery({ webhookId: 'retry' })
    expect((await h.handle(body, headers)).status).toBe(429)
    expect((await h.handle(body, headers)).status).toBe(500)
    expect((await h.handle(body, headers)).status).toBe(200)
    expect(calls).toBe(3)
  })

  it('fetch-style and node-style adapters', async () => {
    const seen: string[] = []
    const h = make((e) => seen.push((e as { webhookId: string }).webhookId))
    const a = delivery({ webhookId: 'fetch' })
    const res = await h.fetch(new Request('http://x/hooks', { method: 'POST', body: a.body, headers: a.headers }))
    expect(res.status).toBe(200)
    const b = delivery({ webhookId: 'node' })
    const out = {
      statusCode: 0,
      headers: {} as Record<string, string>,
      sent: '',
      setHeader(k: string, v: string) {
        this.headers[k] = v
      },
      end(s?: string) {
        this.sent = s ?? ''
      },
    }
    await h.node({ headers: b.headers, body: Buffer.from(b.body) }, out)
    expect(out.statusCode).toBe(200)
    // A body already parsed to an object has lost its bytes: refused, not guessed.
    await h.node({ headers: b.headers, body: JSON.parse(b.body) }, out)
    expect(out.statusCode).toBe(400)
    expect(seen).toEqual(['fetch', 'node'])
  })
})

import { createSign, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createWebhookVerifier, verifyWebhookSignature, WebhookVerificationError } from '../../client/index.ts'
import { ReplayGuard, webhookTimestamp } from '../../client/webhooks.ts'
import { T0 } from './fakes.ts'

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey

const sign = (body: string) => createSign('RSA-SHA256').update(body).sign(privateKey, 'base64')
const delivery = (extra: Record<string, unknown> = {}) => {
  const body = JSON.stringify({ type: 'ContactCreate', locationId: 'loc', id: 'c1', timestamp: new Date(T0).toISOString(), webhookId: 'wh-1', ...extra })
  return { body, headers: { 'x-wh-signature': sign(body) } }
}

describe('verifyWebhookSignature', () => {
  it('accepts the signature of the exact raw body', () => {
    const { body, headers } = delivery()
    expect(verifyWebhookSignature(body, headers['x-wh-signature'], publicPem)).toBe(true)
    expect(verifyWebhookSignature(Buffer.from(body), headers['x-wh-signature'], publicKey)).toBe(true)
  })

  it('refuses a changed body, another key, garbage and a missing signature', () => {
    const { body, headers } = delivery()
    const sig = headers['x-wh-signature']
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
    expect(fail(body, { 'X-WH-Signature': sign(body + ' ') })).toBe('bad-signature')
    expect(fail('not json', { 'x-wh-signature': sign('not json') })).toBe('malformed')
    const noId = JSON.stringify({ type: 'ContactCreate', timestamp: T0 })
    expect(fail(noId, { 'x-wh-signature': sign(noId) })).toBe('malformed')
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

/**
 * The done-when of webhooks: a receiver built with the vendor SDK's own webhook middleware
 * (@gohighlevel/api-client WebhookManager), given only the public key the mock prints at
 * start, accepts every delivery the mock sends and rejects the bad-signature ones; our
 * client's receiver does the same, and the legacy RSA header verifies with both.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HighLevel } from '@gohighlevel/api-client'
import { createWebhookHandler, verifyLegacyWebhookSignature } from '../../client/index.ts'
import type { WebhookEvent } from '../../client/index.ts'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { T0 } from '../support/mock.ts'

interface Seen {
  type: string
  webhookId: string
  valid: boolean
  skipped: boolean
}

async function listen(handler: (req: IncomingMessage & { body?: Buffer }, raw: Buffer) => Promise<number>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const raw = Buffer.concat(chunks)
      const status = await handler(Object.assign(req, { body: raw }), raw)
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, server }
}

const close = (s: Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections()
    s.close(() => resolve())
  })

let mock: MockServer
let printedKey: string
const servers: Server[] = []

beforeAll(async () => {
  mock = await startMockServer({ port: 0, contacts: 5, clock: createClock({ start: T0, frozen: true }), legacySignature: true })
  // What `npm start` prints as WEBHOOK_SIGNATURE_PUBLIC_KEY.
  printedKey = mock.app.state.webhooks.signer.publicKeyRaw
})

afterAll(async () => {
  delete process.env.WEBHOOK_SIGNATURE_PUBLIC_KEY
  mock.app.state.webhooks.close()
  await mock.close()
  for (const s of servers) await close(s)
})

const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(`${mock.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as object) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  })

describe('receivers built with the vendor SDK and with our client', () => {
  it('accept every delivery, reject exactly the bad-signature ones', async () => {
    const state = mock.app.state
    const app = state.apps.defaultApp
    process.env.WEBHOOK_SIGNATURE_PUBLIC_KEY = printedKey
    const ghl = new HighLevel({ clientId: app.clientId, clientSecret: app.clientSecret, logLevel: 'error' })
    const middleware = ghl.webhooks.subscribe()

    const vendorSeen: Seen[] = []
    const vendor = await listen(async (req) => {
      let result: Seen | undefined
      await middleware(req as any, {} as any, () => {
        const r = req as any
        const body = JSON.parse(req.body!.toString())
        result = { type: body.type, webhookId: body.webhookId, valid: r.isSignatureValid === true, skipped: r.skippedSignatureVerification === true }
      })
      vendorSeen.push(result!)
      return result!.valid ? 200 : 401
    })
    const oursSeen: WebhookEvent[] = []
    const ours = createWebhookHandler({ publicKey: printedKey, now: () => state.clock.now(), onEvent: (e) => void oursSeen.push(e) })
    const legacyOk: boolean[] = []
    const rsa = (await (await api('/__mock/webhooks/public-key')).json()).rsa as string
    const own = await listen(async (req, raw) => {
      legacyOk.push(
        verifyLegacyWebhookSignature(raw, req.headers['x-wh-signature'] as string, rsa) &&
          ghl.webhooks.verifySignature(raw.toString(), req.headers['x-wh-signature'] as string, rsa),
      )
      return (await ours.handle(raw, req.headers as Record<string, string>)).status
    })
    servers.push(vendor.server, own.server)
    for (const url of [vendor.url, own.url]) expect((await api('/__mock/webhooks', { method: 'POST', json: { url } })).status).toBe(201)
    expect((await api('/__mock/faults', { method: 'POST', json: { match: { event: 'ContactTagUpdate' }, action: { badSignature: true } } })).status).toBe(201)

    // Every event type the Contacts API causes, plus appointments by hand.
    const token = state.defaultTokens[0]
    const auth = { Authorization: `Bearer ${token.token}`, Version: '2021-07-28' }
    const call = async (method: string, path: string, json?: unknown) => {
      const res = await api(path, { method, headers: auth, json })
      expect(res.status, `${method} ${path}`).toBeLessThan(300)
      return res.json()
    }
    const { contact } = await call('POST', '/contacts/', { locationId: token.locationId, firstName: 'Vendor', email: 'vendor@example.com' })
    await call('PUT', `/contacts/${contact.id}`, { lastName: 'Sdk' })
    await call('POST', `/contacts/${contact.id}/tags`, { tags: ['vip'] })
    await call('PUT', `/contacts/${contact.id}`, { dnd: true })
    const { task } = await call('POST', `/contacts/${contact.id}/tasks`, { title: 'Call', dueDate: '2026-02-01T09:00:00Z', completed: false })
    await call('PUT', `/contacts/${contact.id}/tasks/${task.id}/completed`, { completed: true })
    await call('DELETE', `/contacts/${contact.id}/tasks/${task.id}`)
    const { note } = await call('POST', `/contacts/${contact.id}/notes`, { body: 'hello' })
    await call('PUT', `/contacts/${contact.id}/notes/${note.id}`, { body: 'hello again' })
    await call('DELETE', `/contacts/${contact.id}/notes/${note.id}`)
    for (const type of ['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete']) {
      expect(
        (
          await api('/__mock/webhooks/events', {
            method: 'POST',
            json: { type, locationId: token.locationId, data: { appointment: { id: 'a1', contactId: contact.id } } },
          })
        ).status,
      ).toBe(202)
    }
    await call('DELETE', `/contacts/${contact.id}`)
    await api('/__mock/webhooks/flush', { method: 'POST' })

    const expected = [
      'ContactCreate',
      'ContactUpdate',
      'ContactTagUpdate',
      'ContactDndUpdate',
      'TaskCreate',
      'TaskComplete',
      'TaskDelete',
      'NoteCreate',
      'NoteUpdate',
      'NoteDelete',
      'AppointmentCreate',
      'AppointmentUpdate',
      'AppointmentDelete',
      'ContactDelete',
    ]
    expect(vendorSeen.map((s) => s.type)).toEqual(expected)
    expect(vendorSeen.filter((s) => s.skipped)).toEqual([])
    expect(vendorSeen.filter((s) => !s.valid).map((s) => s.type)).toEqual(['ContactTagUpdate'])
    expect(oursSeen.map((e) => e.type)).toEqual(expected.filter((t) => t !== 'ContactTagUpdate'))
    // The legacy RSA signature (--legacy-signature) verifies with our client and the SDK's deprecated verifier, except the bad one.
    expect(legacyOk.filter((ok) => !ok)).toHaveLength(1)
    const { deliveries } = await (await api('/__mock/webhooks/deliveries?state=failed')).json()
    expect(deliveries.map((d: { type: string; attempts: Array<{ status: number }> }) => [d.type, d.attempts[0].status])).toEqual([
      ['ContactTagUpdate', 401],
      ['ContactTagUpdate', 401],
    ])
  })
})

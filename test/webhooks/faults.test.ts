/**
 * Webhook faults through the fault rules and scenario files: duplicate, reorder, delay,
 * drop, bad-signature; with times / after / seeded probability; and the webhook-chaos
 * built-in. Against a real local receiver.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createWebhookHandler } from '../../client/index.ts'
import { makeMock, T0, type TestMock } from '../support/mock.ts'
import { startReceiver, type Receiver } from '../support/receiver.ts'

let m: TestMock
let rx: Receiver

const flush = async () => (await m.http.post('/__mock/webhooks/flush').expect(200)).body.deliveries
const rule = async (body: object) => (await m.http.post('/__mock/faults').send(body).expect(201)).body
const create = async (firstName: string) =>
  (await m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, firstName }).expect(201)).body.contact
const rename = (id: string, lastName: string) => m.http.put(`/contacts/${id}`).set(m.auth()).send({ lastName }).expect(200)
const got = () => rx.received.map((r) => `${r.body.type}:${r.body.firstName ?? ''}${r.body.lastName ?? ''}`)

beforeAll(async () => {
  rx = await startReceiver()
  m = await makeMock({ webhooks: [rx.url], contacts: 5 })
})

afterAll(async () => {
  m.state.webhooks.close()
  await rx.close()
})

beforeEach(async () => {
  await m.http.delete('/__mock/faults').expect(204)
  await flush()
  await m.http
    .post('/__mock/clock')
    .send({ set: new Date(T0).toISOString() })
    .expect(200)
  rx.received.length = 0
})

describe('webhook faults', () => {
  it('duplicate: the same bytes (same webhookId, same signature) twice; a receiver built with our client handles it once', async () => {
    await rule({ match: { webhook: true }, action: { duplicate: true }, times: 1 })
    await create('Twice')
    await create('Once')
    const [d] = await flush().then((list) => list.filter((x: { payload: { firstName: string } }) => x.payload.firstName === 'Twice'))
    expect(d.fault).toMatch(/duplicate/)
    expect(d.attempts).toMatchObject([{ status: 200 }, { status: 200, duplicate: true }])
    expect(got()).toEqual(['ContactCreate:Twice', 'ContactCreate:Twice', 'ContactCreate:Once'])
    expect(rx.received[0].raw.equals(rx.received[1].raw)).toBe(true)
    expect(rx.received[0].headers['x-ghl-signature']).toBe(rx.received[1].headers['x-ghl-signature'])
    const handled: string[] = []
    const h = createWebhookHandler({ publicKey: m.state.webhooks.signer.publicKeyRaw, now: () => T0, onEvent: (e) => void handled.push(e.webhookId) })
    for (const r of rx.received) expect((await h.handle(r.raw, r.headers as Record<string, string>)).status).toBe(200)
    expect(handled).toEqual([rx.received[0].body.webhookId, rx.received[2].body.webhookId])
  })

  it('reorder: the delivery is held back until the next one to that URL went out', async () => {
    await rule({ match: { event: 'ContactCreate' }, action: { reorder: true }, times: 1 })
    const c = await create('First')
    await rename(c.id, 'Second')
    await flush()
    expect(got()).toEqual(['ContactUpdate:FirstSecond', 'ContactCreate:First'])
  })

  it('reorder: a held delivery with nothing after it goes out at the next flush', async () => {
    await rule({ match: { event: 'ContactCreate' }, action: { reorder: true }, times: 1 })
    await create('Alone')
    expect((await m.http.get('/__mock/webhooks/deliveries?state=pending').expect(200)).body.deliveries).toHaveLength(1)
    await flush()
    expect(got()).toEqual(['ContactCreate:Alone'])
  })

  it('delay: due that many ms of mock time later; advancing the clock releases it', async () => {
    await rule({ match: { webhook: true }, action: { delay: 60_000 }, times: 1 })
    await create('Late')
    expect(await flush()).toEqual([])
    await m.http.post('/__mock/clock').send({ advanceMs: 59_999 }).expect(200)
    expect(await flush()).toEqual([])
    await m.http.post('/__mock/clock').send({ advanceMs: 1 }).expect(200)
    const [d] = await flush()
    expect(d).toMatchObject({ state: 'delivered', attempts: [{ time: new Date(T0 + 60_000).toISOString() }] })
    expect(rx.received[0].body.timestamp).toBe(new Date(T0 + 60_000).toISOString())
  })

  it('drop: never sent; the delivery says so', async () => {
    const r = await rule({ match: { event: 'ContactCreate' }, action: { drop: true }, times: 1 })
    await create('Lost')
    await create('Kept')
    await flush()
    expect(got()).toEqual(['ContactCreate:Kept'])
    const [dropped] = (await m.http.get('/__mock/webhooks/deliveries?state=dropped').expect(200)).body.deliveries
    expect(dropped).toMatchObject({ type: 'ContactCreate', attempts: [], fault: `rule:${r.id} drop`, payload: { firstName: 'Lost' } })
  })

  it('bad-signature: a well-formed signature of other bytes; after lets N deliveries through first', async () => {
    await rule({ match: { webhook: true }, action: { badSignature: true }, after: 1 })
    await create('Good')
    await create('Bad')
    await flush()
    const h = createWebhookHandler({ publicKey: m.state.webhooks.signer.publicKeyRaw, now: () => T0, onEvent: () => {} })
    const statuses = await Promise.all(rx.received.map(async (r) => (await h.handle(r.raw, r.headers as Record<string, string>)).status))
    expect(statuses).toEqual([200, 401])
    expect(Buffer.from(String(rx.received[1].headers['x-ghl-signature']), 'base64')).toHaveLength(64)
  })

  it('probability is drawn from the seed: the same seed faults the same deliveries', async () => {
    const pattern = async () => {
      const t = await makeMock({ contacts: 0, webhooks: [rx.url], faults: [{ match: { webhook: true }, action: { drop: true }, probability: 0.5 }] })
      for (let i = 0; i < 12; i++) await t.state.store.createContact(t.location.id, { firstName: `P${i}` })
      const states = t.state.webhooks.deliveries().map((d) => d.state === 'dropped')
      await t.state.webhooks.flush()
      t.state.webhooks.close()
      return states
    }
    const first = await pattern()
    expect(await pattern()).toEqual(first)
    expect(first).toContain(true)
    expect(first).toContain(false)
  })

  it('webhook rules never touch requests, and request rules never touch webhooks', async () => {
    await rule({ match: { webhook: true }, action: { drop: true } })
    await rule({ match: { path: '/contacts/*', method: 'PUT' }, action: { status: 503 }, times: 1 })
    const c = await create('Mixed')
    await m.http.put(`/contacts/${c.id}`).set(m.auth()).send({ lastName: 'X' }).expect(503)
    await flush()
    expect(got()).toEqual([])
    expect((await m.http.get('/__mock/requests?fault=*').expect(200)).body.requests.map((r: { status: number }) => r.status)).toEqual([503])
  })

  it('refuses a webhook action on a request rule and a request action on a webhook rule', async () => {
    const a = await m.http
      .post('/__mock/faults')
      .send({ action: { drop: true } })
      .expect(422)
    expect(JSON.stringify(a.body)).toMatch(/add \\"webhook\\": true/)
    const b = await m.http
      .post('/__mock/faults')
      .send({ match: { webhook: true }, action: { status: 500 } })
      .expect(422)
    expect(JSON.stringify(b.body)).toMatch(/webhook rule takes/)
    await m.http
      .post('/__mock/faults')
      .send({ match: { webhook: true }, action: { delay: -1 } })
      .expect(422)
  })
})

describe('webhook-chaos', () => {
  it('applies as a built-in: duplicates, reorders and delays, seeded; nothing lost, every signature valid', async () => {
    const res = await m.http.post('/__mock/scenarios').send({ name: 'webhook-chaos' }).expect(200)
    expect(res.body.rules.map((r: { id: string }) => r.id)).toEqual(['webhook-duplicate', 'webhook-reorder', 'webhook-delay'])
    const names = Array.from({ length: 30 }, (_, i) => `C${i}`)
    for (const n of names) await create(n)
    await flush()
    await m.http.post('/__mock/clock').send({ advanceMs: 300_000 }).expect(200)
    await flush()
    const faults = m.state.webhooks
      .deliveries()
      .filter((d) => names.includes(d.payload.firstName as string))
      .map((d) => d.fault?.split(' ')[1])
      .filter(Boolean)
    expect(new Set(faults)).toEqual(new Set(['duplicate', 'reorder', `delay=300000`]))
    const handled: string[] = []
    const h = createWebhookHandler({
      publicKey: m.state.webhooks.signer.publicKeyRaw,
      now: () => m.state.clock.now(),
      toleranceMs: 600_000,
      onEvent: (e) => void handled.push((e as { firstName: string }).firstName),
    })
    for (const r of rx.received) expect((await h.handle(r.raw, r.headers as Record<string, string>)).status).toBe(200)
    expect(handled.sort()).toEqual([...names].sort())
    expect(rx.received.length).toBeGreaterThan(names.length)
    expect(rx.received.map((r) => r.body.firstName)).not.toEqual(names)
  })
})

/**
 * Webhook delivery end to end: API writes → store change events → signed POSTs to a
 * real local receiver; bodies checked against the vendor's webhook schemas, signatures
 * against the published public key; retries, timeouts and subscriptions on the mock clock.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadUpstreamWebhooks } from '../../contracts/upstream.ts'
import { createSigner } from '../../mock/webhooks/sign.ts'
import { MAX_RETRIES, RETRY_INTERVAL_MS, RETRY_JITTER_MS } from '../../mock/webhooks/queue.ts'
import { makeMock, T0, type TestMock } from '../support/mock.ts'
import { startReceiver, type Receiver } from '../support/receiver.ts'

const vendor = await loadUpstreamWebhooks()
if (!vendor) console.warn('[webhooks] vendor schema checks skipped: ../shared/upstream/webhooks not found')

let m: TestMock
let rx: Receiver
let publicKey: ReturnType<typeof createPublicKey>

const flush = async () => (await m.http.post('/__mock/webhooks/flush').expect(200)).body.deliveries
const deliveries = async (query = '') => (await m.http.get(`/__mock/webhooks/deliveries${query}`).expect(200)).body.deliveries
const signedByMock = (r: { raw: Buffer; headers: Record<string, any> }) =>
  verify(null, r.raw, publicKey, Buffer.from(String(r.headers['x-ghl-signature']), 'base64'))

beforeAll(async () => {
  rx = await startReceiver()
  m = await makeMock({ webhooks: [rx.url] })
  const keys = (await m.http.get('/__mock/webhooks/public-key').expect(200)).body
  publicKey = createPublicKey(keys.ed25519)
})

afterAll(async () => {
  await rx.close()
  m.state.webhooks.close()
  expect(m.state.selfCheckFailures).toEqual([])
})

beforeEach(async () => {
  await flush()
  rx.received.length = 0
  rx.respond = []
  rx.fallback = 200
})

describe('every API write sends the webhook the real API sends', () => {
  it('contacts, tags, DND, tasks, notes: bodies valid against the vendor schemas, signed, with the envelope', async () => {
    const loc = m.location.id
    const created = (
      await m.http
        .post('/contacts/')
        .set(m.auth())
        .send({ locationId: loc, firstName: 'Web', lastName: 'Hook', email: 'web.hook@example.com', tags: ['lead'] })
        .expect(201)
    ).body.contact
    const id = created.id
    await m.http.put(`/contacts/${id}`).set(m.auth()).send({ lastName: 'Hooked' }).expect(200)
    await m.http
      .post(`/contacts/${id}/tags`)
      .set(m.auth())
      .send({ tags: ['vip'] })
      .expect(201)
    await m.http
      .delete(`/contacts/${id}/tags`)
      .set(m.auth())
      .send({ tags: ['lead'] })
      .expect(200)
    await m.http.put(`/contacts/${id}`).set(m.auth()).send({ dnd: true }).expect(200)
    const task = (
      await m.http.post(`/contacts/${id}/tasks`).set(m.auth()).send({ title: 'Call', dueDate: '2026-02-01T09:00:00Z', completed: false }).expect(201)
    ).body.task
    await m.http.put(`/contacts/${id}/tasks/${task.id}/completed`).set(m.auth()).send({ completed: true }).expect(200)
    await m.http.delete(`/contacts/${id}/tasks/${task.id}`).set(m.auth()).expect(200)
    const note = (await m.http.post(`/contacts/${id}/notes`).set(m.auth()).send({ body: 'First call went well' }).expect(201)).body.note
    await m.http.put(`/contacts/${id}/notes/${note.id}`).set(m.auth()).send({ body: 'Second call too' }).expect(200)
    await m.http.delete(`/contacts/${id}/notes/${note.id}`).set(m.auth()).expect(200)
    await m.http.delete(`/contacts/${id}`).set(m.auth()).expect(200)

    const sent = await flush()
    expect(sent.every((d: { state: string }) => d.state === 'delivered')).toBe(true)
    const types = rx.received.map((r) => r.body.type)
    expect(types).toEqual([
      'ContactCreate',
      'ContactUpdate',
      'ContactTagUpdate',
      'ContactTagUpdate',
      'ContactDndUpdate',
      'TaskCreate',
      'TaskComplete',
      'TaskDelete',
      'NoteCreate',
      'NoteUpdate',
      'NoteDelete',
      'ContactDelete',
    ])
    for (const r of rx.received) {
      expect(signedByMock(r), r.body.type).toBe(true)
      expect(vendor?.(r.body.type, r.body) ?? [], r.body.type).toEqual([])
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['x-wh-signature']).toBeUndefined()
      expect(r.body).toMatchObject({ locationId: loc, appId: m.state.apps.defaultApp.appId, timestamp: new Date(T0).toISOString() })
      expect(r.body.webhookId).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(new Set(rx.received.map((r) => r.body.webhookId)).size).toBe(rx.received.length)
    const [create, , tagAdd, tagRemove, dnd, taskCreate, taskDone, , noteCreate, noteUpdate] = rx.received.map((r) => r.body)
    expect(create).toMatchObject({ id, firstName: 'Web', lastName: 'Hook', email: 'web.hook@example.com', tags: ['lead'], dnd: false })
    expect(tagAdd.tags).toEqual(['lead', 'vip'])
    expect(tagRemove.tags).toEqual(['vip'])
    expect(dnd).toMatchObject({ id, dnd: true })
    expect(taskCreate).toMatchObject({ id: task.id, contactId: id, title: 'Call', dueDate: task.dueDate })
    expect(taskDone).toMatchObject({ id: task.id, contactId: id })
    expect(noteCreate).toMatchObject({ id: note.id, contactId: id, body: 'First call went well' })
    expect(noteUpdate).toMatchObject({ id: note.id, body: 'Second call too' })
    // A delete carries the deleted record.
    expect(rx.received.at(-1)!.body).toMatchObject({ type: 'ContactDelete', id, lastName: 'Hooked', tags: ['vip'] })
  })

  it('appointment events are fired by hand; the body is the vendor shape', async () => {
    const appointment = {
      id: 'apt1',
      calendarId: 'cal1',
      contactId: 'c1',
      title: 'Demo',
      appointmentStatus: 'confirmed',
      startTime: '2026-02-01T09:00:00Z',
      endTime: '2026-02-01T09:30:00Z',
      users: [],
    }
    for (const type of ['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete']) {
      const res = await m.http
        .post('/__mock/webhooks/events')
        .send({ type, locationId: m.location.id, data: { appointment, webhookId: 'forged' } })
        .expect(202)
      expect(res.body.deliveries).toHaveLength(1)
    }
    await flush()
    expect(rx.received.map((r) => r.body.type)).toEqual(['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete'])
    for (const r of rx.received) {
      expect(vendor?.(r.body.type, r.body) ?? []).toEqual([])
      expect(r.body.appointment).toEqual(appointment)
      expect(r.body.webhookId).not.toBe('forged')
      expect(signedByMock(r)).toBe(true)
    }
  })

  it('refuses an unknown event type or location', async () => {
    await m.http.post('/__mock/webhooks/events').send({ type: 'ContactExplode', locationId: m.location.id }).expect(422)
    await m.http.post('/__mock/webhooks/events').send({ type: 'ContactCreate', locationId: 'nowhere' }).expect(400)
  })
})

const newContact = (firstName = 'Retry') => m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, firstName }).expect(201)
const advance = (ms: number) => m.http.post('/__mock/clock').send({ advanceMs: ms }).expect(200)

describe('retries: only a 429, up to 6 times, 10 minutes apart plus jitter, on the mock clock', () => {
  it('429 every time: 1 attempt + 6 retries, each due 10 min + jitter after the last; then failed', async () => {
    rx.fallback = 429
    await newContact()
    let [d] = await flush()
    expect(d).toMatchObject({ state: 'pending', attempts: [{ status: 429 }] })
    for (let retry = 1; retry <= MAX_RETRIES; retry++) {
      const due = Date.parse(d.nextAttemptAt)
      const last = Date.parse(d.attempts.at(-1).time)
      expect(due - last).toBeGreaterThanOrEqual(RETRY_INTERVAL_MS)
      expect(due - last).toBeLessThan(RETRY_INTERVAL_MS + RETRY_JITTER_MS)
      // Not due yet: a flush sends nothing.
      await advance(RETRY_INTERVAL_MS - 1)
      expect(await flush()).toEqual([])
      await advance(due - last - RETRY_INTERVAL_MS + 1)
      ;[d] = await flush()
      expect(d.attempts).toHaveLength(retry + 1)
    }
    expect(d.state).toBe('failed')
    expect(d.nextAttemptAt).toBeUndefined()
    expect(rx.received).toHaveLength(1 + MAX_RETRIES)
    // Every retry is the same delivery (same webhookId and data), stamped with its own time so it is not stale.
    expect(new Set(rx.received.map((r) => r.body.webhookId)).size).toBe(1)
    expect(rx.received.map((r) => r.body.timestamp)).toEqual(d.attempts.map((a: { time: string }) => a.time))
    expect(new Set(rx.received.map((r) => JSON.stringify({ ...r.body, timestamp: 0 }))).size).toBe(1)
    await m.http
      .post('/__mock/clock')
      .send({ set: new Date(T0).toISOString() })
      .expect(200)
  })

  it('moving the clock sends the retries that became due by itself (no flush)', async () => {
    rx.respond = [429]
    await newContact('Auto')
    await flush()
    await advance(RETRY_INTERVAL_MS + RETRY_JITTER_MS)
    await rx.waitFor(2)
    expect(rx.received.map((r) => r.body.firstName)).toEqual(['Auto', 'Auto'])
    await flush()
    await m.http
      .post('/__mock/clock')
      .send({ set: new Date(T0).toISOString() })
      .expect(200)
  })

  it('429 then 200: delivered on the first retry', async () => {
    rx.respond = [429]
    await newContact()
    const [first] = await flush()
    expect(first.state).toBe('pending')
    await advance(RETRY_INTERVAL_MS + RETRY_JITTER_MS)
    const [d] = await flush()
    expect(d).toMatchObject({ state: 'delivered', attempts: [{ status: 429 }, { status: 200 }] })
    await m.http
      .post('/__mock/clock')
      .send({ set: new Date(T0).toISOString() })
      .expect(200)
  })

  it.each([400, 401, 404, 500, 502, 503])('%i is final: one attempt, failed', async (status) => {
    rx.fallback = status
    await newContact()
    const [d] = await flush()
    expect(d).toMatchObject({ state: 'failed', attempts: [{ status }] })
    await advance(2 * RETRY_INTERVAL_MS)
    expect(await flush()).toEqual([])
    expect(rx.received).toHaveLength(1)
    await m.http
      .post('/__mock/clock')
      .send({ set: new Date(T0).toISOString() })
      .expect(200)
  })

  it('the deliveries list filters by type, state and url', async () => {
    rx.respond = [500]
    await newContact('Filter')
    await flush()
    const failed = await deliveries('?state=failed&type=ContactCreate')
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every((d: { state: string; type: string }) => d.state === 'failed' && d.type === 'ContactCreate')).toBe(true)
    expect(await deliveries(`?url=${encodeURIComponent('http://127.0.0.1:1/none')}`)).toEqual([])
    await m.http.get('/__mock/webhooks/deliveries?state=lost').expect(422)
  })
})

describe('subscriptions', () => {
  it('POST adds one with an event and location filter; GET lists; DELETE removes', async () => {
    const other = await startReceiver()
    try {
      const sub = (
        await m.http
          .post('/__mock/webhooks')
          .send({ url: other.url, events: ['ContactTagUpdate'], locationId: m.other.location.id })
          .expect(201)
      ).body
      expect(sub).toMatchObject({ id: expect.any(String), url: other.url, events: ['ContactTagUpdate'], locationId: m.other.location.id, source: 'control' })
      expect((await m.http.get('/__mock/webhooks').expect(200)).body.webhooks.map((w: { url: string }) => w.url)).toEqual([rx.url, other.url])
      const mine = (await newContact('Sub')).body.contact
      await m.http
        .post(`/contacts/${mine.id}/tags`)
        .set(m.auth())
        .send({ tags: ['x'] })
        .expect(201)
      const theirs = (await m.http.post('/contacts/').set(m.auth(m.other.token)).send({ locationId: m.other.location.id, firstName: 'Other' }).expect(201)).body
        .contact
      await m.http
        .post(`/contacts/${theirs.id}/tags`)
        .set(m.auth(m.other.token))
        .send({ tags: ['y'] })
        .expect(201)
      await flush()
      expect(other.received.map((r) => [r.body.type, r.body.id])).toEqual([['ContactTagUpdate', theirs.id]])
      expect(rx.received).toHaveLength(4)
      await m.http.delete(`/__mock/webhooks/${sub.id}`).expect(204)
      await m.http.delete(`/__mock/webhooks/${sub.id}`).expect(404)
      await m.http
        .post(`/contacts/${theirs.id}/tags`)
        .set(m.auth(m.other.token))
        .send({ tags: ['z'] })
        .expect(201)
      await flush()
      expect(other.received).toHaveLength(1)
    } finally {
      await other.close()
    }
  })

  it('refuses a bad URL, an unknown event and an unknown location', async () => {
    await m.http.post('/__mock/webhooks').send({ url: 'ftp://example.com/x' }).expect(400)
    await m.http.post('/__mock/webhooks').send({ url: 'not a url' }).expect(422)
    await m.http
      .post('/__mock/webhooks')
      .send({ url: rx.url, events: ['Nope'] })
      .expect(422)
    await m.http.post('/__mock/webhooks').send({ url: rx.url, locationId: 'nowhere' }).expect(400)
  })
})

describe('keys', () => {
  it('the Ed25519 key comes from the seed: same seed, same key; another seed, another key', async () => {
    const other = await makeMock({ seed: 2, contacts: 5 })
    expect(createSigner({ seed: 1 }).publicKeyRaw).toBe(m.state.webhooks.signer.publicKeyRaw)
    expect(other.state.webhooks.signer.publicKeyRaw).not.toBe(m.state.webhooks.signer.publicKeyRaw)
    const keys = (await m.http.get('/__mock/webhooks/public-key').expect(200)).body
    expect(Buffer.from(keys.ed25519Raw, 'base64')).toHaveLength(32)
    expect(keys.ed25519).toContain('BEGIN PUBLIC KEY')
    expect(createPublicKey(keys.rsa).asymmetricKeyType).toBe('rsa')
    other.state.webhooks.close()
  })
})

describe('--webhook-key', () => {
  it('signs with the Ed25519 and RSA keys of a PEM file instead of the seed-derived ones; refuses other keys', () => {
    const ed = generateKeyPairSync('ed25519')
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const pem = [ed.privateKey, rsa.privateKey].map((k) => k.export({ type: 'pkcs8', format: 'pem' })).join('\n')
    const signer = createSigner({ seed: 1, keyPem: pem })
    const body = '{"type":"ContactCreate"}'
    expect(verify(null, Buffer.from(body), ed.publicKey, Buffer.from(signer.sign(body), 'base64'))).toBe(true)
    expect(verify('sha256', Buffer.from(body), rsa.publicKey, Buffer.from(signer.signLegacy(body), 'base64'))).toBe(true)
    expect(signer.publicKeys().rsa).toBe(rsa.publicKey.export({ type: 'spki', format: 'pem' }))
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    expect(() => createSigner({ seed: 1, keyPem: ec })).toThrow(/ec keys are not supported/)
    expect(() => createSigner({ seed: 1, keyPem: 'nothing here' })).toThrow(/no PEM private key/)
  })
})

describe('timeouts', () => {
  it('an attempt that outlasts --webhook-timeout is final; the API answer did not wait for it', async () => {
    const slow = await startReceiver(() => undefined)
    slow.fallback = 'hang'
    const t = await makeMock({ webhooks: [slow.url], webhookTimeoutMs: 150, contacts: 5 })
    try {
      await t.http.post('/contacts/').set(t.auth()).send({ locationId: t.location.id, firstName: 'Slow' }).expect(201)
      // The answer is back while the delivery is still open.
      expect((await t.http.get('/__mock/webhooks/deliveries').expect(200)).body.deliveries[0]).toMatchObject({ state: 'pending', attempts: [] })
      const [d] = (await t.http.post('/__mock/webhooks/flush').expect(200)).body.deliveries
      expect(d).toMatchObject({ state: 'failed', attempts: [{ error: 'timeout after 150 ms' }] })
      expect(d.attempts[0].status).toBeUndefined()
      expect(d.attempts[0].durationMs).toBeGreaterThanOrEqual(140)
    } finally {
      t.state.webhooks.close()
      await slow.close()
    }
  })

  it('a receiver that is not listening: failed with the network error, not retried', async () => {
    const gone = await startReceiver()
    await gone.close()
    const t = await makeMock({ webhooks: [gone.url], contacts: 5 })
    await t.http.post('/contacts/').set(t.auth()).send({ locationId: t.location.id, firstName: 'Gone' }).expect(201)
    const [d] = (await t.http.post('/__mock/webhooks/flush').expect(200)).body.deliveries
    expect(d.state).toBe('failed')
    expect(d.attempts[0].error).toMatch(/ECONNREFUSED|connect/i)
    t.state.webhooks.close()
  })
})

describe('strict mode', () => {
  it('a receiver answering non-2xx is reported', async () => {
    await m.http.put('/__mock/contract').send({ strict: true }).expect(200)
    rx.respond = [500]
    await newContact('Strict')
    await flush()
    const { violations } = (await m.http.get('/__mock/contract/violations').expect(200)).body
    expect(violations.at(-1)).toMatchObject({ kind: 'webhook-not-acknowledged', request: { method: 'POST', path: rx.url }, response: { status: 500 } })
    await m.http.put('/__mock/contract').send({ strict: false }).expect(200)
    await m.http.delete('/__mock/contract/violations').expect(204)
  })

  it('a 429 the platform will retry is the receiver asking for later, not a violation; the last one is', async () => {
    await m.http.put('/__mock/contract').send({ strict: true }).expect(200)
    rx.respond = [429]
    await newContact('Later')
    await flush()
    await advance(RETRY_INTERVAL_MS + RETRY_JITTER_MS)
    expect((await flush())[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 429 }, { status: 200 }] })
    expect((await m.http.get('/__mock/contract/violations').expect(200)).body.violations).toEqual([])
    rx.fallback = 429
    await newContact('Never')
    let [d] = await flush()
    for (let retry = 1; retry <= MAX_RETRIES; retry++) {
      await advance(RETRY_INTERVAL_MS + RETRY_JITTER_MS)
      ;[d] = await flush()
    }
    expect(d.state).toBe('failed')
    const { violations } = (await m.http.get('/__mock/contract/violations').expect(200)).body
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ kind: 'webhook-not-acknowledged', response: { status: 429 } })
    rx.fallback = 200
    await m.http.put('/__mock/contract').send({ strict: false }).expect(200)
    await m.http.delete('/__mock/contract/violations').expect(204)
    await m.http
      .post('/__mock/clock')
      .send({ set: new Date(T0).toISOString() })
      .expect(200)
  })
})

describe('redeliver', () => {
  it('sends a failed delivery again with the same webhookId and payload, its attempts added to the same list', async () => {
    rx.respond = [500]
    await newContact('Again')
    const [failed] = await flush()
    expect(failed.state).toBe('failed')
    const queued = (await m.http.post(`/__mock/webhooks/deliveries/${failed.webhookId}/redeliver`).expect(202)).body
    expect(queued).toMatchObject({ webhookId: failed.webhookId, state: 'pending' })
    await flush()
    const [after] = await deliveries(`?url=${encodeURIComponent(rx.url)}&state=delivered`).then((list) =>
      list.filter((d: { webhookId: string }) => d.webhookId === failed.webhookId),
    )
    expect(after.attempts.map((a: { status: number }) => a.status)).toEqual([500, 200])
    const bodies = rx.received.map((r) => JSON.parse(r.raw.toString()))
    expect(bodies.map((b) => b.webhookId)).toEqual([failed.webhookId, failed.webhookId])
    expect({ ...bodies[1], timestamp: 0 }).toEqual({ ...bodies[0], timestamp: 0 })
    expect(signedByMock(rx.received[1])).toBe(true)
    await m.http.post('/__mock/webhooks/deliveries/nope/redeliver').expect(404)
  })
})

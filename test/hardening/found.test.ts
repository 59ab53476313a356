/**
 * Regression cases from the fuzzing run of issue 11: each of these answered 500 (or
 * broke the mock until restart) before the fix. They must answer a clear 4xx in the GHL
 * error shape, and the mock must stay healthy afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeMock, type TestMock } from '../support/mock.ts'

let m: TestMock
let contactId: string
let taskId: string
let noteId: string

const JSON_CT = { 'Content-Type': 'application/json' }
const isGhlError = (body: any, status: number) => body && body.statusCode === status && (typeof body.message === 'string' || Array.isArray(body.message))

beforeAll(async () => {
  m = await makeMock({ contacts: 20 })
  const { body } = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=1`).set(m.auth())
  contactId = body.contacts[0].id
  const task = await m.http.post(`/contacts/${contactId}/tasks`).set(m.auth()).send({ title: 'T', dueDate: '2026-02-01T00:00:00Z', completed: false })
  taskId = task.body.task.id
  const note = await m.http.post(`/contacts/${contactId}/notes`).set(m.auth()).send({ body: 'N' })
  noteId = note.body.note.id
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

async function healthy() {
  const res = await m.http.get('/__mock/health')
  expect(res.status).toBe(200)
}

describe('a write with no body', () => {
  it('PUT /contacts/{id} without a body is not a 500', async () => {
    const res = await m.http.put(`/contacts/${contactId}`).set(m.auth())
    expect(res.status).toBeLessThan(500)
    expect(res.status).toBe(200)
  })

  it('PUT /contacts/{id}/tasks/{taskId} without a body is not a 500', async () => {
    const res = await m.http.put(`/contacts/${contactId}/tasks/${taskId}`).set(m.auth())
    expect(res.status).toBeLessThan(500)
  })

  it('PUT /contacts/{id}/notes/{noteId} without a body is not a 500', async () => {
    const res = await m.http.put(`/contacts/${contactId}/notes/${noteId}`).set(m.auth())
    expect(res.status).toBeLessThan(500)
  })

  it('POST /contacts/ without a body is a 422 naming locationId', async () => {
    const res = await m.http.post('/contacts/').set(m.auth())
    expect(res.status).toBe(422)
    expect(isGhlError(res.body, 422)).toBe(true)
  })
})

describe('search fields naming built-in properties', () => {
  const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', '__defineGetter__']
  const search = (extra: object) =>
    m.http
      .post('/contacts/search')
      .set(m.auth())
      .send({ locationId: m.location.id, pageLimit: 5, ...extra })

  it.each(names)('filters[].field %s is an ordinary unknown field', async (field) => {
    for (const filter of [
      { field, operator: 'eq', value: 'x' },
      { field, operator: 'exists' },
      { field, operator: 'contains', value: 'o' },
      { field, operator: 'range', value: { gte: 1 } },
    ]) {
      const res = await search({ filters: [filter] })
      expect(res.status).toBe(200)
      expect(res.body.total).toBe(0)
    }
    const missing = await search({ filters: [{ field, operator: 'not_exists' }] })
    expect(missing.status).toBe(200)
    expect(missing.body.total).toBe(20)
  })

  it.each(names)('sort[].field %s sorts like a missing field', async (field) => {
    const res = await search({ sort: [{ field, direction: 'desc' }] })
    expect(res.status).toBe(200)
    expect(res.body.contacts).toHaveLength(5)
  })

  it('nested paths through built-ins read nothing (customFields.constructor, a.__proto__.x)', async () => {
    for (const field of ['customFields.constructor', 'dndSettings.__proto__', 'dndSettings.constructor.name', 'tags.length']) {
      const res = await search({ filters: [{ field, operator: 'exists' }] })
      expect(res.status).toBe(200)
      expect(res.body.total).toBe(0)
    }
  })
})

describe('deeply nested JSON', () => {
  it('customFields[].field_value nested 5,000 levels → 400 at parse time', async () => {
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`
    const res = await m.http
      .put(`/contacts/${contactId}`)
      .set({ ...m.auth(), ...JSON_CT })
      .send(`{"customFields":[{"id":"a","field_value":${deep}}]}`)
    expect(res.status).toBe(400)
    expect(isGhlError(res.body, 400)).toBe(true)
    expect(res.body.message).toMatch(/nest/)
    await healthy()
  })

  it('search groups nested 3,000 levels → 400 at parse time', async () => {
    let group = '{"field":"tags","operator":"exists"}'
    for (let i = 0; i < 3000; i++) group = `{"group":"AND","filters":[${group}]}`
    const res = await m.http
      .post('/contacts/search')
      .set({ ...m.auth(), ...JSON_CT })
      .send(`{"locationId":"${m.location.id}","pageLimit":1,"filters":[${group}]}`)
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/nest/)
    await healthy()
  })

  it('a body within the nesting limit still works (search groups 10 deep)', async () => {
    let group: object = { field: 'tags', operator: 'exists' }
    for (let i = 0; i < 10; i++) group = { group: 'OR', filters: [group] }
    const res = await m.http
      .post('/contacts/search')
      .set(m.auth())
      .send({ locationId: m.location.id, pageLimit: 1, filters: [group] })
    expect(res.status).toBe(200)
  })

  it('brackets inside strings do not count as nesting', async () => {
    const res = await m.http
      .put(`/contacts/${contactId}`)
      .set(m.auth())
      .send({ firstName: '[[[[{{{{'.repeat(10) })
    expect(res.status).toBe(200)
  })
})

describe('string lengths', () => {
  it('a 1,000,000-character firstName → 422', async () => {
    const res = await m.http
      .put(`/contacts/${contactId}`)
      .set(m.auth())
      .send({ firstName: 'a'.repeat(1_000_000) })
    expect(res.status).toBe(422)
    expect(res.body.message.join(' ')).toMatch(/firstName/)
  })

  it('a long but plausible name is still accepted', async () => {
    const res = await m.http
      .put(`/contacts/${contactId}`)
      .set(m.auth())
      .send({ firstName: 'a'.repeat(200) })
    expect(res.status).toBe(200)
  })
})

describe('control API numbers', () => {
  it.each([['{"advanceMs": 8.64e15}'], ['{"advanceMs": 1E400}'], ['{"advanceMs": 9007199254740993}'], ['{"set": "+275760-09-13T00:00:00.000Z"}']])(
    'POST /__mock/clock %s → 422, and the mock keeps working',
    async (body) => {
      const res = await m.http.post('/__mock/clock').set(JSON_CT).send(body)
      expect(res.status).toBe(422)
      expect(isGhlError(res.body, 422)).toBe(true)
      await healthy()
      const clock = await m.http.get('/__mock/clock')
      expect(clock.status).toBe(200)
      const read = await m.http.get(`/contacts/${contactId}`).set(m.auth())
      expect(read.status).toBe(200)
    },
  )

  it('advancing the clock step by step past the last writable instant is refused, and leaves it unmoved', async () => {
    const before = (await m.http.get('/__mock/clock')).body.epochMs
    expect((await m.http.post('/__mock/clock').send({ set: '8995-01-01T00:00:00.000Z' })).status).toBe(200)
    const refused = await m.http.post('/__mock/clock').send({ advanceMs: 315_360_000_000 })
    expect(refused.status).toBe(422)
    expect((await m.http.get('/__mock/clock')).body.now).toBe('8995-01-01T00:00:00.000Z')
    // A token issued now still has a writable expiry.
    const token = await m.http.post('/__mock/tokens').send({ locationId: m.location.id, kind: 'oauth', expiresIn: 315_360_000 })
    expect(token.status).toBe(201)
    await healthy()
    expect((await m.http.post('/__mock/clock').send({ set: new Date(before).toISOString() })).status).toBe(200)
  })

  it('POST /__mock/reset {"locations":1000,"contacts":100000} → 422 without reseeding', async () => {
    const res = await m.http.post('/__mock/reset').send({ locations: 1000, contacts: 100000 })
    expect(res.status).toBe(422)
    expect(isGhlError(res.body, 422)).toBe(true)
    const big = await m.http.post('/__mock/reset').send({ locations: 50, contacts: 100000 })
    expect(big.status).toBe(422)
    expect(big.body.message.join(' ')).toMatch(/20000/)
    expect(await m.state.store.listLocations()).toHaveLength(m.locations.length)
  })

  it.each([
    ['/__mock/tokens', { locationId: 'x', expiresIn: 1e300 }],
    ['/__mock/faults', { action: { latency: 1e12 } }],
    ['/__mock/faults', { action: { status: 500 }, times: 1e300 }],
  ])('POST %s with an out-of-range number → 422', async (path, body) => {
    const res = await m.http.post(path).send(body)
    expect(res.status).toBe(422)
  })

  it('PUT /__mock/limits/{appId} with an out-of-range number → 422', async () => {
    const res = await m.http.put('/__mock/limits/*').send({ burst: 1e300 })
    expect(res.status).toBe(422)
  })
})

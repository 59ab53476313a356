import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMockApp } from '../../mock/app.ts'
import { makeMock, type TestMock } from '../support/mock.ts'

const dir = mkdtempSync(join(tmpdir(), 'ghl-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Reads a QA engineer would compare: contacts pages, one contact with its tasks and notes, search. */
async function reads(m: TestMock, token: string, locationId: string, contactId: string) {
  const auth = m.auth(token)
  const get = async (path: string) => {
    const res = await m.http.get(path).set(auth)
    return { status: res.status, body: res.body }
  }
  return {
    list: await get(`/contacts/?locationId=${locationId}&limit=100`),
    contact: await get(`/contacts/${contactId}`),
    tasks: await get(`/contacts/${contactId}/tasks`),
    notes: await get(`/contacts/${contactId}/notes`),
    search: (
      await m.http
        .post('/contacts/search')
        .set(auth)
        .send({ locationId, pageLimit: 20, sort: [{ field: 'firstNameLowerCase', direction: 'asc' }] })
    ).body,
    apps: (await m.http.get('/__mock/apps')).body,
    faults: (await m.http.get('/__mock/faults')).body,
    limits: (await m.http.get('/__mock/limits')).body,
    clock: (await m.http.get('/__mock/clock')).body,
    installs: (await m.http.get('/__mock/installs')).body,
    webhooks: (await m.http.get('/__mock/webhooks')).body,
  }
}

describe('save and load a state', async () => {
  // A mock with history: a created contact, a task, a note, an issued token, a new app, a fault rule, a limit, a moved clock.
  const a = await makeMock({ contacts: 20, seed: 'qa-bug-1' })
  const created = await a.http
    .post('/contacts/')
    .set(a.auth())
    .send({ locationId: a.location.id, firstName: 'Zed', email: 'zed@example.com', tags: ['vip'] })
  const contactId = created.body.contact.id
  await a.http.post(`/contacts/${contactId}/tasks`).set(a.auth()).send({ title: 'Call back', dueDate: '2026-02-01T10:00:00Z', completed: false })
  await a.http.post(`/contacts/${contactId}/notes`).set(a.auth()).send({ body: 'Asked for a quote' })
  const issued = await a.http.post('/__mock/tokens').send({ locationId: a.location.id, scopes: ['contacts.readonly'] })
  const app = await a.http.post('/__mock/apps').send({ name: 'QA app', redirectUris: ['http://localhost:9999/cb'] })
  await a.http.post('/__mock/faults').send({ match: { operationId: 'delete-contact' }, action: { status: 503 }, times: 2 })
  await a.http.put('/__mock/limits/*').send({ burst: 7, windowMs: 5000, daily: 900 })
  await a.http.post('/__mock/clock').send({ advanceMs: 3_600_000 })
  await a.http
    .post('/__mock/webhooks')
    .send({ url: 'http://127.0.0.1:9/hooks', events: ['ContactCreate'], locationId: a.location.id })
    .expect(201)
  const saved = await a.http.get('/__mock/state')

  it('exports data, tokens, apps, rules, limits and clock as one JSON document', async () => {
    expect(saved.status).toBe(200)
    expect(saved.headers['content-disposition']).toContain('attachment')
    const file = saved.body
    expect(file).toMatchObject({ format: 'ghl-mock-state', version: 1, seed: 'qa-bug-1', clock: { frozen: true } })
    expect(file.data.contacts.map((c: { id: string }) => c.id)).toContain(contactId)
    expect(file.data.tasks.some((t: { contactId: string }) => t.contactId === contactId)).toBe(true)
    // Seeded contacts' tasks, notes and appointments are drawn from the seed on first read: the file has them all.
    for (const kind of ['tasks', 'notes', 'appointments'] as const) {
      const read = { tasks: 'listTasks', notes: 'listNotes', appointments: 'listAppointments' } as const
      let expected = 0
      for (const c of file.data.contacts) expected += (await a.state.store[read[kind]](c.id)).length
      expect(expected, kind).toBeGreaterThan(0)
      expect(file.data[kind], kind).toHaveLength(expected)
    }
    expect(file.tokens.map((t: { token: string }) => t.token)).toContain(issued.body.access_token)
    expect(file.apps.map((x: { clientId: string }) => x.clientId)).toContain(app.body.clientId)
    expect(file.faults[0]).toMatchObject({ match: { operationId: 'delete-contact' }, action: { status: 503 }, times: 2, seen: 0, fired: 0 })
    expect(file.webhooks).toEqual([{ id: 'wh-1', url: 'http://127.0.0.1:9/hooks', events: ['ContactCreate'], locationId: a.location.id, source: 'control' }])
    expect(file.limits.defaults).toEqual({ off: false, burst: 7, windowMs: 5000, daily: 900 })
  })

  it('loaded into a fresh mock (another seed) gives identical reads, and saves back to the same document', async () => {
    const b = await makeMock({ contacts: 3, seed: 'unrelated' })
    const loaded = await b.http.put('/__mock/state').send(saved.body)
    expect(loaded.status).toBe(200)
    expect(loaded.body).toMatchObject({ status: 'loaded', seed: 'qa-bug-1', counts: { contacts: 41, tasks: saved.body.data.tasks.length } })
    expect(await reads(b, a.token, a.location.id, contactId)).toEqual(await reads(a, a.token, a.location.id, contactId))
    // The issued token and the seeded ones work in the new mock.
    expect((await b.http.get(`/contacts/${contactId}`).set(b.auth(issued.body.access_token))).status).toBe(200)
    expect(b.state.defaultTokens.map((t) => t.token)).toEqual(a.state.defaultTokens.map((t) => t.token))
    const again = await b.http.get('/__mock/state')
    expect({ ...again.body, exportedAt: 0 }).toEqual({ ...saved.body, exportedAt: 0 })
    expect(b.state.selfCheckFailures).toEqual([])
  })

  it('records created after a load get ids of their own (no collision with loaded ones)', async () => {
    const c = await makeMock({ contacts: 20, seed: 'qa-bug-1' })
    await c.http.put('/__mock/state').send(saved.body).expect(200)
    const next = await c.http.post('/contacts/').set(c.auth()).send({ locationId: c.location.id, firstName: 'New' })
    expect(next.status).toBe(201)
    expect(saved.body.data.contacts.map((x: { id: string }) => x.id)).not.toContain(next.body.contact.id)
    const token = await c.http.post('/__mock/tokens').send({ locationId: c.location.id })
    expect(saved.body.tokens.map((t: { token: string }) => t.token)).not.toContain(token.body.access_token)
  })

  it('a document with schema errors is refused with every problem listed, and nothing changes', async () => {
    const b = await makeMock({ contacts: 3 })
    const before = (await b.http.get('/__mock/state')).body
    const bad = structuredClone(saved.body)
    bad.version = 2
    delete bad.clock
    bad.tokens[0].kind = 'jwt'
    bad.limits.defaults = { off: false, burst: 0, windowMs: 86_400_001, daily: 2_000_000_000 }
    const res = await b.http.put('/__mock/state').send(bad)
    expect(res.status).toBe(422)
    expect(res.body.message.length).toBeGreaterThanOrEqual(3)
    expect(res.body.message.join('\n')).toMatch(/version/)
    expect(res.body.message.join('\n')).toMatch(/clock/)
    expect(res.body.message.join('\n')).toMatch(/kind/)
    for (const key of ['burst', 'windowMs', 'daily']) expect(res.body.message.join('\n')).toContain(`limits.defaults.${key} must not be`)
    expect((await b.http.get('/__mock/state')).body).toEqual(before)
  })

  it('a document whose records do not fit together is refused with every problem listed', async () => {
    const b = await makeMock({ contacts: 3 })
    const bad = structuredClone(saved.body)
    bad.data.contacts[0].locationId = 'nowhere'
    bad.data.tasks[0].contactId = 'ghost'
    bad.data.notes.push(structuredClone(bad.data.notes[0]))
    bad.defaultTokens.push('pit-missing')
    bad.faults[0].after = 1
    bad.limits.apps.x = { off: false, burst: 5, daily: 1 }
    bad.webhooks.push({ ...bad.webhooks[0], locationId: 'elsewhere' })
    const res = await b.http.put('/__mock/state').send(bad)
    expect(res.status).toBe(422)
    const text = res.body.message.join('\n')
    for (const expected of [
      'location "nowhere" is not in data.locations',
      'contact "ghost" is not in data.contacts',
      'appears more than once',
      '"pit-missing" is not in tokens',
      'use one of times, after, probability',
      'limits.apps["x"].windowMs is required',
    ]) {
      expect(text).toContain(expected)
    }
  })

  it('--state <file> loads a saved state at start; a bad file stops the start with every problem', async () => {
    const good = join(dir, 'good.json')
    writeFileSync(good, JSON.stringify(saved.body))
    const b = await createMockApp({ stateFile: good, contacts: 1 })
    expect((await b.state.store.getContact(contactId))?.firstName).toBe('Zed')
    expect(b.state.clock.now()).toBe(saved.body.clock.epochMs)

    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...saved.body, format: 'other', settings: {} }))
    await expect(createMockApp({ stateFile: bad })).rejects.toThrow(/state file .*bad\.json is invalid:\n {2}- .*format[\s\S]*\n {2}- .*settings/)
    const proto = join(dir, 'proto.json')
    writeFileSync(proto, '{"__proto__": {"polluted": true}}')
    await expect(createMockApp({ stateFile: proto })).rejects.toThrow(/not valid JSON/)
    await expect(createMockApp({ stateFile: join(dir, 'missing.json') })).rejects.toThrow(/cannot read state file .*ENOENT/)
  })
})

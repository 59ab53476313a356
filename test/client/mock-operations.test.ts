/**
 * Every Contacts operation through the client against the in-process mock (strict mode
 * on: the client must not break the consumer contract), then the error kinds as the
 * mock produces them, then a run over a real socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGhlClient, GhlError } from '../../client/index.ts'
import { createClock } from '../../mock/clock.ts'
import { startMockServer } from '../../mock/server.ts'
import { T0 } from '../support/mock.ts'
import { mockClient, type MockClient } from './mock-client.ts'

let t: MockClient

beforeAll(async () => {
  t = await mockClient({ mock: { strict: true } })
})

afterAll(() => {
  expect(t.m.state.selfCheckFailures).toEqual([])
})

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(GhlError)
      return err as GhlError
    },
  )

describe('every operation through the client', () => {
  it('contacts, tasks, notes, tags, followers, campaigns, workflows, businesses, appointments', async () => {
    const { ghl, m } = t
    const loc = m.location
    const email = 'ada.lovelace@example.com'

    const created = await ghl.contacts.create({
      locationId: loc.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email,
      phone: '+14155550100',
      tags: ['client-test'],
    })
    const id = created.contact.id
    expect(id).toMatch(/^[A-Za-z0-9]{20}$/)
    expect((await ghl.contacts.get(id)).contact).toMatchObject({ id, email, firstName: 'Ada' })
    expect((await ghl.contacts.update(id, { lastName: 'King' })).contact.lastName).toBe('King')
    const upserted = await ghl.contacts.upsert({ locationId: loc.id, email, firstName: 'Augusta', createNewIfDuplicateAllowed: false })
    expect(upserted).toMatchObject({ new: false, contact: { id, firstName: 'Augusta' } })
    expect((await ghl.contacts.findDuplicate({ locationId: loc.id, email })).contact?.id).toBe(id)
    const found = await ghl.contacts.search({ locationId: loc.id, pageLimit: 10, filters: [{ field: 'email', operator: 'eq', value: email }] })
    expect(found.contacts.map((c) => c.id)).toEqual([id])
    const listed = await ghl.contacts.list({ locationId: loc.id, limit: 5 })
    expect(listed.contacts).toHaveLength(5)

    // tasks
    const task = (await ghl.tasks.create(id, { title: 'Call back', dueDate: '2026-02-01T10:00:00Z', completed: false })).task
    expect((await ghl.tasks.list(id)).tasks.map((x) => x.id)).toContain(task.id)
    expect((await ghl.tasks.get(id, task.id)).task.title).toBe('Call back')
    expect((await ghl.tasks.update(id, task.id, { title: 'Call back soon' })).task.title).toBe('Call back soon')
    expect((await ghl.tasks.complete(id, task.id)).task.completed).toBe(true)
    expect(await ghl.tasks.delete(id, task.id)).toEqual({ succeded: true })

    // notes
    const note = (await ghl.notes.create(id, { body: 'Met at the conference' })).note
    expect((await ghl.notes.list(id)).notes.map((x) => x.id)).toContain(note.id)
    expect((await ghl.notes.get(id, note.id)).note.body).toBe('Met at the conference')
    expect((await ghl.notes.update(id, note.id, { body: 'Met at the 2026 conference' })).note.body).toBe('Met at the 2026 conference')
    expect(await ghl.notes.delete(id, note.id)).toEqual({ succeded: true })

    // tags
    expect((await ghl.tags.add(id, { tags: ['vip', 'partner'] })).tags).toEqual(expect.arrayContaining(['vip', 'partner']))
    expect((await ghl.tags.remove(id, { tags: ['partner'] })).tags).not.toContain('partner')
    expect((await ghl.tags.bulkUpdate('add', { locationId: loc.id, contacts: [id], tags: ['bulk'] })).succeded).toBe(true)
    expect((await ghl.tags.bulkUpdate('remove', { locationId: loc.id, contacts: [id], tags: ['bulk'] })).succeded).toBe(true)

    // followers
    const user = loc.users[0].id
    expect((await ghl.followers.add(id, { followers: [user] })).followers).toContain(user)
    expect((await ghl.followers.remove(id, { followers: [user] })).followers).not.toContain(user)

    // campaigns and workflows
    const campaign = loc.campaigns[0].id
    expect(await ghl.campaigns.add(id, campaign)).toEqual({ succeded: true })
    expect(await ghl.campaigns.remove(id, campaign)).toEqual({ succeded: true })
    expect(await ghl.campaigns.removeAll(id)).toEqual({ succeded: true })
    const workflow = loc.workflows[0].id
    expect(await ghl.workflows.add(id, workflow, { eventStartTime: '2026-02-01T10:00:00+01:00' })).toEqual({ succeded: true })
    expect(await ghl.workflows.remove(id, workflow)).toEqual({ succeded: true })

    // businesses
    const business = loc.businesses[0].id
    expect(await ghl.businesses.setContacts({ locationId: loc.id, ids: [id], businessId: business })).toMatchObject({ success: true, ids: [id] })
    expect((await ghl.businesses.contacts(business, { locationId: loc.id, limit: 100 })).contacts.map((c) => c.id)).toContain(id)
    await ghl.businesses.setContacts({ locationId: loc.id, ids: [id], businessId: null })

    // appointments (read only)
    expect(Array.isArray((await ghl.appointments.list(id)).events)).toBe(true)

    expect(await ghl.contacts.delete(id)).toEqual({ succeded: true })
    expect((await fail(ghl.contacts.get(id))).kind).toBe('not-found')

    // The client broke no rule of the consumer contract along the way.
    expect(m.state.strict.violations.list()).toEqual([])
  })
})

describe('error kinds, as the mock answers', () => {
  it('duplicate create exposes the existing contact; nothing is sent twice', async () => {
    const { ghl, m } = t
    const existing = (await m.state.store.listContacts(m.location.id, { limit: 1 })).contacts[0]
    const before = m.state.journal.list({ operationId: 'create-contact' }).length
    const err = await fail(ghl.contacts.create({ locationId: m.location.id, email: existing.email! }))
    expect(err).toMatchObject({ kind: 'duplicate', status: 400, existingContactId: existing.id, operation: 'create-contact', attempts: 1 })
    expect(m.state.journal.list({ operationId: 'create-contact' }).length - before).toBe(1)
  })

  it('validation lists every violated constraint', async () => {
    const err = await fail(t.ghl.contacts.create({ locationId: t.m.location.id, ...({ bogus: 1, alsoBogus: 2 } as object) }))
    expect(err.kind).toBe('validation')
    expect(err.status).toBe(422)
    expect(err.messages.length).toBeGreaterThanOrEqual(2)
  })

  it('auth, scope and location', async () => {
    const { m } = t
    const garbage = t.client({ token: 'garbage' })
    expect((await fail(garbage.contacts.list({ locationId: m.location.id }))).kind).toBe('auth')

    const readOnly = m.state.tokens.issue({
      kind: 'pit',
      userType: 'Location',
      locationId: m.location.id,
      companyId: m.location.companyId,
      scopes: ['contacts.readonly'],
    })
    const reader = t.client({ token: readOnly.token })
    await reader.contacts.list({ locationId: m.location.id, limit: 1 })
    expect((await fail(reader.contacts.create({ locationId: m.location.id, firstName: 'No' }))).kind).toBe('scope')

    const otherContact = (await m.state.store.listContacts(m.other.location.id, { limit: 1 })).contacts[0]
    expect((await fail(t.ghl.contacts.get(otherContact.id))).kind).toBe('location')
  })

  it('an unpublished Version is a validation error, not auth', async () => {
    const client = t.client({ version: '2099-01-01' as never })
    expect((await fail(client.contacts.list({ locationId: t.m.location.id }))).kind).toBe('validation')
  })
})

describe('over a real socket', () => {
  it('create, read, search, delete with global fetch', async () => {
    const clock = createClock({ start: T0, frozen: true })
    const server = await startMockServer({ port: 0, clock, selfCheck: true })
    try {
      const locations = await server.app.state.store.listLocations()
      const token = server.app.state.defaultTokens.find((x) => x.locationId === locations[0].id)!.token
      const ghl = createGhlClient({ baseUrl: server.url, token, now: () => clock.now(), sleep: async (ms) => clock.advance(ms) })
      const { contact } = await ghl.contacts.create({ locationId: locations[0].id, firstName: 'Grace', email: 'grace@example.com' })
      expect((await ghl.contacts.get(contact.id)).contact.email).toBe('grace@example.com')
      const hits = await ghl.contacts.search({ locationId: locations[0].id, pageLimit: 5, query: 'grace@example.com' })
      expect(hits.contacts.map((c) => c.id)).toContain(contact.id)
      expect(await ghl.contacts.delete(contact.id)).toEqual({ succeded: true })
      expect(server.app.state.selfCheckFailures).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('a refused connection is retried, then surfaces as a network error', async () => {
    const server = await startMockServer({ port: 0 })
    const url = server.url
    await server.close()
    const slept: number[] = []
    const ghl = createGhlClient({ baseUrl: url, token: 'pit-x', sleep: async (ms) => void slept.push(ms), retry: { maxAttempts: 3 } })
    await expect(ghl.contacts.create({ locationId: 'l' })).rejects.toMatchObject({ kind: 'network', attempts: 3, maybeApplied: false })
    expect(slept).toHaveLength(2)
  })
})

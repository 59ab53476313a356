/** The memory store: seeding, partitioning, indexes, search semantics and paging, events. */
import { beforeEach, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'
import { generateWorld } from '../../mock/seed/generate.ts'
import type { ChangeEvent, Location, Store } from '../../mock/store/types.ts'

const seed = { seed: 11, locations: 2, contacts: 200 }
let store: Store
let a: Location
let b: Location

beforeEach(async () => {
  store = createMemoryStore({ clock: createClock({ start: Date.UTC(2026, 0, 1), frozen: true }), seed })
  ;[a, b] = await store.listLocations()
})

describe('seed', () => {
  it('is deterministic and seed-dependent', () => {
    expect(JSON.stringify(generateWorld(seed))).toBe(JSON.stringify(generateWorld(seed)))
    expect(generateWorld({ ...seed, seed: 12 }).contacts[0].id).not.toBe(generateWorld(seed).contacts[0].id)
  })

  it('has 20-character ids and unique emails per location', () => {
    const w = generateWorld(seed)
    for (const x of [...w.locations, ...w.contacts, ...w.tasks, ...w.notes]) expect(x.id).toMatch(/^[A-Za-z0-9]{20}$/)
    const emails = w.contacts.filter((c) => c.locationId === w.locations[0].id).map((c) => c.email)
    expect(new Set(emails).size).toBe(emails.length)
  })
})

describe('contacts', () => {
  it('keeps locations apart', async () => {
    const created = await store.createContact(a.id, { firstName: 'Only', lastName: 'InA', email: 'only@a.test' })
    const inB = await store.searchContacts(b.id, { locationId: b.id, pageLimit: 500, query: 'only@a.test' })
    expect(inB.total).toBe(0)
    const inA = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500, query: 'only@a.test' })
    expect(inA.contacts.map((c) => c.id)).toEqual([created.id])
  })

  it('maintains the duplicate indexes through updates and deletes', async () => {
    const c = await store.createContact(a.id, { firstName: 'Dup', email: 'Dup@Example.com', phone: '+1 (555) 010-0000' })
    expect((await store.findDuplicate(a.id, { email: 'dup@example.com' }))?.contact.id).toBe(c.id)
    expect((await store.findDuplicate(a.id, { phone: '+15550100000' }))?.matchingField).toBe('phone')
    await store.updateContact(c.id, { email: 'new@example.com' })
    expect(await store.findDuplicate(a.id, { email: 'dup@example.com' })).toBeUndefined()
    expect((await store.findDuplicate(a.id, { email: 'new@example.com' }))?.contact.id).toBe(c.id)
    await store.deleteContact(c.id)
    expect(await store.findDuplicate(a.id, { email: 'new@example.com' })).toBeUndefined()
  })

  it('email beats phone when they point at different contacts', async () => {
    const byEmail = await store.createContact(a.id, { email: 'first@example.com' })
    await store.createContact(a.id, { phone: '+15550109999' })
    const hit = await store.findDuplicate(a.id, { email: 'first@example.com', phone: '+15550109999' })
    expect(hit).toMatchObject({ contact: { id: byEmail.id }, matchingField: 'email' })
  })

  it('returns copies: mutating a result changes nothing', async () => {
    const [first] = (await store.listContacts(a.id, { limit: 1 })).contacts
    first.firstName = 'Mutated'
    expect((await store.getContact(first.id))?.firstName).not.toBe('Mutated')
  })

  it('pages GET /contacts/ with the cursor without gaps or duplicates', async () => {
    const seen: string[] = []
    let cursor: { startAfter?: number; startAfterId?: string } = {}
    for (;;) {
      const { contacts, total } = await store.listContacts(a.id, { limit: 37, ...cursor })
      expect(total).toBe(200)
      if (contacts.length === 0) break
      seen.push(...contacts.map((c) => c.id))
      const last = contacts.at(-1)!
      cursor = { startAfter: Date.parse(last.dateAdded), startAfterId: last.id }
    }
    expect(seen).toHaveLength(200)
    expect(new Set(seen).size).toBe(200)
  })
})

describe('search', () => {
  const ids = async (body: Record<string, unknown>) => (await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500, ...body } as any)).contacts.map((c) => c.id)
  const all = async () => (await store.listContacts(a.id, { limit: 1000 })).contacts

  it('eq / not_eq on scalars and arrays, case-insensitively', async () => {
    const contacts = await all()
    const vip = contacts.filter((c) => c.tags.includes('vip')).map((c) => c.id).sort()
    expect((await ids({ filters: [{ field: 'tags', operator: 'eq', value: 'VIP' }] })).sort()).toEqual(vip)
    expect((await ids({ filters: [{ field: 'tags', operator: 'not_eq', value: 'vip' }] })).length).toBe(200 - vip.length)
    const one = contacts[5]
    expect(await ids({ filters: [{ field: 'email', operator: 'eq', value: one.email!.toUpperCase() }] })).toEqual([one.id])
  })

  it('contains / not_contains, exists / not_exists', async () => {
    const contacts = await all()
    const withBiz = contacts.filter((c) => c.businessId).length
    expect((await ids({ filters: [{ field: 'businessId', operator: 'exists' }] })).length).toBe(withBiz)
    expect((await ids({ filters: [{ field: 'businessId', operator: 'not_exists' }] })).length).toBe(200 - withBiz)
    const yahoo = contacts.filter((c) => c.email!.includes('yahoo')).length
    expect((await ids({ filters: [{ field: 'email', operator: 'contains', value: 'YAHOO' }] })).length).toBe(yahoo)
    expect((await ids({ filters: [{ field: 'email', operator: 'not_contains', value: 'yahoo' }] })).length).toBe(200 - yahoo)
  })

  it('range on dates (ISO or ms) and on custom field numbers', async () => {
    const contacts = await all()
    const from = '2024-01-01T00:00:00.000Z'
    const to = Date.UTC(2024, 5, 30)
    const want = contacts.filter((c) => c.dateAdded >= from && Date.parse(c.dateAdded) <= to).length
    expect((await ids({ filters: [{ field: 'dateAdded', operator: 'range', value: { gte: from, lte: to } }] })).length).toBe(want)
    const hoursField = a.customFields.find((f) => f.key === 'contact.hours_completed')!
    const over = contacts.filter((c) => Number(c.customFields?.find((f) => f.id === hoursField.id)?.value ?? -1) > 100).length
    const res = await ids({ filters: [{ field: `customFields.${hoursField.id}`, operator: 'range', value: { gt: 100 } }] })
    expect(res.length).toBe(over)
    expect(over).toBeGreaterThan(0)
  })

  it('nested AND/OR groups', async () => {
    const contacts = await all()
    const want = contacts.filter((c) => (c.tags.includes('vip') || c.tags.includes('partner')) && c.type === 'lead').length
    const res = await ids({
      filters: [{ group: 'AND', filters: [{ group: 'OR', filters: [{ field: 'tags', operator: 'eq', value: 'vip' }, { field: 'tags', operator: 'eq', value: 'partner' }] }, { field: 'type', operator: 'eq', value: 'lead' }] }],
    })
    expect(res.length).toBe(want)
    expect(want).toBeGreaterThan(0)
  })

  it('sorts asc/desc with id as the tiebreaker; default newest first', async () => {
    const def = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500 })
    const dates = def.contacts.map((c) => c.dateAdded)
    expect(dates).toEqual([...dates].sort().reverse())
    const byName = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500, sort: [{ field: 'firstName', direction: 'asc' }] })
    const names = byName.contacts.map((c) => c.firstName!.toLowerCase())
    expect(names).toEqual([...names].sort())
  })

  it('page/pageLimit and searchAfter walk the same order without gaps', async () => {
    const pages: string[] = []
    for (let page = 1; page <= 5; page++) pages.push(...(await store.searchContacts(a.id, { locationId: a.id, pageLimit: 45, page })).contacts.map((c) => c.id))
    const cursorWalk: string[] = []
    let after: Array<string | number> | undefined
    for (;;) {
      const res = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 45, searchAfter: after })
      if (res.contacts.length === 0) break
      cursorWalk.push(...res.contacts.map((c) => c.id))
      after = res.contacts.at(-1)!.searchAfter
    }
    expect(cursorWalk).toEqual(pages)
    expect(new Set(cursorWalk).size).toBe(200)
  })
})

describe('events', () => {
  it('emits one event per write, typed like HighLevel webhooks', async () => {
    const events: ChangeEvent[] = []
    store.onChange((e) => events.push(e))
    const c = await store.createContact(a.id, { firstName: 'Ev' })
    await store.updateContact(c.id, { tags: ['x'] })
    await store.updateContact(c.id, { dnd: true })
    await store.updateContact(c.id, { lastName: 'Ent' })
    const t = await store.createTask(c.id, { title: 't', dueDate: '2026-01-01T00:00:00Z' })
    await store.updateTask(c.id, t.id, { completed: true })
    const n = await store.createNote(c.id, { body: 'n' })
    await store.updateNote(c.id, n.id, { body: 'm' })
    await store.deleteNote(c.id, n.id)
    await store.deleteTask(c.id, t.id)
    await store.deleteContact(c.id)
    expect(events.map((e) => e.type)).toEqual([
      'ContactCreate', 'ContactTagUpdate', 'ContactDndUpdate', 'ContactUpdate', 'TaskCreate', 'TaskComplete', 'NoteCreate', 'NoteUpdate', 'NoteDelete', 'TaskDelete', 'ContactDelete',
    ])
  })
})

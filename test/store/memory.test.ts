/** The memory store: seeding, partitioning, indexes, search semantics and paging, events. */
import { beforeEach, describe, expect, it } from 'vitest'
import { createClock, type Clock } from '../../mock/clock.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'
import type { ChangeEvent, Location, Store } from '../../mock/store/types.ts'

const seed = { seed: 11, locations: 2, contacts: 200 }
let store: Store
let clock: Clock
let a: Location
let b: Location

beforeEach(async () => {
  clock = createClock({ start: Date.UTC(2026, 0, 1), frozen: true })
  store = createMemoryStore({ clock, seed })
  ;[a, b] = await store.listLocations()
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

  it('hands out frozen records: changing a listed or found one fails and changes nothing', async () => {
    const [listed] = (await store.listContacts(a.id, { limit: 1 })).contacts
    const [found] = (await store.searchContacts(a.id, { locationId: a.id, pageLimit: 1 } as any)).contacts
    expect(() => Object.assign(listed, { firstName: 'Mutated' })).toThrow(TypeError)
    expect(() => (found.tags ?? []).push('mutated')).toThrow(TypeError)
    expect((await store.getContact(listed.id))?.firstName).not.toBe('Mutated')
    expect((await store.getContact(found.id))?.tags).not.toContain('mutated')
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
  const ids = async (body: Record<string, unknown>) =>
    (await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500, ...body } as any)).contacts.map((c) => c.id)
  const all = async () => (await store.listContacts(a.id, { limit: 1000 })).contacts

  it('eq / not_eq on scalars and arrays, case-insensitively', async () => {
    const contacts = await all()
    const vip = contacts
      .filter((c) => c.tags.includes('vip'))
      .map((c) => c.id)
      .sort()
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
      filters: [
        {
          group: 'AND',
          filters: [
            {
              group: 'OR',
              filters: [
                { field: 'tags', operator: 'eq', value: 'vip' },
                { field: 'tags', operator: 'eq', value: 'partner' },
              ],
            },
            { field: 'type', operator: 'eq', value: 'lead' },
          ],
        },
      ],
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
      after = res.cursors.at(-1)
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
      'ContactCreate',
      'ContactTagUpdate',
      'ContactDndUpdate',
      'ContactUpdate',
      'TaskCreate',
      'TaskComplete',
      'NoteCreate',
      'NoteUpdate',
      'NoteDelete',
      'TaskDelete',
      'ContactDelete',
    ])
  })
})

describe('contacts: writes', () => {
  it('createContact fills ids, dates, lower-case copies and defaults', async () => {
    const c = await store.createContact(a.id, { firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Example.COM', tags: ['x', 'x', 'y'] })
    expect(c.id).toMatch(/^[A-Za-z0-9]{20}$/)
    expect(c).toMatchObject({
      locationId: a.id,
      dateAdded: '2026-01-01T00:00:00.000Z',
      dateUpdated: '2026-01-01T00:00:00.000Z',
      name: 'Ada Lovelace',
      firstNameLowerCase: 'ada',
      lastNameLowerCase: 'lovelace',
      fullNameLowerCase: 'ada lovelace',
      emailLowerCase: 'ada@example.com',
      tags: ['x', 'y'],
      followers: [],
      campaigns: {},
      workflows: {},
    })
    expect(await store.getContact(c.id)).toEqual(c)
    expect((await store.createContact(a.id, {})).tags).toEqual([])
  })

  it('updateContact merges, re-derives names and bumps dateUpdated; unknown ids throw', async () => {
    const c = await store.createContact(a.id, { firstName: 'Ada', lastName: 'Lovelace', companyName: 'Engines' })
    clock.advance(5_000)
    const u = await store.updateContact(c.id, { lastName: 'King', tags: ['a', 'a'] })
    expect(u).toMatchObject({
      firstName: 'Ada',
      lastName: 'King',
      name: 'Ada King',
      fullNameLowerCase: 'ada king',
      lastNameLowerCase: 'king',
      companyName: 'Engines',
      tags: ['a'],
    })
    expect(u.dateAdded).toBe(c.dateAdded)
    expect(u.dateUpdated).toBe('2026-01-01T00:00:05.000Z')
    await expect(store.updateContact('AAAAAAAAAAAAAAAAAAAA', { firstName: 'x' })).rejects.toThrow()
  })

  it('updates the phone index when the phone changes', async () => {
    const c = await store.createContact(a.id, { phone: '+15550101111' })
    await store.updateContact(c.id, { phone: '+1 555 010 2222' })
    expect(await store.findDuplicate(a.id, { phone: '+15550101111' })).toBeUndefined()
    expect((await store.findDuplicate(a.id, { phone: '15550102222' }))?.contact.id).toBe(c.id)
    // Duplicate lookups stay within the location.
    expect(await store.findDuplicate(b.id, { phone: '15550102222' })).toBeUndefined()
  })

  it('deleting a contact removes it everywhere, with its tasks, notes and appointments', async () => {
    const seeded = (await store.listContacts(a.id, { limit: 200 })).contacts
    let victim = seeded[0]
    for (const c of seeded) {
      if ((await store.listTasks(c.id)).length && (await store.listNotes(c.id)).length && (await store.listAppointments(c.id)).length) {
        victim = c
        break
      }
    }
    expect((await store.listTasks(victim.id)).length).toBeGreaterThan(0)
    expect(await store.deleteContact(victim.id)).toBe(true)
    expect(await store.deleteContact(victim.id)).toBe(false)
    expect(await store.getContact(victim.id)).toBeUndefined()
    expect(await store.listTasks(victim.id)).toEqual([])
    expect(await store.listNotes(victim.id)).toEqual([])
    expect(await store.listAppointments(victim.id)).toEqual([])
    expect((await store.listContacts(a.id, { limit: 500 })).total).toBe(199)
    const search = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500 })
    expect(search.total).toBe(199)
    expect(search.contacts.some((c) => c.id === victim.id)).toBe(false)
    expect(await store.findDuplicate(a.id, { email: victim.email })).toBeUndefined()
  })

  it('keeps locations apart in every listing; ids are global', async () => {
    const [fromB] = (await store.listContacts(b.id, { limit: 1 })).contacts
    expect((await store.getContact(fromB.id))?.locationId).toBe(b.id)
    const listA = (await store.listContacts(a.id, { limit: 1000 })).contacts
    expect(listA.every((c) => c.locationId === a.id)).toBe(true)
    expect(listA.some((c) => c.id === fromB.id)).toBe(false)
    const searchA = await store.searchContacts(a.id, { locationId: a.id, pageLimit: 500, filters: [{ field: 'email', operator: 'eq', value: fromB.email! }] })
    expect(searchA.total).toBe(0)
    if (fromB.businessId) expect((await store.contactsByBusiness(a.id, fromB.businessId, { limit: 100, skip: 0 })).total).toBe(0)
    expect(await store.findDuplicate(a.id, { email: fromB.email })).toBeUndefined()
  })

  it('contactsByBusiness: members only, oldest first, skip/limit/query, total of all matches', async () => {
    const all = (await store.listContacts(a.id, { limit: 1000 })).contacts
    const biz = a.businesses[0].id
    const members = all.filter((c) => c.businessId === biz)
    expect(members.length).toBeGreaterThan(3)
    const page = await store.contactsByBusiness(a.id, biz, { limit: 3, skip: 1 })
    expect(page.total).toBe(members.length)
    expect(page.contacts.map((c) => c.id)).toEqual(members.slice(1, 4).map((c) => c.id))
    const one = await store.contactsByBusiness(a.id, biz, { limit: 10, skip: 0, query: members[2].email! })
    expect(one).toMatchObject({ total: 1, contacts: [{ id: members[2].id }] })
  })

  it('listContacts: query narrows and total counts the matches', async () => {
    const all = (await store.listContacts(a.id, { limit: 1000 })).contacts
    const gmail = all.filter((c) => c.email!.includes('gmail'))
    const res = await store.listContacts(a.id, { limit: 5, query: 'GMAIL' })
    expect(res.total).toBe(gmail.length)
    expect(res.contacts.map((c) => c.id)).toEqual(gmail.slice(0, 5).map((c) => c.id))
    // Cursor paging over the filtered list.
    const last = res.contacts.at(-1)!
    const next = await store.listContacts(a.id, { limit: 5, query: 'gmail', startAfter: Date.parse(last.dateAdded), startAfterId: last.id })
    expect(next.contacts.map((c) => c.id)).toEqual(gmail.slice(5, 10).map((c) => c.id))
  })

  it('listContacts is ordered by dateAdded then id, and a startAfterId alone resumes after that contact', async () => {
    const all = (await store.listContacts(a.id, { limit: 1000 })).contacts
    const keys = all.map((c) => `${c.dateAdded}|${c.id}`)
    expect(keys).toEqual([...keys].sort())
    const res = await store.listContacts(a.id, { limit: 3, startAfterId: all[10].id })
    expect(res.contacts.map((c) => c.id)).toEqual(all.slice(11, 14).map((c) => c.id))
  })
})

describe('search on the store', () => {
  const body = (extra: Record<string, unknown> = {}) => ({ locationId: a.id, pageLimit: 500, ...extra }) as any

  it('sorts asc and desc by date and by two fields', async () => {
    const desc = (await store.searchContacts(a.id, body())).contacts.map((c) => c.id)
    const asc = (await store.searchContacts(a.id, body({ sort: [{ field: 'dateAdded', direction: 'asc' }] }))).contacts.map((c) => c.id)
    expect(asc).toEqual([...desc].reverse())
    expect(asc).toEqual((await store.listContacts(a.id, { limit: 500 })).contacts.map((c) => c.id))
    const two = await store.searchContacts(
      a.id,
      body({
        sort: [
          { field: 'type', direction: 'asc' },
          { field: 'dateAdded', direction: 'desc' },
        ],
      }),
    )
    const want = [...two.contacts].sort((x, y) => (x.type! < y.type! ? -1 : x.type! > y.type! ? 1 : y.dateAdded.localeCompare(x.dateAdded)))
    const [first] = two.contacts
    expect(two.contacts.map((c) => c.id)).toEqual(want.map((c) => c.id))
    expect(two.cursors[0]).toEqual([first.type, Date.parse(first.dateAdded), first.id])
    expect(two.cursors).toHaveLength(two.contacts.length)
  })

  it('page × pageLimit stops at 10,000 records; total is every match', async () => {
    const p2 = await store.searchContacts(a.id, body({ pageLimit: 30, page: 2 }))
    const all = (await store.searchContacts(a.id, body())).contacts
    expect(p2.contacts.map((c) => c.id)).toEqual(all.slice(30, 60).map((c) => c.id))
    expect(p2.total).toBe(200)
    expect((await store.searchContacts(a.id, body({ pageLimit: 30, page: 7 }))).contacts).toHaveLength(20)
    expect((await store.searchContacts(a.id, body({ pageLimit: 500, page: 21 }))).contacts).toEqual([])
  })

  it('filters through the store with customFields.<id> and customField.<id>', async () => {
    const all = (await store.listContacts(a.id, { limit: 1000 })).contacts
    const level = a.customFields.find((f) => f.dataType === 'SINGLE_OPTIONS')!
    const want = all
      .filter((c) => c.customFields?.some((f) => f.id === level.id && f.value === 'advanced'))
      .map((c) => c.id)
      .sort()
    expect(want.length).toBeGreaterThan(0)
    for (const field of [`customFields.${level.id}`, `customField.${level.id}`]) {
      const res = await store.searchContacts(a.id, body({ filters: [{ field, operator: 'eq', value: 'Advanced' }] }))
      expect(res.contacts.map((c) => c.id).sort()).toEqual(want)
    }
  })

  it('sorted views follow creates, updates and deletes', async () => {
    const sort = [{ field: 'lastName', direction: 'asc' }]
    const names = async () => (await store.searchContacts(a.id, body({ sort }))).contacts.map((c) => [c.lastNameLowerCase ?? '', c.id])
    await names() // builds the view
    const x = await store.createContact(a.id, { firstName: 'X', lastName: 'Mmmm' })
    const y = await store.createContact(a.id, { firstName: 'Y', lastName: 'Aaaa' })
    await store.updateContact(x.id, { lastName: 'Zzzz' })
    const [first] = (await store.listContacts(a.id, { limit: 1 })).contacts
    await store.deleteContact(first.id)
    const got = await names()
    expect(got).toHaveLength(201)
    expect(got).toEqual([...got].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : 1)))
    expect(got.map((p) => p[1])).toContain(y.id)
    expect(got.find((p) => p[1] === x.id)?.[0]).toBe('zzzz')
    expect(got.map((p) => p[1])).not.toContain(first.id)
  })
})

describe('paging through 400 contacts', () => {
  const big = { seed: 'paging', locations: 1, contacts: 400 }
  let s: Store
  let loc: Location
  beforeEach(async () => {
    s = createMemoryStore({ clock: createClock({ start: Date.UTC(2026, 0, 1), frozen: true }), seed: big })
    ;[loc] = await s.listLocations()
  })

  async function walk(extra: Record<string, unknown>, pageLimit: number) {
    const seen: string[] = []
    let after: Array<string | number> | undefined
    for (let guard = 0; guard < 1000; guard++) {
      const res = await s.searchContacts(loc.id, { locationId: loc.id, pageLimit, searchAfter: after, ...extra } as any)
      if (res.contacts.length === 0) return seen
      seen.push(...res.contacts.map((c) => c.id))
      after = res.cursors.at(-1)
    }
    throw new Error('no end')
  }

  it('searchAfter visits every contact once, in the order of one big page, for several sorts and filters', async () => {
    for (const extra of [
      {},
      { sort: [{ field: 'dateAdded', direction: 'asc' }] },
      {
        sort: [
          { field: 'lastName', direction: 'desc' },
          { field: 'firstName', direction: 'asc' },
        ],
      },
      { sort: [{ field: 'type', direction: 'asc' }] },
      { filters: [{ field: 'tags', operator: 'exists' }], sort: [{ field: 'email', direction: 'asc' }] },
    ]) {
      const one = await s.searchContacts(loc.id, { locationId: loc.id, pageLimit: 500, ...extra } as any)
      const seen = await walk(extra, 37)
      expect(seen).toEqual(one.contacts.map((c) => c.id))
      expect(new Set(seen).size).toBe(one.total)
      if (!('filters' in extra)) expect(one.total).toBe(400)
    }
  })

  it('GET /contacts/ cursor visits every contact once', async () => {
    const seen: string[] = []
    let cursor: { startAfter?: number; startAfterId?: string } = {}
    for (;;) {
      const { contacts, total } = await s.listContacts(loc.id, { limit: 33, ...cursor })
      expect(total).toBe(400)
      if (contacts.length === 0) break
      seen.push(...contacts.map((c) => c.id))
      const last = contacts.at(-1)!
      cursor = { startAfter: Date.parse(last.dateAdded), startAfterId: last.id }
    }
    expect(seen).toHaveLength(400)
    expect(new Set(seen).size).toBe(400)
  })

  it('cursor paging stays gap-free while contacts are created behind the cursor', async () => {
    const first = await s.searchContacts(loc.id, { locationId: loc.id, pageLimit: 100, sort: [{ field: 'dateAdded', direction: 'asc' }] })
    // New contacts are dated "now" (2026), after every seeded one: they appear at the end of an ascending walk.
    await s.createContact(loc.id, { firstName: 'Late' })
    const rest = await s.searchContacts(loc.id, {
      locationId: loc.id,
      pageLimit: 500,
      sort: [{ field: 'dateAdded', direction: 'asc' }],
      searchAfter: first.cursors.at(-1),
    })
    expect(rest.contacts).toHaveLength(301)
    expect(rest.contacts.at(-1)!.firstName).toBe('Late')
  })
})

describe('tasks and notes', () => {
  it('create, update, delete with ids from the store; notes dated by the clock', async () => {
    const c = await store.createContact(a.id, { firstName: 'T' })
    const t = await store.createTask(c.id, { title: 'Call', body: 'about pricing', dueDate: '2026-02-01T00:00:00.000Z', assignedTo: a.users[0].id })
    expect(t).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9]{20}$/), contactId: c.id, locationId: a.id, title: 'Call', completed: false })
    expect(await store.updateTask(c.id, t.id, { body: 'new' })).toMatchObject({ id: t.id, title: 'Call', body: 'new' })
    expect(await store.getTask(c.id, t.id)).toMatchObject({ body: 'new' })
    expect(await store.listTasks(c.id)).toHaveLength(1)
    expect(await store.deleteTask(c.id, t.id)).toBe(true)
    expect(await store.deleteTask(c.id, t.id)).toBe(false)

    clock.advance(60_000)
    const n = await store.createNote(c.id, { body: 'hello', userId: a.users[0].id })
    expect(n).toMatchObject({ contactId: c.id, locationId: a.id, body: 'hello', dateAdded: '2026-01-01T00:01:00.000Z' })
    expect(await store.updateNote(c.id, n.id, { body: 'bye' })).toMatchObject({ id: n.id, body: 'bye', dateAdded: n.dateAdded })
    expect(await store.listNotes(c.id)).toHaveLength(1)
    expect(await store.getNote('AAAAAAAAAAAAAAAAAAAA', n.id)).toBeUndefined()
    await expect(store.updateNote(c.id, 'AAAAAAAAAAAAAAAAAAAA', { body: 'x' })).rejects.toThrow()
    await expect(store.updateTask(c.id, 'AAAAAAAAAAAAAAAAAAAA', { body: 'x' })).rejects.toThrow()
  })

  it('seeded appointments are listed per contact', async () => {
    const all = (await store.listContacts(a.id, { limit: 1000 })).contacts
    let found = 0
    for (const c of all) {
      for (const ap of await store.listAppointments(c.id)) {
        expect(ap).toMatchObject({ contactId: c.id, locationId: a.id, calendarId: expect.any(String), startTime: expect.any(String) })
        found++
      }
    }
    expect(found).toBeGreaterThan(50)
  })
})

describe('events and reset', () => {
  it('tells TaskUpdate from TaskComplete, and tag/DND-only updates from mixed ones', async () => {
    const events: ChangeEvent[] = []
    const off = store.onChange((e) => events.push(e))
    const c = await store.createContact(a.id, { firstName: 'Ev', tags: ['a'] })
    await store.updateContact(c.id, { tags: ['a', 'b'], firstName: 'Ev' }) // firstName unchanged: still tags only
    await store.updateContact(c.id, { tags: ['c'], lastName: 'X' })
    await store.updateContact(c.id, { dndSettings: { SMS: { status: 'active' } } })
    const t = await store.createTask(c.id, { title: 't', completed: true })
    await store.updateTask(c.id, t.id, { completed: true })
    await store.updateTask(c.id, t.id, { completed: false })
    await store.updateTask(c.id, t.id, { completed: true })
    off()
    await store.deleteContact(c.id)
    expect(events.map((e) => e.type)).toEqual([
      'ContactCreate',
      'ContactTagUpdate',
      'ContactUpdate',
      'ContactDndUpdate',
      'TaskCreate',
      'TaskUpdate',
      'TaskUpdate',
      'TaskComplete',
    ])
    expect(events.every((e) => e.time === Date.UTC(2026, 0, 1) && e.locationId === a.id)).toBe(true)
  })

  it('listeners get copies: changing an event changes nothing stored', async () => {
    store.onChange((e) => {
      if ('contact' in e) e.contact.firstName = 'Hacked'
    })
    const c = await store.createContact(a.id, { firstName: 'Safe' })
    expect(c.firstName).toBe('Safe')
    expect((await store.getContact(c.id))?.firstName).toBe('Safe')
  })

  it('reset: the same seed gives the same data and the same ids for new records', async () => {
    const make = () => createMemoryStore({ clock: createClock({ start: Date.UTC(2026, 0, 1), frozen: true }), seed })
    const other = make()
    const c1 = await store.createContact(a.id, { firstName: 'One' })
    await store.createContact(a.id, { firstName: 'Two' })
    await store.reset(seed)
    const again = await store.createContact(a.id, { firstName: 'One' })
    expect(again.id).toBe(c1.id)
    expect((await other.createContact(a.id, { firstName: 'One' })).id).toBe(c1.id)
    expect((await store.listContacts(a.id, { limit: 1000 })).total).toBe(201)

    await store.reset({ seed: 'other', locations: 3, contacts: 20 })
    const locs = await store.listLocations()
    expect(locs).toHaveLength(3)
    expect(locs.some((l) => l.id === a.id)).toBe(false)
    expect((await store.listContacts(locs[2].id, { limit: 100 })).total).toBe(20)
    expect(await store.getContact(c1.id)).toBeUndefined()
  })
})

/** Seed data: deterministic, seed-dependent, shaped like HighLevel's records. */
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SEED_TAGS, createSeeder, generateWorld, seedWorld } from '../../mock/seed/generate.ts'

const options = { seed: 11, locations: 2, contacts: 200 }
const ID = /^[A-Za-z0-9]{20}$/
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

afterEach(() => {
  vi.useRealTimers()
})

describe('generateWorld', () => {
  it('gives a byte-identical world for the same seed, whatever the time', () => {
    const first = JSON.stringify(generateWorld(options))
    vi.useFakeTimers({ now: Date.UTC(2031, 6, 4) })
    expect(JSON.stringify(generateWorld(options))).toBe(first)
  })

  it('gives the world earlier versions gave: changing a seed’s data (a draw added, dropped or moved) is a decision, not an accident', () => {
    // Pinned from the seed as it was when these were written (issue 13's start-up pass kept
    // it byte for byte). Users' fixtures and snapshots hold seeded ids and values: if a
    // change must alter them, update these and say so in the changelog.
    const sha = (o: typeof options | { seed: string; locations: number; contacts: number }) =>
      createHash('sha256')
        .update(JSON.stringify(generateWorld(o)))
        .digest('hex')
    expect(sha(options)).toBe('2ce942207fbef407fbb129f326d4d777831dfc61b244d39b8483402d88e4cac6')
    expect(sha({ seed: 'demo', locations: 1, contacts: 3000 })).toBe('2cc2acb16565d5b27c854bb16140051bab173697491fd656b52e89a96e7c403c')
  })

  it('accepts string seeds, and different seeds give different ids', () => {
    expect(JSON.stringify(generateWorld({ ...options, seed: 'demo' }))).toBe(JSON.stringify(generateWorld({ ...options, seed: 'demo' })))
    const a = generateWorld(options)
    const ids = (w: typeof a) => new Set([...w.locations, ...w.contacts, ...w.tasks, ...w.notes, ...w.appointments].map((x) => x.id))
    const mine = ids(a)
    for (const other of [generateWorld({ ...options, seed: 12 }), generateWorld({ ...options, seed: 'demo' })]) {
      const theirs = ids(other)
      expect([...theirs].filter((id) => mine.has(id))).toEqual([])
    }
  })

  it('keeps location ids when only the number of contacts changes', () => {
    const small = generateWorld({ ...options, contacts: 10 })
    const big = generateWorld({ ...options, contacts: 300 })
    expect(big.locations).toEqual(small.locations)
    // A location's contacts do not depend on how many locations there are either.
    const one = generateWorld({ ...options, locations: 1 })
    expect(one.contacts).toEqual(generateWorld(options).contacts.filter((c) => c.locationId === one.locations[0].id))
  })

  it('has 20-character ids everywhere, ISO dates with ms in 2023-01-01..2025-06-30', () => {
    const w = generateWorld(options)
    for (const x of [...w.locations, ...w.contacts, ...w.tasks, ...w.notes, ...w.appointments]) expect(x.id).toMatch(ID)
    for (const l of w.locations) for (const r of [...l.users, ...l.businesses, ...l.campaigns, ...l.workflows, ...l.customFields]) expect(r.id).toMatch(ID)
    for (const c of w.contacts) {
      expect(c.dateAdded).toMatch(ISO_MS)
      expect(c.dateUpdated).toMatch(ISO_MS)
      expect(c.dateAdded >= '2023-01-01' && c.dateUpdated <= '2025-07-01').toBe(true)
      expect(c.dateUpdated >= c.dateAdded).toBe(true)
    }
    const times = [
      ...w.notes.map((n) => n.dateAdded!),
      ...w.tasks.map((t) => t.dueDate!),
      ...w.appointments.flatMap((a) => [a.startTime!, a.endTime!, a.dateAdded!]),
    ]
    for (const t of times) expect(t).toMatch(ISO_MS)
  })

  it('shapes locations like the brief: one company, settings, users, businesses, campaigns, workflows, custom fields', () => {
    const w = generateWorld({ ...options, locations: 4 })
    expect(new Set(w.locations.map((l) => l.companyId)).size).toBe(1)
    for (const l of w.locations) {
      expect(l.name).toBeTruthy()
      expect(l.allowDuplicateContact).toBe(false)
      expect(l.duplicatePriority).toEqual(['email', 'phone'])
      expect(l.users.length).toBeGreaterThanOrEqual(3)
      expect(l.users.length).toBeLessThanOrEqual(5)
      expect([l.businesses.length, l.campaigns.length, l.workflows.length]).toEqual([3, 3, 3])
      expect(new Set(l.customFields.map((f) => f.dataType)).size).toBeGreaterThanOrEqual(5)
    }
  })

  it('makes realistic contacts: unique emails per location, E.164 phones, lower-case copies, valid references', () => {
    const w = generateWorld(options)
    for (const l of w.locations) {
      const mine = w.contacts.filter((c) => c.locationId === l.id)
      expect(mine).toHaveLength(200)
      expect(new Set(mine.map((c) => c.email)).size).toBe(200)
      expect(new Set(mine.map((c) => c.phone)).size).toBe(200)
      const users = new Set(l.users.map((u) => u.id))
      const fields = new Set(l.customFields.map((f) => f.id))
      for (const c of mine) {
        expect(c.phone).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/)
        expect(c.email).toMatch(/^[a-z0-9._]+@[a-z0-9]+\.[a-z]+$/)
        expect(c.emailLowerCase).toBe(c.email)
        expect(c.firstNameLowerCase).toBe(c.firstName!.toLowerCase())
        expect(c.lastNameLowerCase).toBe(c.lastName!.toLowerCase())
        expect(c.fullNameLowerCase).toBe(`${c.firstName} ${c.lastName}`.toLowerCase())
        expect(c.name).toBe(`${c.firstName} ${c.lastName}`)
        for (const k of ['address1', 'city', 'state', 'country', 'postalCode', 'companyName', 'website', 'timezone', 'source'] as const)
          expect(c[k]).toBeTruthy()
        expect(['lead', 'customer']).toContain(c.type)
        expect(c.tags.length).toBeLessThanOrEqual(4)
        expect(new Set(c.tags).size).toBe(c.tags.length)
        for (const t of c.tags) expect(SEED_TAGS).toContain(t)
        expect(c.followers.length).toBeLessThanOrEqual(2)
        for (const f of c.followers) expect(users.has(f)).toBe(true)
        if (c.assignedTo) expect(users.has(c.assignedTo)).toBe(true)
        if (c.businessId) expect(l.businesses.map((b) => b.id)).toContain(c.businessId)
        for (const f of c.customFields ?? []) expect(fields.has(f.id!)).toBe(true)
        if (c.dateOfBirth) expect(c.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      }
      // "Sometimes" fields are there some of the time.
      for (const k of ['businessId', 'assignedTo', 'dateOfBirth', 'dndSettings'] as const) {
        const n = mine.filter((c) => c[k]).length
        expect(n, k).toBeGreaterThan(0)
        expect(n, k).toBeLessThan(200)
      }
      expect(mine.filter((c) => c.dnd).length).toBeLessThan(40)
    }
  })

  it('gives each contact 0-3 tasks, 0-3 notes and 0-2 appointments', () => {
    const w = generateWorld(options)
    const ids = new Set(w.contacts.map((c) => c.id))
    const per = (list: Array<{ contactId: string }>) => {
      const counts = new Map<string, number>()
      for (const x of list) {
        expect(ids.has(x.contactId)).toBe(true)
        counts.set(x.contactId, (counts.get(x.contactId) ?? 0) + 1)
      }
      return Math.max(...counts.values())
    }
    expect(per(w.tasks)).toBeLessThanOrEqual(3)
    expect(per(w.notes)).toBeLessThanOrEqual(3)
    expect(per(w.appointments)).toBeLessThanOrEqual(2)
    for (const t of w.tasks)
      expect(t).toMatchObject({ title: expect.any(String), body: expect.any(String), assignedTo: expect.any(String), completed: expect.any(Boolean) })
    for (const n of w.notes) expect(n).toMatchObject({ body: expect.any(String), userId: expect.any(String) })
    for (const a of w.appointments) {
      expect(a).toMatchObject({
        calendarId: expect.stringMatching(ID),
        status: expect.any(String),
        appointmentStatus: expect.any(String),
        title: expect.any(String),
        assignedUserId: expect.any(String),
      })
      expect(a.endTime! > a.startTime!).toBe(true)
    }
  })
})

describe('createSeeder', () => {
  it('seeds what seedWorld seeds, for each seed in turn: the pools it keeps are the seed’s own', () => {
    const seeder = createSeeder()
    const small = { locations: 1, contacts: 20 }
    const contacts = (w: { contacts: unknown[] }) => JSON.stringify(w.contacts)
    for (const seed of [3, 3, 'other', 3]) {
      expect(contacts(seeder.seedWorld({ seed, ...small }))).toBe(contacts(seedWorld({ seed, ...small })))
    }
  })
})

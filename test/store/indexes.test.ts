/**
 * The search indexes stay consistent with the data: after random writes (tag add/remove,
 * field set/clear, create, delete), an indexed search answers exactly what a naive scan
 * over every contact answers: same total, same contacts, same order, same pages.
 */
import { createFieldIndexes } from '../../mock/store/indexes/fields.ts'
import { createTextIndex } from '../../mock/store/indexes/text.ts'
import { describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createRng } from '../../mock/rng.ts'
import { SEED_TAGS } from '../../mock/seed/generate.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'
import { matches } from '../../mock/store/search.ts'
import type { Contact, SearchBody, Store } from '../../mock/store/types.ts'
import { and, andNot, count, hasBit, or, setBit, type Bits } from '../../mock/store/indexes/bitset.ts'

type Filters = NonNullable<SearchBody['filters']>

const pick = <T>(rng: ReturnType<typeof createRng>, list: readonly T[]) => list[Math.floor(rng.next() * list.length)]

const TAGS = [...SEED_TAGS, 'fresh']
const COUNTRIES = ['US', 'DE', 'FR']
/** Text that some names, emails, phones and companies hold: short (every value checked) and long (by trigram). */
const NEEDLES = ['a', 'an', 'son', 'gmail', '.com', 'ann', 'new', '555', '(555)', '555 01', 'zzz', "O'", 'Rein', '']

/** Random filter trees over the indexed operators, mixed with ones the index leaves to the scan. */
function randomFilters(rng: ReturnType<typeof createRng>): Filters {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng.next() * list.length)]
  const leaf = (): Record<string, unknown> => {
    switch (Math.floor(rng.next() * 11)) {
      case 0:
        return { field: 'tags', operator: 'eq', value: pick(TAGS) }
      case 1:
        return { field: 'tags', operator: 'not_eq', value: [pick(TAGS), pick(TAGS)] }
      case 2:
        return { field: 'country', operator: pick(['exists', 'not_exists']) }
      case 3:
        return { field: 'country', operator: 'eq', value: pick(COUNTRIES).toLowerCase() }
      case 4:
        return { field: 'type', operator: pick(['eq', 'not_eq']), value: pick(['lead', 'customer']) }
      case 5:
        return { field: 'dnd', operator: 'eq', value: rng.next() < 0.5 }
      case 6:
        return { field: 'email', operator: 'eq', value: 'x@y.test' } // too many distinct values: scanned
      case 7:
        return { field: pick(['email', 'lastName', 'companyName', 'phone']), operator: pick(['contains', 'not_contains']), value: pick(NEEDLES) }
      case 8:
        return { field: 'tags', operator: 'contains', value: pick(['vi', 'news', '']) }
      case 9:
        return { field: 'dateAdded', operator: 'range', value: { gte: '2024-01-01' } } // scanned
      default:
        return { field: 'firstName', operator: 'contains', value: pick(['a', 'e', 'an']) }
    }
  }
  const item = (depth: number): Record<string, unknown> =>
    depth > 0 && rng.next() < 0.3 ? { group: pick(['AND', 'OR']), filters: Array.from({ length: Math.floor(rng.next() * 3) }, () => item(depth - 1)) } : leaf()
  return Array.from({ length: 1 + Math.floor(rng.next() * 3) }, () => item(2)) as Filters
}

async function randomWrite(store: Store, locationId: string, rng: ReturnType<typeof createRng>) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng.next() * list.length)]
  const { contacts } = await store.searchContacts(locationId, { locationId, pageLimit: 10_000 })
  const c = pick(contacts)
  switch (Math.floor(rng.next() * 7)) {
    case 0:
      return store.updateContact(c.id, { tags: [...c.tags, pick(TAGS)] })
    case 1:
      return store.updateContact(c.id, { tags: c.tags.filter((t) => t !== pick(c.tags)) })
    case 2:
      return store.updateContact(c.id, { country: rng.next() < 0.3 ? undefined : pick(COUNTRIES), type: pick(['lead', 'customer']) })
    case 3:
      return store.updateContact(c.id, { dnd: !c.dnd })
    case 4:
      return store.deleteContact(c.id)
    case 5:
      return store.updateContact(c.id, {
        firstName: pick(['Ann', 'Anna', undefined]),
        email: rng.next() < 0.3 ? undefined : `new${Math.floor(rng.next() * 5)}@mail.test`,
        phone: pick(['+1 (555) 010-0000', '+15550100001', undefined]),
        companyName: pick(['Reinger LLC', undefined]),
      })
    default:
      return store.createContact(locationId, { firstName: 'New', tags: rng.next() < 0.5 ? [pick(TAGS)] : [], country: pick([...COUNTRIES, undefined]) })
  }
}

describe('search indexes', () => {
  it('answer as a naive scan does, after every one of many random writes', async () => {
    const clock = createClock({ start: Date.UTC(2026, 0, 1), frozen: true })
    const store = createMemoryStore({ clock, seed: { seed: 5, locations: 1, contacts: 80 } })
    const [{ id: locationId }] = await store.listLocations()
    const rng = createRng('index-property')
    const ids = (cs: Contact[]) => cs.map((c) => c.id)
    for (let step = 0; step < 100; step++) {
      await randomWrite(store, locationId, rng)
      clock.advance(1000)
      const filters = randomFilters(rng)
      const sort = rng.next() < 0.5 ? undefined : [{ field: 'firstName', direction: 'asc' as const }]
      const everyone = (await store.searchContacts(locationId, { locationId, pageLimit: 10_000, sort })).contacts
      const query = rng.next() < 0.3 ? pick(rng, NEEDLES) || undefined : undefined
      const expected = everyone.filter((c) => matches(c, { filters, query }))
      const why = JSON.stringify({ step, filters, sort, query })

      const full = await store.searchContacts(locationId, { locationId, pageLimit: 10_000, filters, sort, query })
      expect(full.total, why).toBe(expected.length)
      expect(ids(full.contacts), why).toEqual(ids(expected))

      const page2 = await store.searchContacts(locationId, { locationId, pageLimit: 3, page: 2, filters, sort, query })
      expect(ids(page2.contacts), why).toEqual(ids(expected.slice(3, 6)))
      if (expected.length > 2) {
        const after = await store.searchContacts(locationId, { locationId, pageLimit: 4, filters, sort, query, searchAfter: full.cursors[1] })
        expect(ids(after.contacts), why).toEqual(ids(expected.slice(2, 6)))
      }

      // GET /contacts/ with the same query: oldest first, its total, and a page after a cursor.
      const listed = [...everyone]
        .filter((c) => matches(c, { query }))
        .sort((x, y) => (x.dateAdded < y.dateAdded ? -1 : x.dateAdded > y.dateAdded ? 1 : x.id < y.id ? -1 : 1))
      const list = await store.listContacts(locationId, { limit: 5, query })
      expect(list.total, why).toBe(listed.length)
      expect(ids(list.contacts), why).toEqual(ids(listed.slice(0, 5)))
      if (listed.length > 3) {
        const next = await store.listContacts(locationId, { limit: 5, query, startAfterId: listed[2].id, startAfter: Date.parse(listed[2].dateAdded) })
        expect(ids(next.contacts), why).toEqual(ids(listed.slice(3, 8)))
      }
    }
  })

  it('keep sorted views and their slots in step when a location grows past their room', async () => {
    const clock = createClock({ start: Date.UTC(2026, 0, 1), frozen: true })
    const store = createMemoryStore({ clock, seed: { seed: 5, locations: 1, contacts: 1_000 } })
    const [{ id: locationId }] = await store.listLocations()
    const body = { locationId, pageLimit: 5, query: 'zebulon' }
    // Views (newest first, and GET /contacts/'s oldest first) built before the writes.
    expect((await store.searchContacts(locationId, body)).total).toBe(0)
    expect((await store.listContacts(locationId, { limit: 5, query: 'zebulon' })).total).toBe(0)
    const made: string[] = []
    for (let i = 0; i < 300; i++) {
      clock.advance(1000)
      const c = await store.createContact(locationId, { firstName: i % 2 ? 'Zebulon' : 'Other', lastName: `N${i}` })
      if (i % 2) made.push(c.id)
      // Deleting seeded contacts shifts every later entry of the views.
      if (i % 10 === 0) await store.deleteContact((await store.listContacts(locationId, { limit: 1 })).contacts[0].id)
    }
    const found = await store.searchContacts(locationId, { ...body, pageLimit: 200 })
    expect(found.total).toBe(150)
    expect(found.contacts.map((c) => c.id)).toEqual([...made].reverse())
    const listed = await store.listContacts(locationId, { limit: 200, query: 'zebulon' })
    expect(listed.total).toBe(150)
    expect(listed.contacts.map((c) => c.id)).toEqual(made)
  })

  it('after a reset, forgets the indexes built before it', async () => {
    const clock = createClock({ start: Date.UTC(2026, 0, 1), frozen: true })
    const seed = { seed: 5, locations: 1, contacts: 40 }
    const store = createMemoryStore({ clock, seed })
    const [{ id: locationId }] = await store.listLocations()
    const body = { locationId, pageLimit: 100, filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] } as SearchBody
    const before = await store.searchContacts(locationId, body)
    for (const c of before.contacts) await store.deleteContact(c.id)
    expect((await store.searchContacts(locationId, body)).total).toBe(0)
    await store.reset(seed)
    const again = await store.searchContacts(locationId, body)
    expect(again.total).toBe(before.total)
    expect(again.contacts.map((c) => c.id)).toEqual(before.contacts.map((c) => c.id))
  })
})

describe('bitsets', () => {
  it('set, test, combine and count across word boundaries and lengths', () => {
    let a: Bits = new Uint32Array(0)
    let b: Bits = new Uint32Array(0)
    for (const n of [0, 31, 32, 100]) a = setBit(a, n)
    for (const n of [31, 100, 1000]) b = setBit(b, n)
    expect([0, 31, 32, 33, 100, 1000].map((n) => hasBit(a, n))).toEqual([true, true, true, false, true, false])
    expect(count(and(a, b))).toBe(2)
    expect(count(or(a, b))).toBe(5)
    expect(count(andNot(a, b))).toBe(2)
    expect(count(andNot(b, a))).toBe(1)
  })
})

describe('text index upkeep', () => {
  it('writes without searches do not keep every old text: removed entries are compacted away', () => {
    const index = createTextIndex()
    for (let slot = 0; slot < 10; slot++) index.add(slot, [`contact ${slot}`, `c${slot}@example.com`])
    for (let round = 0; round < 5_000; round++) {
      const slot = round % 10
      index.remove(slot)
      index.add(slot, [`contact ${slot} v${round}`, `c${slot}@example.com`])
    }
    expect(index.held()).toBeLessThan(2 * 1024 + 20)
    // Compaction keeps the answers right: each slot's newest text only.
    const bits = index.matching('v4999')
    expect(bits[0]).toBe(1 << 9)
    expect(index.matching('v4998')[0]).toBe(1 << 8)
    expect(index.matching('v4989')[0]).toBe(0)
  })
})

describe('text index answers kept for repeated needles', () => {
  it('stay exact through adds, removes, compaction and eviction, and callers get copies', () => {
    const rng = createRng('kept-needles')
    const index = createTextIndex()
    const model = new Map<number, string[]>()
    const WORDS = ['anderson', 'sonia', 'jackson', 'mason', 'gmail.com', 'example.org', '555 0100', 'reinger llc', "o'hara"]
    // More needles than are kept (16), so answers are evicted and looked up again.
    const needles = ['son', 'so', 'n', 'anders', 'mail', '.com', '555', '0100', 'llc', 'jack', 'mas', 'ia', "o'", 'xyz', 'a', 'e', 'rein', 'on', 'der', 'ple.']
    const expected = (needle: string) => {
      const slots: number[] = []
      for (const [slot, texts] of model) if (texts.some((t) => t.includes(needle))) slots.push(slot)
      return slots.sort((a, b) => a - b)
    }
    const slotsOf = (bits: Bits) => {
      const out: number[] = []
      for (let slot = 0; slot < bits.length * 32; slot++) if (hasBit(bits, slot)) out.push(slot)
      return out
    }
    for (let step = 0; step < 3_000; step++) {
      const slot = Math.floor(rng.next() * 300)
      if (model.has(slot)) index.remove(slot)
      if (rng.next() < 0.2) model.delete(slot)
      else {
        const texts = Array.from({ length: 1 + Math.floor(rng.next() * 3) }, () => `${pick(rng, WORDS)}${Math.floor(rng.next() * 10)}`)
        index.add(slot, texts)
        model.set(slot, texts)
      }
      if (step % 7 === 0) {
        const needle = pick(rng, needles)
        const bits = index.matching(needle)
        expect(slotsOf(bits), `${step} ${needle}`).toEqual(expected(needle))
        bits.fill(0xffffffff) // a caller's copy: the kept answer must not change with it
        expect(slotsOf(index.matching(needle)), `${step} ${needle} again`).toEqual(expected(needle))
      }
    }
    for (const needle of needles) expect(slotsOf(index.matching(needle)), needle).toEqual(expected(needle))
  })
})

describe('field indexes', () => {
  it('add a batch to a location that already has contacts, called detached as well', () => {
    const indexes = createFieldIndexes(() => {
      throw new Error('no search here: nothing reads field values')
    })
    const contact = (id: string) => ({ id, locationId: 'loc' }) as Contact
    indexes.change('loc', undefined, contact('a'))
    const { addAll } = indexes
    addAll('loc', [contact('b'), contact('c')])
    expect(['a', 'b', 'c'].map((id) => indexes.slotOf('loc', id))).toEqual([0, 1, 2])
  })
})

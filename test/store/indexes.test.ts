/**
 * The search indexes stay consistent with the data: after random writes (tag add/remove,
 * field set/clear, create, delete), an indexed search answers exactly what a naive scan
 * over every contact answers: same total, same contacts, same order, same pages.
 */
import { describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createRng } from '../../mock/rng.ts'
import { SEED_TAGS } from '../../mock/seed/generate.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'
import { matches } from '../../mock/store/search.ts'
import type { Contact, SearchBody, Store } from '../../mock/store/types.ts'
import { and, andNot, count, hasBit, or, setBit, type Bits } from '../../mock/store/indexes/bitset.ts'

type Filters = NonNullable<SearchBody['filters']>

const TAGS = [...SEED_TAGS, 'fresh']
const COUNTRIES = ['US', 'DE', 'FR']

/** Random filter trees over the indexed operators, mixed with ones the index leaves to the scan. */
function randomFilters(rng: ReturnType<typeof createRng>): Filters {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng.next() * list.length)]
  const leaf = (): Record<string, unknown> => {
    switch (Math.floor(rng.next() * 8)) {
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
  switch (Math.floor(rng.next() * 6)) {
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
      const expected = everyone.filter((c) => matches(c, { filters }))
      const why = JSON.stringify({ step, filters, sort })

      const full = await store.searchContacts(locationId, { locationId, pageLimit: 10_000, filters, sort })
      expect(full.total, why).toBe(expected.length)
      expect(ids(full.contacts), why).toEqual(ids(expected))

      const page2 = await store.searchContacts(locationId, { locationId, pageLimit: 3, page: 2, filters, sort })
      expect(ids(page2.contacts), why).toEqual(ids(expected.slice(3, 6)))
      if (expected.length > 2) {
        const after = await store.searchContacts(locationId, { locationId, pageLimit: 4, filters, sort, searchAfter: expected[1].searchAfter })
        expect(ids(after.contacts), why).toEqual(ids(expected.slice(2, 6)))
      }
    }
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

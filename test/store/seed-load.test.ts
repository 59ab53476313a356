/**
 * Loading a seed in bulk: the store takes the seed's email and phone maps over as its
 * duplicate indexes and gives the location's contacts their slots at once, so a seeded
 * store must answer as one whose contacts were written one by one.
 */
import { describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createRng, seedToNumber } from '../../mock/rng.ts'
import { generateWorld } from '../../mock/seed/generate.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'

const seed = { seed: 3, locations: 2, contacts: 70 }
const newStore = () => createMemoryStore({ clock: createClock({ start: Date.UTC(2026, 0, 1), frozen: true }), seed })

describe('a seeded store', () => {
  it('finds every seeded contact as a duplicate by email and by phone, written as a client might, in its own location only', async () => {
    const store = newStore()
    const [a, b] = await store.listLocations()
    const { contacts } = generateWorld(seed)
    for (const c of contacts) {
      const other = c.locationId === a.id ? b.id : a.id
      expect((await store.findDuplicate(c.locationId, { email: ` ${c.email!.toUpperCase()} ` }))?.contact.id).toBe(c.id)
      const digits = c.phone!.replace(/\D/g, '')
      expect(
        await store.findDuplicate(c.locationId, { phone: `+${digits[0]} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}` }),
      ).toMatchObject({
        contact: { id: c.id },
        matchingField: 'phone',
      })
      expect(await store.findDuplicate(other, { email: c.email, phone: c.phone })).toBeUndefined()
    }
  })

  it('keeps the seeded duplicate indexes up to date on writes, and gives them back on reset', async () => {
    const store = newStore()
    const [a] = await store.listLocations()
    const { contacts } = generateWorld(seed)
    const [first, second] = contacts
    await store.updateContact(first.id, { email: 'moved@example.com', phone: '+15550100000' })
    expect(await store.findDuplicate(a.id, { email: first.email })).toBeUndefined()
    expect(await store.findDuplicate(a.id, { phone: first.phone })).toBeUndefined()
    expect((await store.findDuplicate(a.id, { email: 'MOVED@example.com' }))?.contact.id).toBe(first.id)
    await store.deleteContact(second.id)
    expect(await store.findDuplicate(a.id, { email: second.email })).toBeUndefined()
    await store.reset(seed)
    expect((await store.findDuplicate(a.id, { email: first.email }))?.contact.id).toBe(first.id)
    expect((await store.findDuplicate(a.id, { phone: second.phone }))?.contact.id).toBe(second.id)
    expect(await store.findDuplicate(a.id, { email: 'moved@example.com' })).toBeUndefined()
  })

  it('counts each location’s seeded contacts in exists / not_exists searches, across partial bitset words', async () => {
    const store = newStore()
    const [a] = await store.listLocations()
    const mine = generateWorld(seed).contacts.filter((c) => c.locationId === a.id)
    const search = (operator: 'exists' | 'not_exists') =>
      store.searchContacts(a.id, { locationId: a.id, pageLimit: 100, filters: [{ field: 'businessId', operator }] })
    const withBusiness = mine.filter((c) => c.businessId).length
    expect((await search('exists')).total).toBe(withBusiness)
    expect((await search('not_exists')).total).toBe(mine.length - withBusiness)
    const added = await store.createContact(a.id, { firstName: 'New' })
    expect((await search('not_exists')).contacts.map((c) => c.id)).toContain(added.id)
    expect((await search('not_exists')).total).toBe(mine.length - withBusiness + 1)
  })
})

describe('rng.skip', () => {
  it('moves the stream on as that many draws do', () => {
    for (const n of [0, 1, 20, 12_345, 300_000]) {
      const drawn = createRng('skip')
      const skipped = createRng('skip')
      for (let i = 0; i < n; i++) drawn.next()
      skipped.skip(n)
      expect(skipped.state()).toBe(drawn.state())
      expect(skipped.next()).toBe(drawn.next())
    }
  })

  it('the state wraps past 2^32', () => {
    // The state after n draws is seed + n × 0x6d2b79f5 mod 2^32; at n ≈ 2^40 the product is
    // far past 2^53, where a plain float multiplication loses the low bits.
    const n = 2 ** 40 + 12_345
    const rng = createRng('skip')
    rng.skip(n)
    expect(rng.state()).toBe(Number((BigInt(seedToNumber('skip')) + BigInt(n) * 0x6d2b79f5n) % 2n ** 32n))
  })
})

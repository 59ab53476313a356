/**
 * Paging through thousands of seeded contacts with the client's iterators: the search
 * (numbered pages, the searchAfter cursor) and the deprecated list (startAfterId +
 * startAfter). Every contact of the location exactly once: no duplicates, no gaps.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { mockClient, type MockClient } from './mock-client.ts'

const CONTACTS = 3_000
let t: MockClient
let expected: string[]

beforeAll(async () => {
  t = await mockClient({ mock: { locations: 1, contacts: CONTACTS, selfCheck: false } })
  expected = (await t.m.state.store.listContacts(t.m.location.id, { limit: 100_000 })).contacts.map((c) => c.id).sort()
  expect(expected).toHaveLength(CONTACTS)
})

async function collect(iterable: AsyncIterable<{ id: string }>): Promise<string[]> {
  const ids: string[] = []
  for await (const c of iterable) ids.push(c.id)
  return ids
}

function expectEveryContactOnce(ids: string[]) {
  expect(new Set(ids).size).toBe(ids.length) // no duplicates
  expect([...ids].sort()).toEqual(expected) // no gaps
}

describe('searchAll', () => {
  it('numbered pages of 500', async () => {
    const before = t.m.state.journal.list({ operationId: 'search-contacts-advanced' }).length
    expectEveryContactOnce(await collect(t.ghl.contacts.searchAll({ locationId: t.m.location.id, pageLimit: 500 })))
    expect(t.m.state.journal.list({ operationId: 'search-contacts-advanced' }).length - before).toBe(6)
  })

  it('the searchAfter cursor, with a sort', async () => {
    const ids = await collect(
      t.ghl.contacts.searchAll({ locationId: t.m.location.id, pageLimit: 500, paging: 'searchAfter', sort: [{ field: 'dateAdded', direction: 'desc' }] }),
    )
    expectEveryContactOnce(ids)
  })

  it('with filters: exactly the matching contacts', async () => {
    const all = (await t.m.state.store.listContacts(t.m.location.id, { limit: 100_000 })).contacts
    const vip = all
      .filter((c) => c.tags.includes('vip'))
      .map((c) => c.id)
      .sort()
    const ids = await collect(
      t.ghl.contacts.searchAll({
        locationId: t.m.location.id,
        pageLimit: 100,
        paging: 'searchAfter',
        filters: [{ field: 'tags', operator: 'eq', value: 'vip' }],
      }),
    )
    expect(ids.sort()).toEqual(vip)
  })
})

describe('paging at the pace of the rate limit', () => {
  it('150 pages of 20 under the default 100-per-10-s budget: one window waited out, no 429', async () => {
    const journalBefore = t.m.state.journal.list().length
    const clockBefore = t.m.state.clock.now()
    const ids = await collect(t.ghl.contacts.searchAll({ locationId: t.m.location.id, pageLimit: 20, paging: 'searchAfter' }))
    expectEveryContactOnce(ids)
    const journal = t.m.state.journal.list().slice(journalBefore)
    expect(journal).toHaveLength(150)
    expect(journal.every((e) => e.status === 200 && e.rateRemaining! > 0)).toBe(true)
    expect(t.m.state.clock.now() - clockBefore).toBeGreaterThanOrEqual(10_000)
  })
})

describe('listAll (GET /contacts/)', () => {
  it('startAfterId + startAfter, 100 at a time', async () => {
    expectEveryContactOnce(await collect(t.ghl.contacts.listAll({ locationId: t.m.location.id })))
  })
})

describe('past the 10,000-record window', () => {
  it('auto paging switches from page to searchAfter and still yields every contact once', async () => {
    const big = await mockClient({ mock: { locations: 1, contacts: 10_600, selfCheck: false } })
    const all = (await big.m.state.store.listContacts(big.m.location.id, { limit: 100_000 })).contacts.map((c) => c.id).sort()
    const ids = await collect(big.ghl.contacts.searchAll({ locationId: big.m.location.id, pageLimit: 500 }))
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(all)
    const searches = big.m.state.journal.list({ operationId: 'search-contacts-advanced' })
    expect(searches.every((e) => e.status === 200)).toBe(true)
    expect(searches).toHaveLength(22)
  }, 30_000)
})
